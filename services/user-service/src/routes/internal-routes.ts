import { PointsBalance, PointsReservation, PointsReservationRequest } from '@sagamart/contracts';
import { ProblemSchema, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { Type } from 'typebox';
import { userModule } from '../app/module.ts';
import type { UserDb } from '../infra/schema.ts';

const tags = ['internal'];
const OrderParams = Type.Object({ orderId: Type.String({ minLength: 1, maxLength: 64 }) });
const problems = { 400: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };

/**
 * order-service's synchronous API into user-service (the gateway never routes /internal/**): the
 * balance check and the points step of the order saga, every call idempotent by orderId.
 */
export function registerInternalRoutes(app: ServiceApp, ctx: ServiceContext<UserDb>): void {
  const { pointReservations } = userModule(ctx);

  app.get(
    '/internal/points/balances/:userId',
    {
      schema: {
        tags,
        summary: "A user's points balance",
        params: Type.Object({ userId: Type.String({ format: 'uuid' }) }),
        response: { 200: PointsBalance, ...problems },
      },
    },
    async (req) => pointReservations.balance(req.params.userId),
  );

  app.post(
    '/internal/points/reservations',
    {
      schema: {
        tags,
        summary: 'Take points off the balance for an order (409 POINTS_INSUFFICIENT); idempotent by orderId',
        body: PointsReservationRequest,
        response: { 200: PointsReservation, ...problems },
      },
    },
    async (req) => pointReservations.reserve(req.body),
  );

  app.get(
    '/internal/points/reservations/:orderId',
    {
      schema: {
        tags,
        summary: "An order's points reservation",
        params: OrderParams,
        response: { 200: PointsReservation, ...problems },
      },
    },
    async (req) => pointReservations.get(req.params.orderId),
  );

  app.post(
    '/internal/points/reservations/:orderId/commit',
    {
      schema: {
        tags,
        summary: 'The order was paid: RESERVED → COMMITTED (idempotent; 409 once released)',
        params: OrderParams,
        response: { 200: PointsReservation, ...problems },
      },
    },
    async (req) => pointReservations.commit(req.params.orderId),
  );

  app.post(
    '/internal/points/reservations/:orderId/release',
    {
      schema: {
        tags,
        summary:
          'Compensation: the points go back (RESERVED or COMMITTED → RELEASED); idempotent, a tombstone when nothing was reserved',
        params: OrderParams,
        response: { 200: PointsReservation, ...problems },
      },
    },
    async (req) => pointReservations.release(req.params.orderId),
  );
}
