import type * as tracing from '@sagamart/contracts/http/tracing';
import type { Static } from 'typebox';

export type ZipkinSpan = Static<typeof tracing.ZipkinSpan>;
export type DependencyLink = Static<typeof tracing.DependencyLink>;

/** One bar of the waterfall. */
export interface WaterfallRow {
  span: ZipkinSpan;
  service: string;
  depth: number;
  /** Start and length as a share (0..1) of the whole trace. */
  offset: number;
  width: number;
  durationUs: number;
  error: boolean;
  /** An event crossing services: the publish (PRODUCER) or its consumption (CONSUMER). */
  hop: 'publish' | 'consume' | null;
}

export interface TraceSummary {
  traceId: string;
  root: string;
  rootService: string;
  startUs: number;
  durationUs: number;
  spanCount: number;
  services: string[];
  errors: number;
}

export function serviceOf(span: ZipkinSpan): string {
  return span.localEndpoint?.serviceName ?? 'unknown';
}

export function isError(span: ZipkinSpan): boolean {
  const tags = span.tags ?? {};
  return 'error' in tags || tags['otel.status_code'] === 'ERROR';
}

function bounds(spans: ZipkinSpan[]): { start: number; end: number } {
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const s of spans) {
    const ts = s.timestamp ?? 0;
    start = Math.min(start, ts);
    end = Math.max(end, ts + (s.duration ?? 0));
  }
  return spans.length ? { start, end } : { start: 0, end: 0 };
}

/**
 * Orders a trace's spans depth-first, each under its parent (children by start time); spans whose
 * parent was not collected are roots. Offsets and widths are shares of the trace's whole length.
 */
export function buildWaterfall(spans: ZipkinSpan[]): WaterfallRow[] {
  const { start, end } = bounds(spans);
  const total = Math.max(1, end - start);
  const ids = new Set(spans.map((s) => s.id));
  const children = new Map<string | undefined, ZipkinSpan[]>();
  for (const s of spans) {
    const parent = s.parentId && ids.has(s.parentId) && s.parentId !== s.id ? s.parentId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  for (const list of children.values()) list.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
  const rows: WaterfallRow[] = [];
  const seen = new Set<ZipkinSpan>();
  const visit = (span: ZipkinSpan, depth: number) => {
    if (seen.has(span)) return;
    seen.add(span);
    const durationUs = span.duration ?? 0;
    rows.push({
      span,
      service: serviceOf(span),
      depth,
      offset: ((span.timestamp ?? start) - start) / total,
      width: Math.max(durationUs / total, 0),
      durationUs,
      error: isError(span),
      hop: span.kind === 'PRODUCER' ? 'publish' : span.kind === 'CONSUMER' ? 'consume' : null,
    });
    for (const child of children.get(span.id) ?? []) visit(child, depth + 1);
  };
  for (const root of children.get(undefined) ?? []) visit(root, 0);
  return rows;
}

/** The line a search result shows for one trace. */
export function summarize(spans: ZipkinSpan[]): TraceSummary {
  const rows = buildWaterfall(spans);
  const root = rows[0]?.span;
  const { start, end } = bounds(spans);
  return {
    traceId: spans[0]?.traceId ?? '',
    root: root?.name ?? '',
    rootService: root ? serviceOf(root) : '',
    startUs: start,
    durationUs: end - start,
    spanCount: spans.length,
    services: [...new Set(spans.map(serviceOf))].sort(),
    errors: spans.filter(isError).length,
  };
}

/** `850µs`, `12.3ms`, `1.42s`. */
export function formatMicros(us: number): string {
  if (us < 1_000) return `${us}µs`;
  if (us < 1_000_000) return `${(us / 1_000).toFixed(us < 10_000 ? 2 : 1)}ms`;
  return `${(us / 1_000_000).toFixed(2)}s`;
}

const PALETTE = [
  'blue',
  'teal',
  'grape',
  'orange',
  'cyan',
  'pink',
  'lime',
  'indigo',
  'yellow',
  'violet',
  'green',
];

/** The same colour for a service everywhere (a hash of its name). */
export function serviceColor(service: string): string {
  let hash = 0;
  for (const ch of service) hash = (hash * 31 + ch.charCodeAt(0)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length]!;
}

/** A trace id as pasted from an error message: 16 or 32 hex digits, any case, spaces trimmed. */
export function parseTraceId(input: string): string | undefined {
  const id = input.trim().toLowerCase();
  return /^([0-9a-f]{16}){1,2}$/.test(id) ? id : undefined;
}

export interface MapNode {
  name: string;
  x: number;
  y: number;
}

export interface ServiceMapLayout {
  nodes: MapNode[];
  edges: Array<{ link: DependencyLink; from: MapNode; to: MapNode }>;
  width: number;
  height: number;
}

export const MAP_COLUMN_WIDTH = 330;
export const MAP_ROW_HEIGHT = 74;

/**
 * Lays the services out left to right along the calls: a service's column is its fewest hops from a
 * service nobody calls (the gateway, usually), so a cycle (order ⇄ payment events) does not stretch
 * it; its row is its place in that column by name.
 */
export function layoutServiceMap(links: DependencyLink[]): ServiceMapLayout {
  const names = [...new Set(links.flatMap((l) => [l.parent, l.child]))].sort();
  const called = new Set(links.filter((l) => l.parent !== l.child).map((l) => l.child));
  const column = new Map<string, number>();
  let frontier = names.filter((n) => !called.has(n));
  for (let depth = 0; column.size < names.length; depth++) {
    // Everything left is in a cycle nobody outside calls: start from its first name.
    if (frontier.length === 0) frontier = [names.find((n) => !column.has(n))!];
    for (const name of frontier) column.set(name, depth);
    frontier = [
      ...new Set(
        links.filter((l) => frontier.includes(l.parent) && !column.has(l.child)).map((l) => l.child),
      ),
    ];
  }
  const columns = new Map<number, string[]>();
  for (const name of names) columns.set(column.get(name)!, [...(columns.get(column.get(name)!) ?? []), name]);
  const nodes = new Map<string, MapNode>();
  const used = [...columns.keys()].sort((a, b) => a - b);
  used.forEach((c, x) => {
    columns.get(c)!.forEach((name, y) => {
      nodes.set(name, { name, x: 20 + x * MAP_COLUMN_WIDTH, y: 30 + y * MAP_ROW_HEIGHT });
    });
  });
  const rows = Math.max(0, ...[...columns.values()].map((c) => c.length));
  return {
    nodes: [...nodes.values()],
    edges: links.map((link) => ({ link, from: nodes.get(link.parent)!, to: nodes.get(link.child)! })),
    width: 40 + Math.max(1, used.length) * MAP_COLUMN_WIDTH,
    height: 20 + Math.max(1, rows) * MAP_ROW_HEIGHT,
  };
}
