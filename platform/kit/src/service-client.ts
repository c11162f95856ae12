import {
  ExponentialBackoff,
  handleWhen,
  type IBackoff,
  type IBackoffFactory,
  type IRetryBackoffContext,
  retry,
} from 'cockatiel';
import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Agent, request } from 'undici';
import type { DeploymentCredentials } from './credentials.ts';
import type { Discovery } from './discovery.ts';
import { PROBLEM_TYPE_HEADER, type ProblemDetails } from './errors.ts';
import { currentIdentity } from './identity.ts';
import { BrokenCircuitError, type CircuitBreakers } from './resilience.ts';
import { HOUSEKEEPING_ATTRIBUTE, injectTraceContext, SpanKind, type Tracing, withSpan } from './tracing.ts';

const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

/**
 * An answer's problem type: its X-Problem-Type header (PROBLEM_TYPE_HEADER, which an answer to a HEAD
 * carries without a body), or else its body's `type` (an instance older than the header).
 */
export function answeredProblemType(
  body: unknown,
  header?: string | string[] | undefined,
): string | undefined {
  const named = Array.isArray(header) ? header[0] : header;
  if (named) return named;
  if (typeof body !== 'object' || body === null) return undefined;
  const { type } = body as { type?: unknown };
  return typeof type === 'string' ? type : undefined;
}

const isOfCode = (type: string | undefined, code: string) =>
  type !== undefined && (type === code || type.endsWith(`:${code}`) || type.endsWith(`/${code}`));

/**
 * Whether an answer is the kit's refusal of a request that reached an instance while it was closing
 * (http.ts, `shuttingDown`): 503 with a problem whose `type` ends in `shutting-down`, named by the
 * X-Problem-Type header or the body (answeredProblemType). That instance never ran the request,
 * whatever its method, so it may be sent to another instance as it is.
 */
export function isShuttingDownAnswer(
  status: number,
  body: unknown,
  problemTypeHeader?: string | string[] | undefined,
): boolean {
  return status === 503 && isOfCode(answeredProblemType(body, problemTypeHeader), 'shutting-down');
}

/**
 * Whether an answer is the kit's 503 `concurrent-change` (errors.ts, transientDatabaseProblem): the
 * instance is up, and its transaction conflicted with a concurrent one twice and was rolled back. No
 * sign the service is unavailable; an idempotent request may be sent once more after a pause
 * (CONTENDED_PAUSE_MS), anything else goes back to its caller with the problem (ADR 0019).
 */
export function isConcurrentChangeAnswer(
  status: number,
  body: unknown,
  problemTypeHeader?: string | string[] | undefined,
): boolean {
  return status === 503 && isOfCode(answeredProblemType(body, problemTypeHeader), 'concurrent-change');
}

/**
 * The pause before an idempotent call that met `concurrent-change` is sent once more: long enough for
 * the transaction it met to commit, short against the answer's Retry-After (1 s), which is the end
 * client's to honour.
 */
export const CONTENDED_PAUSE_MS = 100;

export type CallFailure = 'unavailable' | 'timeout' | 'circuit-open' | 'http' | 'invalid-response';

/** A failed call to another service, with the reason as data. */
export class ServiceCallError extends Error {
  override name = 'ServiceCallError';
  constructor(
    readonly kind: CallFailure,
    readonly target: string,
    message: string,
    readonly status?: number,
    readonly problem?: ProblemDetails,
    /** The answer's X-Problem-Type header (PROBLEM_TYPE_HEADER): a HEAD's answer has no problem body. */
    readonly problemType?: string,
  ) {
    super(message);
  }

  /**
   * The target could not be reached, did not answer in time, or said it is unavailable (502, 503,
   * 504): worth a retry for idempotent calls, and counted by the circuit breaker (unless it is a
   * `shutting-down` or `concurrent-change` answer, below). A 500 is one request's error from a target
   * that is up; a 4xx is the caller's: neither is transient.
   */
  get transient(): boolean {
    return (
      this.kind === 'unavailable' ||
      this.kind === 'timeout' ||
      (this.kind === 'http' && UNAVAILABLE_STATUSES.has(this.status ?? 0))
    );
  }

  /**
   * The instance answered that it is closing (isShuttingDownAnswer) and never ran the call: worth
   * a retry on the next instance even when not idempotent, and no sign the target is unavailable.
   */
  get shuttingDown(): boolean {
    return this.kind === 'http' && isShuttingDownAnswer(this.status ?? 0, this.problem, this.problemType);
  }

  /**
   * The target is up and rolled the call back for a concurrent change (isConcurrentChangeAnswer):
   * sent once more after a pause when idempotent, and no sign the target is unavailable.
   */
  get concurrentChange(): boolean {
    return this.kind === 'http' && isConcurrentChangeAnswer(this.status ?? 0, this.problem, this.problemType);
  }
}

export interface CallOptions<S extends TSchema | undefined> {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined | Array<string | number>>;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /**
   * Retry on transient failures (a `concurrent-change` once, after CONTENDED_PAUSE_MS). Defaults to
   * true for GET, HEAD, PUT and DELETE. Any call is retried when an instance refused it as shutting
   * down (it never ran it).
   */
  idempotent?: boolean;
  /** The response is checked against this schema and typed by it. */
  response?: S;
  /**
   * A call the platform makes to keep itself current (a periodic poll of a feed), not one a user's
   * action causes: no span is recorded for it, and the callee, told the trace is not sampled, records
   * none either (tracing.ts, HOUSEKEEPING_ATTRIBUTE).
   */
  housekeeping?: boolean;
}

type Result<S> = S extends TSchema ? Static<S> : unknown;

const agent = new Agent({ keepAliveTimeout: 10_000, connections: 64 });
const validators = new WeakMap<TSchema, ReturnType<typeof Compile>>();

export interface ServiceClientOptions {
  discovery: Discovery;
  breakers: CircuitBreakers;
  tracing: Tracing;
  defaultTimeoutMs: number;
  maxAttempts: number;
  /** Signs a service token for each call, carrying the user the call is made for. */
  credentials: DeploymentCredentials;
}

/**
 * Calls another service by name (the OpenFeign + Resilience4j role): discovery with round robin,
 * a per-call timeout, retries only when idempotent, one circuit breaker per target, trace context
 * propagated, and a service token proving the caller (and the user it acts for) on every call.
 */
export class ServiceClient {
  constructor(
    readonly target: string,
    private readonly options: ServiceClientOptions,
  ) {}

  get<S extends TSchema | undefined = undefined>(
    path: string,
    options: Omit<CallOptions<S>, 'path' | 'method'> = {},
  ) {
    return this.call<S>({ ...options, method: 'GET', path });
  }

  post<S extends TSchema | undefined = undefined>(
    path: string,
    body: unknown,
    options: Omit<CallOptions<S>, 'path' | 'method' | 'body'> = {},
  ) {
    return this.call<S>({ ...options, method: 'POST', path, body });
  }

  put<S extends TSchema | undefined = undefined>(
    path: string,
    body: unknown,
    options: Omit<CallOptions<S>, 'path' | 'method' | 'body'> = {},
  ) {
    return this.call<S>({ ...options, method: 'PUT', path, body });
  }

  patch<S extends TSchema | undefined = undefined>(
    path: string,
    body: unknown,
    options: Omit<CallOptions<S>, 'path' | 'method' | 'body'> = {},
  ) {
    return this.call<S>({ ...options, method: 'PATCH', path, body });
  }

  delete<S extends TSchema | undefined = undefined>(
    path: string,
    options: Omit<CallOptions<S>, 'path' | 'method'> = {},
  ) {
    return this.call<S>({ ...options, method: 'DELETE', path });
  }

  async call<S extends TSchema | undefined = undefined>(options: CallOptions<S>): Promise<Result<S>> {
    const method = options.method ?? 'GET';
    const idempotent =
      options.idempotent ??
      (method === 'GET' || method === 'HEAD' || method === 'PUT' || method === 'DELETE');
    const breaker = this.options.breakers.get(this.target);
    // A concurrent change answered is sent once more at most: the target already ran its transaction
    // twice, and more tries would only add to the contention on the same rows.
    let contendedRetries = 0;
    // A call an instance refused as shutting down never ran there: the next instance (round robin)
    // may run it, a POST too (a rolling restart shows callers no error).
    const retryPolicy = retry(
      handleWhen(
        (e) =>
          e instanceof ServiceCallError &&
          (e.shuttingDown ||
            (idempotent && e.transient && (!e.concurrentChange || contendedRetries++ === 0))),
      ),
      {
        maxAttempts: this.options.maxAttempts - 1,
        backoff: pausingAfterContention(new ExponentialBackoff({ initialDelay: 50, maxDelay: 1_000 })),
      },
    );
    try {
      return await retryPolicy.execute(() => breaker.execute(() => this.once<S>(method, options)));
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new ServiceCallError('circuit-open', this.target, `${this.target} circuit is open`);
      }
      throw error;
    }
  }

  private once<S extends TSchema | undefined>(method: string, options: CallOptions<S>): Promise<Result<S>> {
    return withSpan(
      this.options.tracing.tracer,
      `${method} ${this.target}${options.path.split('?')[0]}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'peer.service': this.target,
          ...(options.housekeeping ? { [HOUSEKEEPING_ATTRIBUTE]: true } : {}),
        },
      },
      async () => {
        const instance = await this.options.discovery.choose(this.target);
        if (!instance)
          throw new ServiceCallError('unavailable', this.target, `no instance of ${this.target} is up`);
        const url = new URL(options.path, instance.url);
        for (const [key, value] of Object.entries(options.query ?? {})) {
          if (value === undefined) continue;
          for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
        }
        const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
        injectTraceContext(headers);
        Object.assign(headers, this.options.credentials.headersFor(this.target, currentIdentity()));
        if (options.body !== undefined) headers['content-type'] = 'application/json';
        const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs;

        let res: Awaited<ReturnType<typeof request>>;
        let text: string;
        // The deadline, cleared once answered: an `AbortSignal.timeout` stays armed after the
        // answer and, when it fires, builds a DOMException with its stack for nobody (change 32).
        const deadline = new AbortController();
        const timer = setTimeout(() => deadline.abort(CALL_TIMED_OUT), timeoutMs);
        try {
          res = await request(url, {
            method: method as 'GET',
            headers,
            body: options.body === undefined ? null : JSON.stringify(options.body),
            dispatcher: agent,
            signal: deadline.signal,
          });
          // Inside the try: a body that stalls or is cut off is a timeout or an outage too.
          text = await res.body.text();
        } catch (error) {
          const err = error as Error & { code?: string };
          if (deadline.signal.aborted || err.name === 'AbortError') {
            throw new ServiceCallError(
              'timeout',
              this.target,
              `${this.target} did not answer within ${timeoutMs} ms`,
            );
          }
          throw new ServiceCallError(
            'unavailable',
            this.target,
            `${this.target} unreachable: ${err.code ?? err.message}`,
          );
        } finally {
          clearTimeout(timer);
        }
        const body = text ? safeJson(text) : undefined;
        if (res.statusCode >= 400) {
          const problem = isProblem(body) ? body : undefined;
          throw new ServiceCallError(
            'http',
            this.target,
            problem?.detail ?? `${this.target} answered ${res.statusCode}`,
            res.statusCode,
            problem,
            answeredProblemType(undefined, res.headers[PROBLEM_TYPE_HEADER]),
          );
        }
        if (options.response) {
          const validator = validators.get(options.response) ?? Compile(options.response);
          validators.set(options.response, validator);
          if (!validator.Check(body)) {
            const first = [...validator.Errors(body)][0];
            throw new ServiceCallError(
              'invalid-response',
              this.target,
              `${this.target} answered an unexpected shape: ${first?.instancePath ?? ''} ${first?.message ?? ''}`,
            );
          }
        }
        return body as Result<S>;
      },
    );
  }
}

/** The reason a call's deadline gives its request: one value, so that a timeout allocates nothing. */
const CALL_TIMED_OUT = Object.assign(new Error('deadline reached'), { name: 'TimeoutError' });

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isProblem(body: unknown): body is ProblemDetails {
  return typeof body === 'object' && body !== null && 'status' in body && 'title' in body;
}

/**
 * What the breaker per target counts: transient failures, but not an instance that is closing, nor
 * one that is up and answered `concurrent-change` (contention on a few rows says nothing of the
 * others: counted, it would let one hot row refuse every user of the service).
 */
export function isBreakerFailure(error: Error): boolean {
  return (
    error instanceof ServiceCallError && error.transient && !error.shuttingDown && !error.concurrentChange
  );
}

type RetryContext = IRetryBackoffContext<unknown>;

/** The retries' backoff, but never shorter than CONTENDED_PAUSE_MS after a `concurrent-change`. */
function pausingAfterContention(factory: IBackoffFactory<RetryContext>): IBackoffFactory<RetryContext> {
  const floored = (backoff: IBackoff<RetryContext>, context: RetryContext): IBackoff<RetryContext> => {
    const failure = 'error' in context.result ? context.result.error : undefined;
    const contended = failure instanceof ServiceCallError && failure.concurrentChange;
    return {
      duration: contended ? Math.max(CONTENDED_PAUSE_MS, backoff.duration) : backoff.duration,
      next: (next) => floored(backoff.next(next), next),
    };
  };
  return { next: (context) => floored(factory.next(context), context) };
}
