import type { Readable } from 'node:stream';
import {
  BrokenCircuitError,
  type CircuitBreakers,
  type Discovery,
  injectTraceContext,
  type ServiceInstance,
} from '@sagamart/kit';
import type { Dispatcher } from 'undici';
import type { GatewayRoute } from '../domain/route-table.ts';
import { sendUpstream, UpstreamError } from '../infra/upstream-http.ts';
import { clientClosed, serviceUnavailable } from './gateway-problems.ts';

/**
 * Statuses that mean the upstream itself is unavailable: passed on, but counted by the circuit
 * breaker. Not 500 or 502: the upstream is up and failed one request (or its own dependency did).
 */
const FAILURE_STATUSES = new Set([503, 504]);

/** An upstream answer that counts as a failure; carries the response so it can still be passed on. */
class FailedAnswer extends Error {
  constructor(
    readonly response: Dispatcher.ResponseData,
    readonly instance: ServiceInstance,
  ) {
    super(`answered ${response.statusCode}`);
  }
}

class NoInstance extends Error {}

/** What the route's circuit breaker counts: the upstream failing, not the client leaving. */
export function isUpstreamFailure(error: Error): boolean {
  return error instanceof FailedAnswer || (error instanceof UpstreamError && error.kind !== 'aborted');
}

export interface Forwarding {
  route: GatewayRoute;
  method: string;
  /** Path and query as sent upstream. */
  target: string;
  headers: Record<string, string>;
  /** A Buffer can be sent twice; a stream only once. */
  body: Readable | Buffer | null;
  /** May go to a second instance when the first refuses the connection (idempotent methods). */
  retryable: boolean;
  clientGone: AbortSignal;
}

export interface Forwarded {
  response: Dispatcher.ResponseData;
  instance: ServiceInstance;
}

/**
 * Sends a request to an instance of the route's service (round robin through discovery), under the
 * route's timeout and circuit breaker. Throws a 503 GatewayProblem naming the service when it fails.
 */
export async function forwardRequest(
  deps: { discovery: Discovery; breakers: CircuitBreakers },
  call: Forwarding,
): Promise<Forwarded> {
  const { route } = call;
  const headers = { ...call.headers };
  injectTraceContext(headers);
  const sendTo = async (instance: ServiceInstance) => ({
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
      if (FAILURE_STATUSES.has(answer.response.statusCode))
        throw new FailedAnswer(answer.response, answer.instance);
      return answer;
    });
  } catch (error) {
    if (error instanceof FailedAnswer) return { response: error.response, instance: error.instance };
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
