import type { ZipkinSpan } from '@sagamart/contracts/http/tracing';

/** A span as stored: the columns a query filters on, beside the span itself. */
export interface StoredSpan {
  traceId: string;
  spanId: string;
  parentId: string | null;
  serviceName: string;
  remoteServiceName: string | null;
  name: string;
  kind: string | null;
  timestampUs: number;
  durationUs: number | null;
  error: boolean;
  span: ZipkinSpan;
}

/**
 * Zipkin's normalisation: ids and names in lower case, a span without a timestamp dated at arrival.
 * `error` follows Zipkin's convention (an `error` tag) and OpenTelemetry's (`otel.status_code`).
 */
export function toStoredSpan(input: ZipkinSpan, receivedAtUs: number): StoredSpan {
  const span: ZipkinSpan = {
    ...input,
    traceId: input.traceId.toLowerCase(),
    id: input.id.toLowerCase(),
    ...(input.parentId ? { parentId: input.parentId.toLowerCase() } : {}),
    ...(input.name !== undefined ? { name: input.name.toLowerCase() } : {}),
  };
  const tags = span.tags ?? {};
  return {
    traceId: span.traceId,
    spanId: span.id,
    parentId: span.parentId ?? null,
    serviceName: span.localEndpoint?.serviceName?.toLowerCase() || 'unknown',
    remoteServiceName: span.remoteEndpoint?.serviceName?.toLowerCase() || null,
    name: span.name ?? '',
    kind: span.kind ?? null,
    timestampUs: span.timestamp ?? receivedAtUs,
    durationUs: span.duration ?? null,
    error: 'error' in tags || tags['otel.status_code'] === 'ERROR',
    span,
  };
}

/** One term of Zipkin's annotationQuery. */
export type AnnotationTerm =
  | { kind: 'error' }
  | { kind: 'tag'; key: string; value: string | undefined }
  | { kind: 'annotation'; value: string };

/**
 * `error and http.method=POST and retried`: terms joined by " and ". `error` means a failed span;
 * `key=value` a tag with that value; a bare word a tag of that name or an annotation with that value.
 */
export function parseAnnotationQuery(query: string | undefined): AnnotationTerm[] {
  if (!query?.trim()) return [];
  return query
    .split(/\s+and\s+/i)
    .map((term) => term.trim())
    .filter(Boolean)
    .map((term): AnnotationTerm => {
      if (term === 'error') return { kind: 'error' };
      const eq = term.indexOf('=');
      if (eq > 0) return { kind: 'tag', key: term.slice(0, eq), value: term.slice(eq + 1) };
      return { kind: 'annotation', value: term };
    });
}

/** The window a trace search covers, in microseconds: Zipkin's endTs and lookback are milliseconds. */
export function searchWindow(
  endTsMs: number | undefined,
  lookbackMs: number | undefined,
  nowMs: number,
  defaultLookbackMs: number,
): { fromUs: number; toUs: number } {
  const end = endTsMs ?? nowMs;
  const lookback = lookbackMs ?? defaultLookbackMs;
  return { fromUs: Math.max(0, end - lookback) * 1000, toUs: end * 1000 };
}
