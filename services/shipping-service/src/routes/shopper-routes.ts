import {
  ClaimView,
  ExchangeRequestBody,
  OrderClaimParams,
  OrderClaimsView,
  OrderShippingView,
  PurchaseConfirmationView,
  ReturnRequestBody,
  ShippingOrderParams,
} from '@sagamart/contracts/http/shipping';
import { problemResponses, requireIdentity, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { shippingModule } from '../app/module.ts';
import type { ShippingDb } from '../infra/schema.ts';

/**
 * The shopper's routes. /api/shipping/** is shipping-service's own prefix; the /api/orders/{id}/…
 * routes below are sent here by the gateway (more specific than order-service's /api/orders).
 */
export function registerShopperRoutes(app: ServiceApp, ctx: ServiceContext<ShippingDb>): void {
  const { reads, claims, confirmations } = shippingModule(ctx);
  const tags = ['shipping'];

  app.get(
    '/api/shipping/orders/:orderId',
    {
      schema: {
        tags,
        summary: "My order's shipments (the original and any exchange re-ship) with their tracking history",
        params: ShippingOrderParams,
        response: { 200: OrderShippingView, ...problemResponses(400, 401, 404) },
      },
    },
    async (req) => reads.orderShipping(requireIdentity(req), req.params.orderId),
  );

  app.post(
    '/api/orders/:id/confirm',
    {
      schema: {
        tags,
        summary:
          '구매확정: confirm a delivered order (closes returns, awards points once); again answers the same',
        params: OrderClaimParams,
        response: { 200: PurchaseConfirmationView, ...problemResponses(400, 401, 404, 409) },
      },
    },
    async (req) => confirmations.confirm(requireIdentity(req), req.params.id),
  );

  app.post(
    '/api/orders/:id/returns',
    {
      schema: {
        tags,
        summary: 'Ask to return lines of a delivered, unconfirmed order within the return window',
        params: OrderClaimParams,
        body: ReturnRequestBody,
        response: { 201: ClaimView, ...problemResponses(400, 401, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const id = await claims.requestReturn(requireIdentity(req), req.params.id, req.body);
      return reply.status(201).send(await reads.claim(id));
    },
  );

  app.post(
    '/api/orders/:id/exchanges',
    {
      schema: {
        tags,
        summary: 'Ask to exchange lines for another option of the same product at the same price',
        params: OrderClaimParams,
        body: ExchangeRequestBody,
        response: { 201: ClaimView, ...problemResponses(400, 401, 404, 409, 422, 502, 503) },
      },
    },
    async (req, reply) => {
      const id = await claims.requestExchange(requireIdentity(req), req.params.id, req.body);
      return reply.status(201).send(await reads.claim(id));
    },
  );

  app.get(
    '/api/orders/:id/claims',
    {
      schema: {
        tags,
        summary: "My order's returns and exchanges, newest first, with states and refund amounts",
        params: OrderClaimParams,
        response: { 200: OrderClaimsView, ...problemResponses(400, 401, 404) },
      },
    },
    async (req) => reads.orderClaims(requireIdentity(req), req.params.id),
  );
}
