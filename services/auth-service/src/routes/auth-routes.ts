import { JWKS_PATH } from '@sagamart/contracts';
import { ProblemSchema, type ServiceApp, type ServiceContext, withRetryAfter } from '@sagamart/kit';
import { type Static, Type } from 'typebox';
import { authModule } from '../app/module.ts';
import type { AuthDb } from '../infra/schema.ts';
import { JwksSchema, RefreshTokenBody, TokenPairSchema } from './schemas.ts';

const tags = ['auth'];
const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 429: ProblemSchema };

/** Public routes (the gateway lets /api/auth/** through without a token). */
export function registerAuthRoutes(app: ServiceApp, ctx: ServiceContext<AuthDb>): void {
  const { sessions, signingKeys } = authModule(ctx);

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags,
        summary: 'Log in with email and password',
        description:
          'Unknown email and wrong password get the same 401. SUSPENDED or INACTIVE accounts get 403. ' +
          'After repeated failures for one email, logins for it get 429 with Retry-After for a cooldown.',
        body: Type.Object({
          email: Type.String({ minLength: 1, maxLength: 254 }),
          password: Type.String({ minLength: 1, maxLength: 256 }),
        }),
        response: { 200: TokenPairSchema, ...problems },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return withRetryAfter(reply, () => sessions.login(req.body.email, req.body.password));
    },
  );

  app.post(
    '/api/auth/refresh',
    {
      schema: {
        tags,
        summary: 'Exchange a refresh token for a new pair',
        description:
          'The refresh token used dies. Presenting a used one again revokes its whole session (token family).',
        body: RefreshTokenBody,
        response: { 200: TokenPairSchema, ...problems },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return sessions.refresh(req.body.refreshToken);
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags,
        summary: 'Revoke the session of a refresh token',
        body: RefreshTokenBody,
        response: { 204: Type.Null(), 400: ProblemSchema, 401: ProblemSchema },
      },
    },
    async (req, reply) => {
      await sessions.logout(req.body.refreshToken);
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
