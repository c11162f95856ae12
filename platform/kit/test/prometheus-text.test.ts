import { parsePrometheusText } from '@sagamart/kit';
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';

describe('parsePrometheusText', () => {
  it('reads back what prom-client writes: each labelled histogram series apart, escaped label values', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'thing-service' });
    const latency = new Histogram({
      name: 'http_server_requests_seconds',
      help: 'latency',
      labelNames: ['route', 'status'],
      buckets: [0.01, 0.1],
      registers: [registry],
    });
    const odd = new Counter({ name: 'odd_total', help: 'x', labelNames: ['text'], registers: [registry] });
    latency.observe({ route: '/a', status: '200' }, 0.005);
    latency.observe({ route: '/a', status: '200' }, 0.05);
    latency.observe({ route: '/a', status: '500' }, 2);
    odd.inc({ text: 'say "hi"\\\nbye' }, 3);

    const samples = parsePrometheusText(await registry.metrics());
    const find = (name: string, labels: Record<string, string>) =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
        ?.value;
    expect(find('http_server_requests_seconds_count', { status: '200' })).toBe(2);
    expect(find('http_server_requests_seconds_count', { status: '500' })).toBe(1);
    expect(find('http_server_requests_seconds_bucket', { status: '200', le: '0.01' })).toBe(1);
    expect(find('http_server_requests_seconds_bucket', { status: '200', le: '0.1' })).toBe(2);
    expect(find('http_server_requests_seconds_bucket', { status: '500', le: '0.1' })).toBe(0);
    expect(find('http_server_requests_seconds_bucket', { status: '500', le: '+Inf' })).toBe(1);
    expect(find('http_server_requests_seconds_sum', { status: '500' })).toBe(2);
    expect(find('odd_total', { text: 'say "hi"\\\nbye', service: 'thing-service' })).toBe(3);
  });

  it('takes special values and timestamps, and names the line it cannot read', () => {
    const samples = parsePrometheusText(
      '# HELP a x\n# TYPE a gauge\na +Inf\nb{x="1",} NaN 1712345678000\nc -2.5e3\n',
    );
    expect(samples.map((s) => [s.name, s.value])).toEqual([
      ['a', Number.POSITIVE_INFINITY],
      ['b', Number.NaN],
      ['c', -2500],
    ]);
    expect(samples[1]!.labels).toEqual({ x: '1' });
    // prom-client writes NaN (say, event-loop delay percentiles before their first sample) as `Nan`.
    expect(parsePrometheusText('nodejs_eventloop_lag_p99_seconds Nan\n')[0]!.value).toBeNaN();
    expect(() => parsePrometheusText('ok 1\nbroken{x=1} 2\n')).toThrow(/line 2/);
    expect(() => parsePrometheusText('nothing\n')).toThrow(/line 1/);
  });
});
