import { Problem } from '@sagamart/kit';
import type { GatewayRoute } from '../domain/route-table.ts';

/** A problem answer that needs headers of its own (WWW-Authenticate, Retry-After, Allow). */
export class GatewayProblem extends Problem {
  constructor(
    status: number,
    detail: string,
    code: string,
    readonly headers: Record<string, string> = {},
    extensions: Record<string, unknown> = {},
  ) {
    super(status, detail, { code, extensions });
  }
}

const REALM = 'Bearer realm="sagamart"';
const quoted = (text: string) => text.replaceAll('\\', '\\\\').replaceAll('"', '\\"');

/** RFC 6750: no error code when no credentials were sent. */
export const authenticationRequired = () =>
  new GatewayProblem(401, 'Authentication is required', 'unauthenticated', { 'www-authenticate': REALM });

export const invalidToken = (why: string) =>
  new GatewayProblem(401, `The access token is not valid: ${why}`, 'invalid-token', {
    'www-authenticate': `${REALM}, error="invalid_token", error_description="${quoted(why)}"`,
  });

export const wrongRole = (role: string) =>
  new GatewayProblem(403, `This needs the ${role} role`, 'forbidden');

export const rateLimited = (retryAfterSeconds: number) =>
  new GatewayProblem(
    429,
    `Too many requests; try again in ${retryAfterSeconds} s`,
    'rate-limited',
    { 'retry-after': String(retryAfterSeconds) },
    { retryAfterSeconds },
  );

export const keysUnavailable = (service: string) =>
  new GatewayProblem(
    503,
    `Tokens cannot be checked: ${service} is unavailable`,
    'auth-unavailable',
    {},
    { service },
  );

/** Before the gateway has read the revocation feed once it cannot tell a revoked token from a valid one. */
export const revocationsUnavailable = (service: string, retryAfterSeconds: number) =>
  new GatewayProblem(
    503,
    `Tokens cannot be checked yet: the revocation list of ${service} has not been read; try again in ${retryAfterSeconds} s`,
    'revocations-unavailable',
    { 'retry-after': String(retryAfterSeconds) },
    { service, retryAfterSeconds },
  );

/** Only a service that consumes events keeps dead letters; the others have nothing to show or replay. */
export const keepsNoDeadLetters = (service: string) =>
  new GatewayProblem(404, `${service} keeps no dead letters`, 'no-dead-letters', {}, { service });

export const notRouted = (method: string, path: string) =>
  new GatewayProblem(404, `No route for ${method} ${path}`, 'no-route');

export const malformedPath = () =>
  new GatewayProblem(
    400,
    'The request path has dot segments, encoded separators or needlessly encoded characters',
    'malformed-path',
  );

export const methodNotAllowed = (method: string, allowed: string[]) =>
  new GatewayProblem(405, `${method} is not allowed here`, 'method-not-allowed', {
    allow: allowed.join(', '),
  });

/** Closes the connection: the rest of the body may still be on its way, and nobody will read it. */
export const bodyTooLarge = (limit: number) =>
  new GatewayProblem(413, `The request body is larger than ${limit} bytes`, 'body-too-large', {
    connection: 'close',
  });

export const upgradeRequired = () =>
  new GatewayProblem(426, 'This path takes WebSocket connections only', 'upgrade-required', {
    upgrade: 'websocket',
    connection: 'Upgrade',
  });

/** The client hung up before the answer came (nginx's 499): nobody reads it, it only keeps the logs honest. */
export const clientClosed = () => new GatewayProblem(499, 'The client closed the request', 'client-closed');

export type UnavailableReason = 'no-instance' | 'upstream-unavailable' | 'upstream-timeout' | 'circuit-open';

const REASONS: Record<UnavailableReason, (service: string, detail: string) => string> = {
  'no-instance': (service) => `${service} is unavailable: no instance is up`,
  'upstream-unavailable': (service, detail) => `${service} is unavailable: ${detail}`,
  'upstream-timeout': (service, detail) => `${service} is unavailable: ${detail}`,
  'circuit-open': (service) => `${service} is unavailable: its circuit is open after repeated failures`,
};

/** 503 naming the service and the route, whatever went wrong upstream. */
export const serviceUnavailable = (
  route: Pick<GatewayRoute, 'id' | 'service'>,
  reason: UnavailableReason,
  detail = '',
) =>
  new GatewayProblem(
    503,
    REASONS[reason](route.service, detail),
    reason,
    {},
    { service: route.service, route: route.id },
  );
