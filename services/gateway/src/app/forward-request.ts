import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BrokenCircuitError,
  type CircuitBreakers,
  CONTENDED_PAUSE_MS,
  type Discovery,
  injectTraceContext,
  isConcurrentChangeAnswer,
  isShuttingDownAnswer,
  PROBLEM_TYPE_HEADER,
  type ServiceInstance,
} from '@sagamart/kit';
import type { GatewayRoute } from '../domain/route-table.ts';
import { answerWithBody, sendUpstream, type UpstreamAnswer, UpstreamError } from '../infra/upstream-http.ts';
import { clientClosed, serviceUnavailable } from './gateway-problems.ts';

/**
 * Statuses that mean the upstream itself is unavailable: passed on, but counted by the circuit
 * breaker. Not 500 or 502: the upstream is up and failed one request (or its own dependency did).
 */
const FAILURE_STATUSES = new Set([503, 504]);

/**
 * A 503 problem answer up to this length, from an instance older than the X-Problem-Type header, is
 * read to tell an instance's refusal as it closes, or a concurrent change, from another 503 (the
 * kit's are about 250 bytes).
 */
const INSPECTED_PROBLEM_BYTES = 16 * 1024;

/**
 * How many instances discovery is asked for (round robin, shared with other requests) to find one
 * that has not refused the request as closing, and how many such refusals one request meets at most.
 */
const CLOSING_PICKS = 3;

/**
 * An upstream answer passed on as it is, out of the breaker: counted as a failure when `failure`
 * (503, 504), not when a closing instance refused the request (it says nothing of the others) nor
 * when an instance that is up answered `concurrent-change` (contention on a few rows).
 */
class PassedOn extends Error {
  constructor(
    readonly answer: Forwarded,
    readonly failure: boolean,
  ) {
    super(`answered ${answer.response.statusCode}`);
  }
}

class NoInstance extends Error {}

/** What the route's circuit breaker counts: the upstream failing, not the client leaving. */
export function isUpstreamFailure(error: Error): boolean {
  return (
    (error instanceof PassedOn && error.failure) ||
    (error instanceof UpstreamError && error.kind !== 'aborted')
  );
}

export interface Forwarding {
  route: GatewayRoute;
  method: string;
  /** Path and query as sent upstream. */
  target: string;
  headers: Record<string, string>;
  /**
   * A Buffer can be sent twice; a stream only once. proxy.ts reads every body whole (bounded by the
   * route's limit), so that a request an instance refused as closing can go to another.
   */
  body: Readable | Buffer | null;
  /**
   * May go to a second instance when the first refuses the connection, and be sent once more after
   * a `concurrent-change` (idempotent methods).
   */
  retryable: boolean;
  clientGone: AbortSignal;
}

export interface Forwarded {
  response: UpstreamAnswer;
  instance: ServiceInstance;
}

/**
 * Sends a request to an instance of the route's service (round robin through discovery), under the
 * route's timeout and circuit breaker. Throws a 503 GatewayProblem naming the service when it fails.
 *
 * An instance that is closing (a rolling restart, `npm start` restarting a service) answers what
 * still reaches it with 503 `shutting-down` and never runs it (the kit's http.ts): the request goes
 * to another instance, whatever its method, and the breaker does not count the refusal. With no other
 * instance the refusal is passed on, its Retry-After with it.
 *
 * An instance whose transaction conflicted with a concurrent one even on its second run answers 503
 * `concurrent-change` (ADR 0019): it is up and rolled the request back. The breaker does not count
 * it; an idempotent request is sent once more after CONTENDED_PAUSE_MS, and anything else (or the
 * second answer) is passed on as it came, its problem and Retry-After with it.
 */
export async function forwardRequest(
  deps: { discovery: Discovery; breakers: CircuitBreakers },
  call: Forwarding,
): Promise<Forwarded> {
  const { route } = call;
  const headers = { ...call.headers };
  injectTraceContext(headers);
  const replayable = call.body === null || Buffer.isBuffer(call.body);
  const sendTo = async (instance: ServiceInstance): Promise<Forwarded> => ({
    instance,
    response: await sendUpstream({
      url: new URL(call.target, instance.url),
      method: call.method,
      headers,
      body: call.body,
      timeoutMs: route.timeoutMs,
      clientGone: call.clientGone,
    }),
  });

  try {
    return await deps.breakers.get(`route:${route.id}`).execute(async () => {
      const first = await deps.discovery.choose(route.service);
      if (!first) throw new NoInstance();
      let answer: Forwarded;
      try {
        answer = await sendTo(first);
      } catch (error) {
        // A killed instance stays registered until its lease lapses, and a pooled connection may have
        // been closed under us: an idempotent request gets one more try, on the next instance.
        const connectionLost =
          error instanceof UpstreamError && (error.kind === 'connect' || error.kind === 'broken');
        if (!connectionLost || !call.retryable) throw error;
        const next = await deps.discovery.choose(route.service);
        // A refusal will come again from the same instance; a dropped connection need not.
        if (!next || (error.kind === 'connect' && next.instanceId === first.instanceId)) throw error;
        answer = await sendTo(next);
      }
      const closing = new Set<string>();
      let contended = false;
      for (;;) {
        const looked = await refusalOf(answer, call.clientGone);
        answer = looked.answer;
        if (!looked.refusal) break;
        let next: ServiceInstance | undefined;
        if (looked.refusal === 'shutting-down') {
          closing.add(answer.instance.instanceId);
          if (replayable && closing.size < CLOSING_PICKS)
            next = await otherInstance(deps.discovery, route.service, closing);
        } else if (call.retryable && replayable && !contended) {
          // Once: the instance already ran the transaction twice, and more would add to the contention.
          contended = true;
          next = await otherInstance(deps.discovery, route.service, closing);
        }
        if (!next) throw new PassedOn(answer, false);
        await answer.response.body.dump();
        if (looked.refusal === 'concurrent-change') await pause(CONTENDED_PAUSE_MS, call.clientGone);
        answer = await sendTo(next);
      }
      if (FAILURE_STATUSES.has(answer.response.statusCode)) throw new PassedOn(answer, true);
      return answer;
    });
  } catch (error) {
    if (error instanceof PassedOn) return error.answer;
    if (error instanceof NoInstance) throw serviceUnavailable(route, 'no-instance');
    if (error instanceof BrokenCircuitError) throw serviceUnavailable(route, 'circuit-open');
    if (error instanceof UpstreamError && error.kind === 'timeout') {
      throw serviceUnavailable(route, 'upstream-timeout', error.message);
    }
    if (error instanceof UpstreamError && error.kind === 'aborted') throw clientClosed();
    if (error instanceof UpstreamError) {
      throw serviceUnavailable(route, 'upstream-unavailable', `connection failed (${error.message})`);
    }
    throw error;
  }
}

/** The 503s that say nothing of whether the upstream is available. */
type Refusal = 'shutting-down' | 'concurrent-change';

function refusalIn(status: number, body: unknown, problemType?: string | string[]): Refusal | undefined {
  if (isShuttingDownAnswer(status, body, problemType)) return 'shutting-down';
  if (isConcurrentChangeAnswer(status, body, problemType)) return 'concurrent-change';
  return undefined;
}

/**
 * Whether an answer is an instance's refusal as it closes (isShuttingDownAnswer) or a concurrent
 * change (isConcurrentChangeAnswer), by its problem's type: named in the X-Problem-Type header (an
 * answer to a HEAD has no body), or else (an instance older than the header) in a 503 problem's body,
 * read whole to tell and handed back to be passed on otherwise.
 */
async function refusalOf(
  answer: Forwarded,
  clientGone: AbortSignal,
): Promise<{ refusal: Refusal | undefined; answer: Forwarded }> {
  const { response } = answer;
  if (response.statusCode !== 503) return { refusal: undefined, answer };
  const named = response.headers[PROBLEM_TYPE_HEADER];
  if (named !== undefined) return { refusal: refusalIn(503, undefined, named), answer };
  const length = Number(response.headers['content-length']);
  const type = String(response.headers['content-type'] ?? '');
  if (!type.includes('problem+json') || !(length <= INSPECTED_PROBLEM_BYTES))
    return { refusal: undefined, answer };
  let bytes: Buffer;
  try {
    bytes = Buffer.from(await response.body.arrayBuffer());
  } catch (error) {
    if (clientGone.aborted) throw new UpstreamError('aborted', 'the client went away');
    throw new UpstreamError('broken', `the answer broke off (${(error as Error).message})`);
  }
  let problem: unknown;
  try {
    problem = JSON.parse(bytes.toString('utf8'));
  } catch {
    problem = undefined;
  }
  return {
    refusal: refusalIn(response.statusCode, problem),
    answer: { ...answer, response: answerWithBody(response, bytes) },
  };
}

/** Waits `ms`, unless the client goes away first. */
async function pause(ms: number, clientGone: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal: clientGone });
  } catch {
    throw new UpstreamError('aborted', 'the client went away');
  }
}

/** The next instance (round robin) that has not refused the request as closing, if one comes up. */
async function otherInstance(
  discovery: Discovery,
  service: string,
  closing: ReadonlySet<string>,
): Promise<ServiceInstance | undefined> {
  for (let pick = 0; pick < CLOSING_PICKS; pick++) {
    const next = await discovery.choose(service);
    if (!next) return undefined;
    if (!closing.has(next.instanceId)) return next;
  }
  return undefined;
}
