import { isTransactionConflict } from './sql-text.ts';

/** One invalid input field, as listed in a validation problem. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** RFC 9457 problem details. `traceId` ties the answer to logs and traces. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  traceId?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

// The problem shape is a public HTTP contract (the web reads it too); the kit re-exports it for services.
export { ProblemSchema } from '@sagamart/contracts/http/problem';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  417: 'Expectation Failed',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function statusTitle(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/**
 * The response header in which every problem answer of the kit repeats its problem's `type` (http.ts,
 * sendProblem): an answer without a body, as every answer to a HEAD is, is told by it. Callers tell
 * a closing instance's `shutting-down` refusal and a `concurrent-change` by it (service-client.ts,
 * answeredProblemType), and by the body's `type` from an instance older than the header.
 */
export const PROBLEM_TYPE_HEADER = 'x-problem-type';

/**
 * An error that becomes a problem+json answer. Throw it from any handler or use case;
 * `code` is a stable machine-readable reason (it becomes the problem `type` suffix).
 */
export class Problem extends Error {
  readonly status: number;
  readonly code: string;
  readonly extensions: Record<string, unknown>;
  readonly errors: FieldProblem[] | undefined;

  constructor(
    status: number,
    detail: string,
    options: { code?: string; errors?: FieldProblem[]; extensions?: Record<string, unknown> } = {},
  ) {
    super(detail);
    this.name = 'Problem';
    this.status = status;
    this.code = options.code ?? statusTitle(status).toLowerCase().replaceAll(' ', '-');
    this.errors = options.errors;
    this.extensions = options.extensions ?? {};
  }

  toJSON(instance?: string, traceId?: string): ProblemDetails {
    return {
      type: `urn:sagamart:problem:${this.code}`,
      title: statusTitle(this.status),
      status: this.status,
      detail: this.message,
      ...(instance ? { instance } : {}),
      ...(traceId ? { traceId } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
      ...this.extensions,
    };
  }
}

export const badRequest = (detail: string, errors?: FieldProblem[]) =>
  new Problem(400, detail, { code: 'bad-request', ...(errors ? { errors } : {}) });
export const unauthorized = (detail = 'Authentication is required') => new Problem(401, detail);
export const forbidden = (detail = 'You are not allowed to do this') => new Problem(403, detail);
export const notFound = (detail = 'Not found') => new Problem(404, detail);
export const conflict = (detail: string, code = 'conflict') => new Problem(409, detail, { code });
export const unprocessable = (detail: string, code = 'unprocessable') => new Problem(422, detail, { code });

/**
 * What the caller is told of a database error that is transient rather than a fault of the server:
 * a transaction PostgreSQL rolled back for a concurrent one (a deadlock, a serialization failure)
 * even on `ctx.transaction`'s run again (ADR 0019) is a 503 with a short Retry-After, as the same
 * request is expected to go through a moment later. Callers' circuit breakers do not count it (the
 * instance is up); an idempotent call is sent once more after a pause. Undefined for any other error.
 */
export function transientDatabaseProblem(error: unknown): Problem | undefined {
  if (!isTransactionConflict(error)) return undefined;
  const problem = new Problem(
    503,
    'Another request changed the same data at the same time; please try again in a moment',
    { code: 'concurrent-change', extensions: { retryAfterSeconds: 1 } },
  );
  problem.cause = error;
  return problem;
}
