import { describe, expect, it } from 'vitest';
import {
  buildWaterfall,
  formatMicros,
  layoutServiceMap,
  MAP_COLUMN_WIDTH,
  parseTraceId,
  summarize,
  type ZipkinSpan,
} from './trace-model.ts';

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

describe('layoutServiceMap', () => {
  const link = (parent: string, child: string, callCount = 1, errorCount = 0) => ({
    parent,
    child,
    callCount,
    errorCount,
  });

  it('puts each service one column past its furthest caller, and survives a cycle', () => {
    const layout = layoutServiceMap([
      link('gateway', 'order-service'),
      link('gateway', 'auth-service'),
      link('order-service', 'payment-service'),
      link('payment-service', 'order-service', 3, 1),
      link('gateway', 'payment-service'),
    ]);
    const at = (name: string) => layout.nodes.find((n) => n.name === name)!;
    expect(layout.nodes.map((n) => n.name).sort()).toEqual([
      'auth-service',
      'gateway',
      'order-service',
      'payment-service',
    ]);
    expect(at('gateway').x).toBeLessThan(at('order-service').x);
    expect(at('auth-service').x).toBe(at('order-service').x);
    expect(at('payment-service').x).toBe(at('order-service').x);
    // Nobody outside calls a cycle: it still gets a column.
    const loop = layoutServiceMap([link('a', 'b'), link('b', 'a')]);
    expect(loop.nodes.map((n) => n.x)).toEqual([20, 20 + MAP_COLUMN_WIDTH]);
    expect(at('order-service').y).not.toBe(at('auth-service').y);
    expect(layout.edges).toHaveLength(5);
    for (const edge of layout.edges) {
      expect(edge.from.name).toBe(edge.link.parent);
      expect(edge.to.name).toBe(edge.link.child);
    }
    for (const node of layout.nodes) {
      expect(node.x).toBeLessThan(layout.width);
      expect(node.y).toBeLessThan(layout.height);
    }
  });
});
