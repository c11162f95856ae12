import {
  CouponReservation,
  CouponReservationRequest,
  PromotionQuote,
  PromotionQuoteRequest,
} from '@sagamart/contracts';
import type { ServiceApp, ServiceContext } from '@sagamart/kit';
import { Type } from 'typebox';
import { promotionModule } from '../app/module.ts';
import type { PromotionDb } from '../infra/schema.ts';
import { problems } from './schemas.ts';

const tags = ['internal'];
const OrderParams = Type.Object({ orderId: Type.String({ minLength: 1, maxLength: 64 }) });

/**
 * order-service's synchronous API into promotion (the gateway never routes /internal/**): the quote,
 * and the coupon step of the order saga. Every reservation call is idempotent by orderId.
 */
export function registerInternalRoutes(app: ServiceApp, ctx: ServiceContext<PromotionDb>): void {
  const { quotes, reservations } = promotionModule(ctx);

  app.post(
    '/internal/quotes',
    {
      schema: {
        tags,
        summary: 'Price items with every applicable policy and at most one coupon (409 COUPON_UNAVAILABLE)',
        body: PromotionQuoteRequest,
        response: { 200: PromotionQuote, ...problems },
      },
    },
    async (req) => quotes.quote(req.body),
  );

  app.post(
    '/internal/coupons/reservations',
    {
      schema: {
        tags,
        summary: "Reserve the user's coupon for an order: ISSUED/RESTORED → RESERVED (idempotent by orderId)",
        body: CouponReservationRequest,
        response: { 200: CouponReservation, ...problems },
      },
    },
    async (req) => reservations.reserve(req.body),
  );

  app.get(
    '/internal/coupons/reservations/:orderId',
    {
      schema: {
        tags,
        summary: "An order's coupon reservation",
        params: OrderParams,
        response: { 200: CouponReservation, ...problems },
      },
    },
    async (req) => reservations.get(req.params.orderId),
  );

  app.post(
    '/internal/coupons/reservations/:orderId/commit',
    {
      schema: {
        tags,
        summary: 'The order was paid: RESERVED → USED (idempotent; 409 once released)',
        params: OrderParams,
        response: { 200: CouponReservation, ...problems },
      },
    },
    async (req) => reservations.commit(req.params.orderId),
  );

  app.post(
    '/internal/coupons/reservations/:orderId/release',
    {
      schema: {
        tags,
        summary:
          'Compensation: RESERVED → ISSUED, or USED → RESTORED (idempotent; a tombstone when nothing was reserved)',
        params: OrderParams,
        response: { 200: CouponReservation, ...problems },
      },
    },
    async (req) => reservations.release(req.params.orderId),
  );
}
