import {
  type Context,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  SamplingDecision,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export { type Context, context, propagation, type Span, SpanKind, SpanStatusCode, trace };

let installed = false;

/** Context manager and W3C propagator are process-wide; providers are per service (several may share a process). */
function installGlobals(): void {
  if (installed) return;
  installed = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

export interface TracingOptions {
  serviceName: string;
  /** Zipkin v2 endpoint, e.g. http://127.0.0.1:9411/api/v2/spans. No export when absent. */
  zipkinUrl?: string | undefined;
  /** 0..1, applied to new root traces. */
  sampleRatio?: number;
  /** Headers for each export request (a fresh service token for the platform's trace-server). */
  exportHeaders?: () => Record<string, string>;
}

export interface Tracing {
  tracer: ReturnType<BasicTracerProvider['getTracer']>;
  shutdown(): Promise<void>;
}

/**
 * A span started with this attribute set to true is housekeeping (a discovery heartbeat, a registry
 * read, a health probe, a metrics scrape): it gets a trace id, for the x-trace-id header and errors,
 * but is neither recorded nor exported, and neither is anything under it. At idle these requests
 * were every span the platform sent to its trace-server.
 */
export const HOUSEKEEPING_ATTRIBUTE = 'sagamart.housekeeping';

/** Never records housekeeping spans; everything else as `inner` decides. */
function skippingHousekeeping(inner: Sampler): Sampler {
  return {
    shouldSample: (ctx, traceId, spanName, spanKind, attributes, links) =>
      attributes[HOUSEKEEPING_ATTRIBUTE] === true
        ? { decision: SamplingDecision.NOT_RECORD }
        : inner.shouldSample(ctx, traceId, spanName, spanKind, attributes, links),
    toString: () => `SkippingHousekeeping{${inner.toString()}}`,
  };
}

export function createTracing(options: TracingOptions): Tracing {
  installGlobals();
  const spanProcessors: SpanProcessor[] = options.zipkinUrl
    ? [
        new BatchSpanProcessor(
          new ZipkinExporter({
            url: options.zipkinUrl,
            serviceName: options.serviceName,
            ...(options.exportHeaders ? { getExportRequestHeaders: options.exportHeaders } : {}),
          }),
        ),
      ]
    : [];
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    sampler: skippingHousekeeping(
      new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio ?? 1) }),
    ),
    spanProcessors,
  });
  return {
    tracer: provider.getTracer(options.serviceName),
    shutdown: () => provider.shutdown(),
  };
}

const databaseTime = new WeakMap<Span, { queries: number; ms: number }>();

/**
 * Adds one database query's time to the active span, as `db.queries` and `db.time_ms`: each request's
 * (or handler's) database time shows in its trace without a span per query.
 */
export function recordQueryTime(ms: number): void {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return;
  const total = databaseTime.get(span) ?? { queries: 0, ms: 0 };
  total.queries += 1;
  total.ms += ms;
  databaseTime.set(span, total);
  span.setAttribute('db.queries', total.queries);
  span.setAttribute('db.time_ms', Math.round(total.ms * 10) / 10);
}

/** The active trace id, or undefined outside a trace. */
export function currentTraceId(): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/** Writes the active trace context into a carrier (HTTP or message headers). */
export function injectTraceContext(carrier: Record<string, string>, ctx: Context = context.active()): void {
  propagation.inject(ctx, carrier);
}

export function extractTraceContext(carrier: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(context.active(), carrier);
}

/** Runs fn inside a new span; records errors and always ends the span. */
export async function withSpan<T>(
  tracer: Tracing['tracer'],
  name: string,
  options: { kind?: SpanKind; parent?: Context; attributes?: Record<string, string | number | boolean> },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = tracer.startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes ?? {} },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}
