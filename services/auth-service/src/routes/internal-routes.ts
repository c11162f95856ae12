import {
  AccessRevocationFeed,
  AccessRevocationFeedQuery,
  AccountSnapshot,
  CredentialsUpsert,
  PasswordChange,
} from '@sagamart/contracts';
import {
  badRequest,
  ProblemSchema,
  type ServiceApp,
  type ServiceContext,
  withRetryAfter,
} from '@sagamart/kit';
import { Type } from 'typebox';
import { authModule } from '../app/module.ts';
import type { AuthDb } from '../infra/schema.ts';
import { UserIdParams } from './schemas.ts';

const tags = ['internal'];

/**
 * user-service's synchronous API into auth. The gateway never routes /internal/**, and the kit answers
 * only a caller with a service token (ADR 0005), whatever network it is on. Passwords arrive here in plain text over that network and are
 * hashed here; no hash ever leaves auth-service.
 */
export function registerInternalRoutes(app: ServiceApp, ctx: ServiceContext<AuthDb>): void {
  const { accounts, revocations } = authModule(ctx);

  app.get(
    '/internal/revocations',
    {
      // Read by every gateway every few seconds: upkeep, not a user's request (kit http.ts).
      config: { housekeeping: true },
      schema: {
        tags,
        summary: 'Access tokens revoked before their expiry (logout, suspension, role or password change)',
        querystring: AccessRevocationFeedQuery,
        response: { 200: AccessRevocationFeed, 400: ProblemSchema },
      },
    },
    async (req) =>
      req.query.cursor === undefined
        ? revocations.feedAfterSeq(req.query.after, req.query.limit, new Date())
        : revocations.feed(req.query.cursor, req.query.limit, new Date()),
  );

  app.put(
    '/internal/credentials/:userId',
    {
      schema: {
        tags,
        summary: 'Set the credential of a user being created (idempotent)',
        params: UserIdParams,
        body: CredentialsUpsert,
        response: { 204: Type.Null(), 400: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (req, reply) => {
      await accounts.setCredential(req.params.userId, req.body);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/internal/credentials/:userId/password',
    {
      schema: {
        tags,
        summary: 'Change a password after verifying the current one; ends every session of the user',
        params: UserIdParams,
        body: PasswordChange,
        response: { 204: Type.Null(), 400: ProblemSchema, 404: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (req, reply) => {
      await withRetryAfter(reply, () => accounts.changePassword(req.params.userId, req.body));
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/internal/accounts/:userId',
    {
      schema: {
        tags,
        summary: 'Apply a user snapshot now (the user.updated event remains the durable path)',
        params: UserIdParams,
        body: AccountSnapshot,
        response: { 200: Type.Object({ applied: Type.Boolean() }), 400: ProblemSchema },
      },
    },
    async (req) => {
      if (req.body.userId !== req.params.userId)
        throw badRequest('userId in the body does not match the path');
      const applied = await accounts.applySnapshotNow(req.body);
      return { applied };
    },
  );

  app.get(
    '/internal/accounts/:userId',
    {
      schema: {
        tags,
        summary: "auth's view of a user (no credential material)",
        params: UserIdParams,
        response: {
          200: Type.Object({
            userId: Type.String(),
            email: Type.String(),
            role: Type.String(),
            status: Type.String(),
            version: Type.Integer(),
            confirmed: Type.Boolean(),
            hasPassword: Type.Boolean(),
            passwordChangedAt: Type.Union([Type.String(), Type.Null()]),
          }),
          404: ProblemSchema,
        },
      },
    },
    async (req) => accounts.get(req.params.userId),
  );
}
