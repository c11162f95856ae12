import { PageQuery, PageSchema, requireIdentity, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { userModule } from '../app/module.ts';
import type { UserDb } from '../infra/schema.ts';
import {
  ChargeNumberParams,
  MyPointsSchema,
  PointChargeBody,
  PointChargeSchema,
  problems,
} from './schemas.ts';

const tags = ['points'];

/** The signed-in user's points (USER). */
export function registerPointsRoutes(app: ServiceApp, ctx: ServiceContext<UserDb>): void {
  const { points, charges } = userModule(ctx);

  app.get(
    '/api/users/me/points',
    {
      schema: {
        tags,
        summary: 'My balance and ledger (newest first)',
        description:
          'The ledger lists the movements of the balance only: the 0-point COMMIT row written when an order ' +
          'paid with points is paid is left out, so totalElements and totalPages count the rows shown.',
        querystring: PageQuery,
        response: {
          200: MyPointsSchema,
          ...problems,
        },
      },
    },
    async (req) => points.mine(requireIdentity(req).userId, req.query.page, req.query.size),
  );

  app.post(
    '/api/users/me/points/charges',
    {
      schema: {
        tags,
        summary: 'Start a points charge, to be paid through the PG',
        description:
          'amount: a positive whole number of won, at most points.maxCharge (POINTS_MAX_CHARGE by default; above it ' +
          '400 charge-above-max names the limit as maxCharge). Answers a PENDING charge: pay it at the ' +
          "PG's checkout with orderNumber = chargeNumber and the same amount, then confirm with POST " +
          '/api/payments/confirm. The points are credited once the payment is approved.',
        body: PointChargeBody,
        response: { 201: PointChargeSchema, ...problems },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await charges.create(requireIdentity(req).userId, req.body.amount)),
  );

  app.get(
    '/api/users/me/points/charges',
    {
      schema: {
        tags,
        summary: 'My points charges (newest first)',
        description:
          'refundable: the charge is PAID and the paid-for points left cover it, so POST …/refund would ' +
          'take it now (the same rule the refund checks under its lock).',
        querystring: PageQuery,
        response: { 200: PageSchema(PointChargeSchema), ...problems },
      },
    },
    async (req) => charges.mine(requireIdentity(req).userId, req.query.page, req.query.size),
  );

  app.get(
    '/api/users/me/points/charges/:chargeNumber',
    {
      schema: {
        tags,
        summary: 'One of my points charges',
        params: ChargeNumberParams,
        response: { 200: PointChargeSchema, ...problems },
      },
    },
    async (req) => charges.one(requireIdentity(req).userId, req.params.chargeNumber),
  );

  app.post(
    '/api/users/me/points/charges/:chargeNumber/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel an unpaid charge',
        description:
          'For a charge whose PG window the shopper closed: PENDING becomes CANCELLED at once instead of ' +
          'EXPIRED after points.chargeTimeoutSeconds. A payment the PG approves later is refunded and credits ' +
          'nothing. Cancelling a CANCELLED charge answers it unchanged; any other status is 409 ' +
          'CHARGE_NOT_CANCELLABLE.',
        params: ChargeNumberParams,
        response: { 200: PointChargeSchema, ...problems },
      },
    },
    async (req) => charges.cancel(requireIdentity(req).userId, req.params.chargeNumber),
  );

  app.post(
    '/api/users/me/points/charges/:chargeNumber/refund',
    {
      schema: {
        tags,
        summary: 'Refund a paid charge whose points are unspent',
        description:
          'The points are debited at once and the payment is refunded through the PG (status REFUND_REQUESTED, then ' +
          'REFUNDED). 409 CHARGE_NOT_REFUNDABLE when the charge is not PAID or its points were spent: the paid-for ' +
          'points left (earned points never count) no longer cover it.',
        params: ChargeNumberParams,
        response: { 200: PointChargeSchema, ...problems },
      },
    },
    async (req) => charges.refund(requireIdentity(req).userId, req.params.chargeNumber),
  );
}
