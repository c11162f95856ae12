import { PageQuery, PageSchema, requireIdentity, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { Type } from 'typebox';
import { userModule } from '../app/module.ts';
import type { UserDb } from '../infra/schema.ts';
import { LedgerEntrySchema, problems } from './schemas.ts';

const tags = ['points'];

/** The signed-in user's points (USER). */
export function registerPointsRoutes(app: ServiceApp, ctx: ServiceContext<UserDb>): void {
  const { points } = userModule(ctx);

  app.get(
    '/api/users/me/points',
    {
      schema: {
        tags,
        summary: 'My balance and ledger (newest first)',
        querystring: PageQuery,
        response: {
          200: Type.Object({ balance: Type.Integer(), ledger: PageSchema(LedgerEntrySchema) }),
          ...problems,
        },
      },
    },
    async (req) => points.mine(requireIdentity(req).userId, req.query.page, req.query.size),
  );

  app.post(
    '/api/users/me/points/charge',
    {
      schema: {
        tags,
        summary: 'Top up points (mock payment)',
        description: 'amount: a positive whole number of won, at most points.maxCharge.',
        body: Type.Object({ amount: Type.Integer({ minimum: 1 }) }),
        response: { 201: Type.Object({ balance: Type.Integer(), entry: LedgerEntrySchema }), ...problems },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await points.charge(requireIdentity(req).userId, req.body.amount)),
  );
}
