import { describe, expect, it } from 'vitest';
import { buildWaterfall, formatMicros, parseTraceId, summarize, type ZipkinSpan } from './trace-model.ts';

const traceId = 'a'.repeat(32);
const span = (
  id: string,
  parentId: string | undefined,
  service: string,
  timestamp: number,
  duration: number,
  extra: Partial<ZipkinSpan> = {},
): ZipkinSpan => ({
  traceId,
  id: id.padStart(16, '0'),
  ...(parentId ? { parentId: parentId.padStart(16, '0') } : {}),
  name: `${service} op`,
  timestamp,
  duration,
  localEndpoint: { serviceName: service },
  ...extra,
});

describe('trace waterfall', () => {
  const spans = [
    span('3', '2', 'order-service', 1_200, 300, { tags: { error: 'refused' } }),
    span('1', undefined, 'gateway', 1_000, 1_000),
    span('4', '1', 'order-service', 1_600, 200, { kind: 'PRODUCER' }),
    span('2', '1', 'order-service', 1_100, 500),
    span('5', '4', 'notification-service', 1_900, 100, { kind: 'CONSUMER' }),
    span('6', 'f', 'lost-parent', 1_050, 10),
  ];

  it('orders spans depth-first under their parents, by start, with shares of the whole trace', () => {
    const rows = buildWaterfall(spans);
    expect(rows.map((r) => [r.span.id.replace(/^0+/, ''), r.depth])).toEqual([
      ['1', 0],
      ['2', 1],
      ['3', 2],
      ['4', 1],
      ['5', 2],
      ['6', 0],
    ]);
    const second = rows[1]!;
    expect(second.offset).toBeCloseTo(0.1);
    expect(second.width).toBeCloseTo(0.5);
    expect(rows[2]!.error).toBe(true);
    expect(rows.map((r) => r.hop)).toEqual([null, null, null, 'publish', 'consume', null]);
  });

  it('summarizes a trace for the search results', () => {
    expect(summarize(spans)).toEqual({
      traceId,
      root: 'gateway op',
      rootService: 'gateway',
      startUs: 1_000,
      durationUs: 1_000,
      spanCount: 6,
      services: ['gateway', 'lost-parent', 'notification-service', 'order-service'],
      errors: 1,
    });
  });

  it('reads a pasted trace id and prints durations', () => {
    expect(parseTraceId('  4BF92F3577B34DA6A3CE929D0E0E4736 ')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(parseTraceId('not a trace')).toBeUndefined();
    expect([formatMicros(850), formatMicros(12_345), formatMicros(1_420_000)]).toEqual([
      '850µs',
      '12.3ms',
      '1.42s',
    ]);
  });
});
