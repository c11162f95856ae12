// The services' problem shape, as a type only: nothing of it reaches the bundle.
import type { ProblemSchema } from '@sagamart/contracts/http/problem';
import type { Static } from 'typebox';

/**
 * RFC 9457 problem details as the platform's services emit them; every member optional, since a body
 * that is not the services' own (a proxy's error page, a network failure) is read as far as it goes.
 */
export type ProblemDetails = Partial<Static<typeof ProblemSchema>>;

/** One invalid field, as listed in a problem's `errors` array. */
export type FieldError = NonNullable<ProblemDetails['errors']>[number];

/** Status used for failures that never reached the server (offline, DNS, CORS, aborted). */
export const NETWORK_ERROR_STATUS = 0;

/** A failed API call. `message` is the most specific human-readable text the server gave. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly traceId: string | undefined;
  readonly errors: readonly FieldError[];
  /** The members a service adds to the problem (`reason`, `maxCharge`, …), as it sent them. */
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(
    status: number,
    problem: ProblemDetails,
    options?: { cause?: unknown; extensions?: Record<string, unknown> },
  ) {
    const title = problem.title ?? defaultTitle(status);
    super(problem.detail ?? title, options);
    this.status = status;
    this.type = problem.type ?? 'about:blank';
    this.title = title;
    this.detail = problem.detail;
    this.traceId = problem.traceId;
    this.errors = problem.errors ?? [];
    this.extensions = options?.extensions ?? {};
  }

  /** First message per field, keyed by the field's dotted path, for showing next to form inputs. */
  get fieldErrors(): Record<string, string> {
    const byField: Record<string, string> = {};
    for (const { field, message } of this.errors) {
      const key = normalizeFieldPath(field);
      byField[key] ??= message;
    }
    return byField;
  }

  /** The stable reason the platform's services put in `type` (`urn:sagamart:problem:OUT_OF_STOCK` → `OUT_OF_STOCK`). */
  get code(): string | undefined {
    const match = /^urn:sagamart:problem:(.+)$/.exec(this.type);
    return match?.[1];
  }

  /** Why, within the code (COUPON_UNAVAILABLE's `MIN_ORDER_AMOUNT`, say), when the service says. */
  get reason(): string | undefined {
    const reason = this.extensions.reason;
    return typeof reason === 'string' ? reason : undefined;
  }

  get isNetworkError(): boolean {
    return this.status === NETWORK_ERROR_STATUS;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** The server says the thing asked for is not there (404): asking again finds nothing either. */
export function isNotFoundError(error: unknown): boolean {
  return isApiError(error) && error.status === 404;
}

/** A failure that asking again may mend: the server was not reached, or failed itself (5xx). */
export function isTransientError(error: unknown): boolean {
  return isApiError(error) && (error.isNetworkError || error.status >= 500);
}

export function networkError(cause: unknown): ApiError {
  return new ApiError(
    NETWORK_ERROR_STATUS,
    { title: 'Network error', detail: 'Could not reach the server. Check your connection and try again.' },
    { cause },
  );
}

/** Builds an ApiError from a non-2xx response, tolerating bodies that are not problem+json. */
export async function apiErrorFromResponse(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  const body = parseBody(text);
  return new ApiError(
    response.status,
    { ...toProblem(body), status: response.status },
    { extensions: extensionsOf(body) },
  );
}

function parseBody(text: string): Record<string, unknown> {
  if (!text) return {};
  try {
    const body: unknown = JSON.parse(text);
    return isObject(body) ? body : {};
  } catch {
    return {};
  }
}

function toProblem(body: Record<string, unknown>): ProblemDetails {
  const problem: ProblemDetails = {};
  if (typeof body.type === 'string') problem.type = body.type;
  if (typeof body.title === 'string') problem.title = body.title;
  if (typeof body.detail === 'string') problem.detail = body.detail;
  if (typeof body.instance === 'string') problem.instance = body.instance;
  if (typeof body.traceId === 'string') problem.traceId = body.traceId;
  if (Array.isArray(body.errors)) problem.errors = body.errors.filter(isFieldError);
  return problem;
}

const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'traceId', 'errors']);

/** What the service added beyond the problem's own members. */
function extensionsOf(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([name]) => !PROBLEM_MEMBERS.has(name)));
}

function isFieldError(value: unknown): value is FieldError {
  return isObject(value) && typeof value.field === 'string' && typeof value.message === 'string';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Validators report either `password` or a JSON pointer such as `/password`; forms use the former.
function normalizeFieldPath(field: string): string {
  return field.replace(/^\//, '').replaceAll('/', '.');
}

function defaultTitle(status: number): string {
  if (status === 401) return 'Please log in to continue.';
  if (status === 403) return 'You do not have permission to do that.';
  if (status === 404) return 'Not found.';
  if (status >= 500) return 'The server had a problem. Please try again shortly.';
  return `Request failed (${status}).`;
}
