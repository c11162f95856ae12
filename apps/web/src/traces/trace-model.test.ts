import { describe, expect, it } from 'vitest';
import {
  buildWaterfall,
  formatMicros,
  layoutServiceMap,
  MAP_COLUMN_WIDTH,
  MAP_LABEL_HEIGHT,
  MAP_NODE_HEIGHT,
  MAP_NODE_WIDTH,
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

  // The platform's own shape: the gateway calls nearly every service, so most calls are between
  // services of one column (what made the first map unreadable: lines through nodes, labels piled up).
  const platform = [
    ...[
      'auth',
      'catalog',
      'chat',
      'notification',
      'order',
      'payment',
      'product',
      'promotion',
      'shipping',
      'user',
    ].map((s, i) => link('gateway', `${s}-service`, 100 + i)),
    link('order-service', 'product-service'),
    link('order-service', 'promotion-service'),
    link('order-service', 'user-service'),
    link('order-service', 'payment-service'),
    link('payment-service', 'order-service', 2, 1),
    link('product-service', 'catalog-service'),
    link('product-service', 'notification-service'),
    link('user-service', 'auth-service'),
    link('user-service', 'chat-service'),
    link('user-service', 'notification-service'),
    link('user-service', 'order-service'),
    link('user-service', 'payment-service'),
    link('chat-service', 'order-service'),
    link('chat-service', 'notification-service'),
    link('shipping-service', 'order-service'),
  ];
  const label = (l: { parent: string; child: string; callCount: number }) => `분당 ${l.callCount}회`;

  /** Points along an edge's curve, parsed back from its SVG path. */
  const along = (path: string) => {
    const [x0, y0, x1, y1, x2, y2, x3, y3] = path.match(/-?\d+(\.\d+)?/g)!.map(Number) as number[];
    return Array.from({ length: 19 }, (_, i) => {
      const t = (i + 1) / 20;
      const u = 1 - t;
      return {
        x: u ** 3 * x0! + 3 * u * u * t * x1! + 3 * u * t * t * x2! + t ** 3 * x3!,
        y: u ** 3 * y0! + 3 * u * u * t * y1! + 3 * u * t * t * y2! + t ** 3 * y3!,
      };
    });
  };
  const inside = (
    p: { x: number; y: number },
    b: { left: number; top: number; right: number; bottom: number },
  ) => p.x > b.left && p.x < b.right && p.y > b.top && p.y < b.bottom;
  const overlap = (
    a: { left: number; top: number; right: number; bottom: number },
    b: { left: number; top: number; right: number; bottom: number },
  ) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

  it('draws no edge through a node and no label over a node or another label', () => {
    const layout = layoutServiceMap(platform, label);
    expect(layout.edges).toHaveLength(platform.length);
    const nodeBox = (n: { x: number; y: number }) => ({
      left: n.x,
      top: n.y,
      right: n.x + MAP_NODE_WIDTH,
      bottom: n.y + MAP_NODE_HEIGHT,
    });
    const labels = layout.edges.map((e) => ({
      left: e.label.x - e.labelWidth / 2,
      top: e.label.y - MAP_LABEL_HEIGHT / 2,
      right: e.label.x + e.labelWidth / 2,
      bottom: e.label.y + MAP_LABEL_HEIGHT / 2,
    }));
    for (const [i, edge] of layout.edges.entries()) {
      for (const node of layout.nodes) {
        for (const p of along(edge.path))
          expect(
            inside(p, nodeBox(node)),
            `${edge.link.parent} → ${edge.link.child} through ${node.name}`,
          ).toBe(false);
        expect(
          overlap(labels[i]!, nodeBox(node)),
          `label of ${edge.link.parent} → ${edge.link.child} on ${node.name}`,
        ).toBe(false);
      }
      for (const [j, other] of labels.entries()) {
        if (j !== i) expect(overlap(labels[i]!, other), `labels ${i} and ${j}`).toBe(false);
      }
      // Inside the drawing.
      expect(labels[i]!.right).toBeLessThanOrEqual(layout.width);
      expect(labels[i]!.left).toBeGreaterThanOrEqual(0);
    }
  });

  it('bows a call within a column out the further, the more rows it spans', () => {
    const layout = layoutServiceMap(platform, label);
    const reach = (parent: string, child: string) =>
      Math.max(
        ...along(layout.edges.find((e) => e.link.parent === parent && e.link.child === child)!.path).map(
          (p) => p.x,
        ),
      );
    // user → order spans fewer rows than user → auth; both stay right of the column's nodes.
    const column = layout.nodes.find((n) => n.name === 'user-service')!.x + MAP_NODE_WIDTH;
    expect(reach('user-service', 'order-service')).toBeGreaterThan(column);
    expect(reach('user-service', 'auth-service')).toBeGreaterThan(reach('user-service', 'order-service'));
  });
});
