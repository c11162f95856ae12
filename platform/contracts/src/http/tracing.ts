import { type Static, Type } from 'typebox';

// Zipkin's v2 API (https://zipkin.io/zipkin-api/): the subset an exporter and a trace UI need.
// trace-server speaks it, so a real Zipkin (or Jaeger's Zipkin endpoint) can take its place.

const Hex16 = '^[0-9a-fA-F]{16}$';
/** 64- or 128-bit trace id, lower-case hex (upper case is accepted on the way in). */
export const TraceId = Type.String({ pattern: '^([0-9a-fA-F]{16}){1,2}$' });
export const SpanId = Type.String({ pattern: Hex16 });
/** Microseconds since the epoch (timestamps) or microseconds (durations), as Zipkin counts them. */
const Micros = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

export const ZipkinEndpoint = Type.Object({
  serviceName: Type.Optional(Type.String({ maxLength: 200 })),
  ipv4: Type.Optional(Type.String({ maxLength: 15 })),
  ipv6: Type.Optional(Type.String({ maxLength: 45 })),
  port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
});

export const SpanKindName = Type.Union([
  Type.Literal('CLIENT'),
  Type.Literal('SERVER'),
  Type.Literal('PRODUCER'),
  Type.Literal('CONSUMER'),
]);

export const ZipkinSpan = Type.Object({
  traceId: TraceId,
  id: SpanId,
  parentId: Type.Optional(SpanId),
  name: Type.Optional(Type.String({ maxLength: 500 })),
  kind: Type.Optional(SpanKindName),
  timestamp: Type.Optional(Micros),
  duration: Type.Optional(Micros),
  debug: Type.Optional(Type.Boolean()),
  shared: Type.Optional(Type.Boolean()),
  localEndpoint: Type.Optional(ZipkinEndpoint),
  remoteEndpoint: Type.Optional(ZipkinEndpoint),
  annotations: Type.Optional(
    Type.Array(Type.Object({ timestamp: Micros, value: Type.String({ maxLength: 1000 }) }), {
      maxItems: 100,
    }),
  ),
  tags: Type.Optional(Type.Record(Type.String({ maxLength: 200 }), Type.String({ maxLength: 8000 }))),
});
export type ZipkinSpan = Static<typeof ZipkinSpan>;

/** One POST: a batch of spans from one or more services. */
export const ZipkinSpans = Type.Array(ZipkinSpan, { maxItems: 5000 });
/** A trace: its spans, in no particular order. */
export const ZipkinTrace = Type.Array(ZipkinSpan);
export const ZipkinTraces = Type.Array(ZipkinTrace);
export const ServiceNames = Type.Array(Type.String());

/** GET /api/v2/traces: Zipkin's query (times in milliseconds, durations in microseconds). */
export const TraceQuery = Type.Object({
  serviceName: Type.Optional(Type.String({ maxLength: 200 })),
  spanName: Type.Optional(Type.String({ maxLength: 500 })),
  /** `error` finds traces with a failed span; `key=value` finds a tag; several are joined by " and ". */
  annotationQuery: Type.Optional(Type.String({ maxLength: 1000 })),
  minDuration: Type.Optional(Micros),
  maxDuration: Type.Optional(Micros),
  endTs: Type.Optional(Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000 })),
  lookback: Type.Optional(Type.Integer({ minimum: 1, maximum: 8_640_000_000_000_000 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 10 })),
});
export type TraceQuery = Static<typeof TraceQuery>;

/** GET /api/v2/dependencies: who called whom (or sent events to whom), from the collected spans. */
export const DependencyLink = Type.Object({
  parent: Type.String(),
  child: Type.String(),
  callCount: Type.Integer({ minimum: 0 }),
  errorCount: Type.Integer({ minimum: 0 }),
});
export const DependencyLinks = Type.Array(DependencyLink);
export type DependencyLink = Static<typeof DependencyLink>;
