import { ProblemSchema, requireIdentity, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { Type } from 'typebox';
import { authModule } from '../app/module.ts';
import type { AuthDb } from '../infra/schema.ts';

const KeySchema = Type.Object({
  kid: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  activatesAt: Type.String({ format: 'date-time' }),
  supersededAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  current: Type.Boolean(),
  published: Type.Boolean(),
});

const tags = ['auth-admin'];
const problems = { 401: ProblemSchema, 403: ProblemSchema };

/** ADMIN routes (the gateway routes /api/admin/auth/** here for ADMIN tokens only). */
export function registerAdminKeyRoutes(app: ServiceApp, ctx: ServiceContext<AuthDb>): void {
  const { signingKeys } = authModule(ctx);

  app.get(
    '/api/admin/auth/keys',
    {
      schema: {
        tags,
        summary: 'Signing keys, newest first',
        response: { 200: Type.Array(KeySchema), ...problems },
      },
    },
    async (req) => {
      requireIdentity(req, 'ADMIN');
      return signingKeys.list();
    },
  );

  app.post(
    '/api/admin/auth/keys/rotate',
    {
      schema: {
        tags,
        summary: 'Rotate the signing key',
        description:
          'Adds a key that signs from now (plus auth.keys.activationDelaySeconds). Earlier keys stay in the JWKS ' +
          'until every token they signed has expired, so no token is rejected because of a rotation.',
        response: { 201: KeySchema, ...problems },
      },
    },
    async (req, reply) => {
      requireIdentity(req, 'ADMIN');
      const key = await signingKeys.rotate();
      req.log.info({ kid: key.kid, activatesAt: key.activatesAt }, 'signing key rotated');
      return reply.status(201).send(key);
    },
  );
}
