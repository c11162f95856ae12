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
  /** Its place in its column, from the top. */
  row: number;
}

export interface MapPoint {
  x: number;
  y: number;
}

export interface MapEdge {
  link: DependencyLink;
  from: MapNode;
  to: MapNode;
  /** The edge as an SVG path (one cubic curve), ending where its arrowhead goes. */
  path: string;
  /** The centre of its label, placed clear of the nodes and of the labels placed before it. */
  label: MapPoint;
  /** The label's estimated width (its height is MAP_LABEL_HEIGHT). */
  labelWidth: number;
}

export interface ServiceMapLayout {
  nodes: MapNode[];
  edges: MapEdge[];
  width: number;
  height: number;
}

export const MAP_NODE_WIDTH = 170;
export const MAP_NODE_HEIGHT = 36;
export const MAP_COLUMN_WIDTH = 330;
export const MAP_ROW_HEIGHT = 74;
export const MAP_LABEL_HEIGHT = 16;
const LABEL_SPOTS = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9];
const FORWARD_LABEL_SPOTS = [0.75, 0.65, 0.85, 0.55, 0.45, 0.35, 0.25];
/** How far a call between services of one column bows out to the right, per row it spans. */
const ARC_PER_ROW = 26;

/**
 * Lays the services out left to right along the calls: a service's column is its fewest hops from a
 * service nobody calls (the gateway, usually), so a cycle (order ⇄ payment events) does not stretch
 * it; its row is its place in that column by name. Calls to a later column are curves into the
 * callee's left side; calls within a column (most of them, since the gateway calls nearly every
 * service) are arcs on the column's right, bowing out by how many rows they span, each end at its
 * own height on the node, so that no edge runs through a node; calls back to an earlier column
 * leave from the left. Each label sits on its edge where it overlaps no node and no other label
 * (`labelOf` gives its text, whose width is estimated). A service's calls to itself are left to the
 * table beside the map.
 */
export function layoutServiceMap(
  links: DependencyLink[],
  labelOf: (link: DependencyLink) => string = () => '',
): ServiceMapLayout {
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
    columns.get(c)!.forEach((name, row) => {
      nodes.set(name, { name, x: 20 + x * MAP_COLUMN_WIDTH, y: 30 + row * MAP_ROW_HEIGHT, row });
    });
  });
  const rows = Math.max(0, ...[...columns.values()].map((c) => c.length));
  const drawn = links.filter((l) => l.parent !== l.child);
  const ends = attachments(drawn, nodes);

  const nodeBoxes = [...nodes.values()].map((n) => box(n.x, n.y, MAP_NODE_WIDTH, MAP_NODE_HEIGHT));
  const placed: Box[] = [];
  let right = 40 + Math.max(1, used.length) * MAP_COLUMN_WIDTH;
  const edges = drawn.map((link): MapEdge => {
    const from = nodes.get(link.parent)!;
    const to = nodes.get(link.child)!;
    const curve = curveOf(from, to, ends);
    const text = labelOf(link);
    const width = textWidth(text);
    // The first spot along the edge that overlaps nothing: from near the callee for a call to the next
    // column (the gateway's calls all leave from one point, and part only towards their callees),
    // from the middle outwards for the others.
    const spots = (to.x > from.x ? FORWARD_LABEL_SPOTS : LABEL_SPOTS).map((t) => pointOn(curve, t));
    const free = (p: MapPoint) => {
      const b = box(p.x - width / 2, p.y - MAP_LABEL_HEIGHT / 2, width, MAP_LABEL_HEIGHT);
      return [...nodeBoxes, ...placed].every((other) => !overlaps(b, other));
    };
    const label = spots.find(free) ?? spots[0]!;
    placed.push(box(label.x - width / 2, label.y - MAP_LABEL_HEIGHT / 2, width, MAP_LABEL_HEIGHT));
    right = Math.max(right, label.x + width / 2 + 10, ...curve.map((p) => p.x + 10));
    const [p0, p1, p2, p3] = curve;
    return {
      link,
      from,
      to,
      path: `M${p0.x},${p0.y} C${p1.x},${p1.y} ${p2.x},${p2.y} ${p3.x},${p3.y}`,
      label,
      labelWidth: width,
    };
  });
  return {
    nodes: [...nodes.values()],
    edges,
    width: Math.ceil(right),
    height: 20 + Math.max(1, rows) * MAP_ROW_HEIGHT,
  };
}

type Curve = [MapPoint, MapPoint, MapPoint, MapPoint];
interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function box(x: number, y: number, width: number, height: number): Box {
  return { left: x, top: y, right: x + width, bottom: y + height };
}

function overlaps(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/** About how wide a 12 px label is: Hangul and other wide characters take about twice a Latin one. */
function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += (char.codePointAt(0) ?? 0) >= 0x1100 ? 12 : 7;
  return width + 6;
}

/** Where on its side of a node each edge within a column ends: spread over the node's height, in the order of the rows at their other ends (so arcs nest instead of crossing). */
function attachments(links: DependencyLink[], nodes: Map<string, MapNode>): Map<string, number> {
  const bySide = new Map<string, Array<{ key: string; otherRow: number }>>();
  links.forEach((link) => {
    const from = nodes.get(link.parent)!;
    const to = nodes.get(link.child)!;
    if (from.x !== to.x) return;
    for (const [node, other, end] of [
      [from, to, 'from'],
      [to, from, 'to'],
    ] as const) {
      const list = bySide.get(node.name) ?? [];
      list.push({ key: `${link.parent}>${link.child}:${end}`, otherRow: other.row });
      bySide.set(node.name, list);
    }
  });
  const offsets = new Map<string, number>();
  for (const list of bySide.values()) {
    list.sort((a, b) => a.otherRow - b.otherRow);
    const span = MAP_NODE_HEIGHT - 12;
    list.forEach((end, i) => {
      offsets.set(end.key, list.length === 1 ? 0 : -span / 2 + (span * i) / (list.length - 1));
    });
  }
  return offsets;
}

function curveOf(from: MapNode, to: MapNode, ends: Map<string, number>): Curve {
  const midY = (n: MapNode) => n.y + MAP_NODE_HEIGHT / 2;
  if (to.x > from.x) {
    // Forward: out of the caller's right side, into the callee's left.
    const start = { x: from.x + MAP_NODE_WIDTH, y: midY(from) };
    const end = { x: to.x, y: midY(to) };
    const pull = (end.x - start.x) / 2;
    return [start, { x: start.x + pull, y: start.y }, { x: end.x - pull, y: end.y }, end];
  }
  if (to.x === from.x) {
    // Within a column: an arc on its right side, wider the more rows it spans.
    const key = `${from.name}>${to.name}`;
    const x = from.x + MAP_NODE_WIDTH;
    const start = { x, y: midY(from) + (ends.get(`${key}:from`) ?? 0) };
    const end = { x, y: midY(to) + (ends.get(`${key}:to`) ?? 0) };
    const bow = 24 + ARC_PER_ROW * Math.abs(to.row - from.row);
    return [start, { x: x + bow, y: start.y }, { x: x + bow, y: end.y }, end];
  }
  // Back to an earlier column: out of the caller's left side, into the callee's right, sagging below.
  const start = { x: from.x, y: midY(from) };
  const end = { x: to.x + MAP_NODE_WIDTH, y: midY(to) };
  const pull = (start.x - end.x) / 2;
  return [start, { x: start.x - pull, y: start.y + 40 }, { x: end.x + pull, y: end.y + 40 }, end];
}

function pointOn([p0, p1, p2, p3]: Curve, t: number): MapPoint {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return {
    x: Math.round(a * p0.x + b * p1.x + c * p2.x + d * p3.x),
    y: Math.round(a * p0.y + b * p1.y + c * p2.y + d * p3.y),
  };
}
