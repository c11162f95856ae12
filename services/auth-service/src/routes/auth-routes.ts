import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { JWKS_PATH } from '@sagamart/contracts';
import { ProblemSchema, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { type Static, Type } from 'typebox';
import { authModule } from '../app/module.ts';
import { invalidRefreshToken } from '../app/problems.ts';
import type { AuthDb } from '../infra/schema.ts';
import {
  clearRefreshCookie,
  deliverPair,
  presentedRefreshToken,
  REFRESH_COOKIE,
  REFRESH_COOKIE_PATH,
  registerRefreshCookie,
  TOKEN_DELIVERIES,
} from './refresh-cookie.ts';
import { JwksSchema, RefreshTokenBody, TokenPairSchema, withRetryAfter } from './schemas.ts';

const tags = ['auth'];
const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 429: ProblemSchema };

/**
 * The client's address for login throttling: the last X-Forwarded-For entry, which the gateway sets
 * to the address it saw (replacing any the client sent); the peer's address on a direct call. A
 * direct caller could send any value, so auth's own port must not be public (docs/security.md).
 */
export function clientAddress(req: {
  headers: IncomingHttpHeaders;
  socket: { remoteAddress?: string | undefined };
}) {
  const forwarded = req.headers['x-forwarded-for'];
  const last = (Array.isArray(forwarded) ? forwarded.at(-1) : forwarded)?.split(',').at(-1)?.trim();
  return last && isIP(last) ? last : (req.socket.remoteAddress ?? 'unknown');
}

/** Public routes (the gateway lets /api/auth/** through without a token). */
export async function registerAuthRoutes(app: ServiceApp, ctx: ServiceContext<AuthDb>): Promise<void> {
  const { sessions, signingKeys } = authModule(ctx);
  await registerRefreshCookie(app);
  const cookieNote = `the ${REFRESH_COOKIE} cookie (HttpOnly, Secure, SameSite=Strict, Path=${REFRESH_COOKIE_PATH})`;

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags,
        summary: 'Log in with email and password',
        description:
          'Unknown email and wrong password get the same 401. SUSPENDED or INACTIVE accounts get 403. ' +
          'After repeated failures for one email from one address (or from one address over all emails), ' +
          'logins from that address get 429 with Retry-After, for a wait that doubles with each further failure. ' +
          `The refresh token comes as ${cookieNote} and is left out of the body, unless tokenDelivery is "body" ` +
          '(clients other than browsers).',
        body: Type.Object({
          email: Type.String({ minLength: 1, maxLength: 254 }),
          password: Type.String({ minLength: 1, maxLength: 256 }),
          tokenDelivery: Type.Optional(Type.Enum(TOKEN_DELIVERIES, { default: 'cookie' })),
        }),
        response: { 200: TokenPairSchema, ...problems },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const pair = await withRetryAfter(reply, () =>
        sessions.login(req.body.email, req.body.password, clientAddress(req)),
      );
      return deliverPair(reply, pair, req.body.tokenDelivery ?? 'cookie');
    },
  );

  app.post(
    '/api/auth/refresh',
    {
      schema: {
        tags,
        summary: 'Exchange a refresh token for a new pair',
        description:
          'The refresh token used dies. Presenting a used one again revokes its whole session (token family). ' +
          `The token comes in the body or as ${cookieNote} (send {}); the new one goes back the same way.`,
        body: RefreshTokenBody,
        response: { 200: TokenPairSchema, ...problems },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const presented = presentedRefreshToken(req, req.body);
      if (!presented) throw invalidRefreshToken('No refresh token: log in again');
      return deliverPair(reply, await sessions.refresh(presented.token), presented.channel);
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags,
        summary: 'Revoke the session of a refresh token',
        description: `The token comes in the body or as ${cookieNote} (send {}), which is cleared.`,
        body: RefreshTokenBody,
        response: { 204: Type.Null(), 400: ProblemSchema, 401: ProblemSchema },
      },
    },
    async (req, reply) => {
      const presented = presentedRefreshToken(req, req.body);
      clearRefreshCookie(reply);
      if (presented) await sessions.logout(presented.token);
      return reply.status(204).send(null);
    },
  );

  app.get(
    JWKS_PATH,
    { schema: { tags, summary: 'Public signing keys (JWKS)', response: { 200: JwksSchema } } },
    async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return (await signingKeys.jwks()) as Static<typeof JwksSchema>;
    },
  );
}
