import { apiErrorFromResponse, networkError } from './api-error.ts';

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Query parameters; null, undefined and empty strings are left out. */
  query?: Record<string, QueryValue>;
  /** Serialised as JSON; a Blob (e.g. a picked File) is sent as-is, typed by its own `type`. */
  body?: unknown;
  /** Extra request headers, e.g. `Idempotency-Key`. */
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
}

/**
 * Sends one request to the platform and decodes its JSON body; non-2xx responses become `ApiError`.
 * Knows nothing about sessions: `client.ts` adds the bearer token and the refresh-and-retry.
 */
export async function sendRequest<T>(
  path: string,
  options: RequestOptions = {},
  accessToken?: string | null,
): Promise<T> {
  const headers = new Headers(options.headers);
  headers.set('Accept', 'application/json, application/problem+json');
  const raw = options.body instanceof Blob ? options.body : undefined;
  if (raw) headers.set('Content-Type', raw.type || 'application/octet-stream');
  else if (options.body !== undefined) headers.set('Content-Type', 'application/json');
  if (accessToken) headers.set('Authorization', `Bearer ${accessToken}`);

  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: raw ?? (options.body === undefined ? null : JSON.stringify(options.body)),
      signal: options.signal ?? null,
    });
  } catch (error) {
    // Let TanStack Query see its own cancellations as aborts, not as failures; timeouts are failures.
    if (options.signal?.aborted && !isTimeout(options.signal.reason)) throw error;
    throw networkError(error);
  }

  if (!response.ok) throw await apiErrorFromResponse(response);
  return (await readBody(response)) as T;
}

export function withQuery(path: string, query: Record<string, QueryValue> | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined || value === '') continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

function isTimeout(reason: unknown): boolean {
  return reason instanceof DOMException && reason.name === 'TimeoutError';
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  const isJson = /[/+]json\b/.test(response.headers.get('Content-Type') ?? '');
  return isJson ? JSON.parse(text) : text;
}
