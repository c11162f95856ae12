import { queryOptions } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { compactParams, oneOf } from '../lib/search-params.ts';
import type { DependencyLink, ZipkinSpan } from './trace-model.ts';

/** The trace-server's Zipkin v2 API, through the gateway's admin route. */
const ZIPKIN = '/api/admin/zipkin/api/v2';

/** Search windows in minutes (labelled under `traces.lookback`). */
export const LOOKBACKS = ['15', '60', '1440', '10080'] as const;
type Lookback = (typeof LOOKBACKS)[number];

/** The search's filters live in the URL, so a search can be shared and reloaded. */
export interface TraceSearch {
  serviceName: string;
  spanName: string;
  /** Milliseconds; empty for any. */
  minDurationMs: string;
  errorsOnly: boolean;
  lookbackMinutes: Lookback;
}

export function parseTraceSearch(params: URLSearchParams): TraceSearch {
  return {
    serviceName: params.get('serviceName') ?? '',
    spanName: params.get('spanName') ?? '',
    minDurationMs: /^\d{1,7}$/.test(params.get('minDurationMs') ?? '') ? params.get('minDurationMs')! : '',
    errorsOnly: params.get('errors') === '1',
    lookbackMinutes: oneOf(params.get('lookback'), LOOKBACKS) ?? '60',
  };
}

export function traceSearchParams(search: TraceSearch): URLSearchParams {
  return compactParams({
    serviceName: search.serviceName,
    spanName: search.spanName,
    minDurationMs: search.minDurationMs,
    errors: search.errorsOnly ? '1' : '',
    lookback: search.lookbackMinutes === '60' ? '' : search.lookbackMinutes,
  });
}

export const serviceNamesQuery = queryOptions({
  queryKey: ['traces', 'services'],
  queryFn: ({ signal }) => api.get<string[]>(`${ZIPKIN}/services`, { signal }),
});

export const spanNamesQuery = (serviceName: string) =>
  queryOptions({
    queryKey: ['traces', 'span-names', serviceName],
    queryFn: ({ signal }) => api.get<string[]>(`${ZIPKIN}/spans`, { signal, query: { serviceName } }),
    enabled: serviceName !== '',
  });

export const tracesQuery = (search: TraceSearch) =>
  queryOptions({
    queryKey: ['traces', 'search', search],
    queryFn: ({ signal }) =>
      api.get<ZipkinSpan[][]>(`${ZIPKIN}/traces`, {
        signal,
        query: {
          serviceName: search.serviceName,
          spanName: search.spanName,
          minDuration: search.minDurationMs ? Number(search.minDurationMs) * 1000 : undefined,
          annotationQuery: search.errorsOnly ? 'error' : undefined,
          lookback: Number(search.lookbackMinutes) * 60_000,
          limit: 30,
        },
      }),
  });

export const traceQuery = (traceId: string) =>
  queryOptions({
    queryKey: ['traces', 'trace', traceId],
    queryFn: ({ signal }) => api.get<ZipkinSpan[]>(`${ZIPKIN}/trace/${traceId}`, { signal }),
  });

export const dependenciesQuery = (lookbackMinutes: Lookback) =>
  queryOptions({
    queryKey: ['traces', 'dependencies', lookbackMinutes],
    queryFn: ({ signal }) =>
      api.get<DependencyLink[]>(`${ZIPKIN}/dependencies`, {
        signal,
        query: { lookback: Number(lookbackMinutes) * 60_000 },
      }),
  });
