import { notFound, PageSchema, requireIdentity, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { Type } from 'typebox';
import { orderModule } from '../app/module.ts';
import { orderIdOf } from '../app/order-reads.ts';
import type { OrderDb } from '../infra/schema.ts';
import {
  IdempotencyHeaders,
  MyOrdersQuery,
  OrderDetail,
  OrderDetailQuery,
  OrderRef,
  OrderSummary,
  PlaceOrderBody,
  problems,
  QuoteBody,
  QuoteView,
} from './schemas.ts';

const tags = ['orders'];
/** Why a long poll stops waiting: its connection closed. */
const SHOPPER_LEFT = 'connection closed';

/** The shopper's orders: quote, place (with Idempotency-Key), list, read, cancel. */
export function registerOrderRoutes(app: ServiceApp, ctx: ServiceContext<OrderDb>): void {
  const { placeOrder, reads, lifecycle, changes } = orderModule(ctx);

  app.post(
    '/api/orders/quote',
    {
      schema: {
        tags,
        summary: 'Price a cart: product prices, every discount from promotion, points against the balance',
        description:
          'Amounts sent by the client are ignored. 409 COUPON_UNAVAILABLE / POINTS_INSUFFICIENT / sku-unavailable.',
        body: QuoteBody,
        response: { 200: QuoteView, ...problems },
      },
    },
    async (req) => placeOrder.quote(requireIdentity(req).userId, req.body),
  );

  app.post(
    '/api/orders',
    {
      schema: {
        tags,
        summary: 'Place an order: reserves stock, coupon and points (a saga), then waits for payment',
        description:
          'Needs an Idempotency-Key header: the same key returns the same order and reserves nothing twice. ' +
          'Answers 201 with the order once it is PAYMENT_PENDING or CANCELLED (cancelReason OUT_OF_STOCK, ' +
          'COUPON_UNAVAILABLE, POINTS_INSUFFICIENT), or 202 with it still PENDING when the saga takes longer.',
        headers: IdempotencyHeaders,
        body: PlaceOrderBody,
        response: { 201: OrderDetail, 202: OrderDetail, ...problems },
      },
    },
    async (req, reply) => {
      const identity = requireIdentity(req);
      const placed = await placeOrder.place(identity, req.headers['idempotency-key'], req.body);
      if (placed.replayed) reply.header('idempotent-replayed', 'true');
      reply.header('location', `/api/orders/${placed.order.orderId}`);
      return reply.status(placed.settled ? 201 : 202).send(placed.order);
    },
  );

  app.get(
    '/api/orders',
    {
      schema: {
        tags,
        summary: 'My orders, newest first',
        querystring: MyOrdersQuery,
        response: { 200: PageSchema(OrderSummary), ...problems },
      },
    },
    async (req) => reads.mine(requireIdentity(req).userId, req.query),
  );

  app.get(
    '/api/orders/:id',
    {
      schema: {
        tags,
        summary: 'One of my orders (by id or number) with its items, payments and status timeline',
        description:
          'With whileStatus, a long poll: while the order is in that status the answer waits until it ' +
          'leaves it (at once when this instance changes it) or until waitMs passes: a client can wait ' +
          'for PAID this way instead of polling.',
        params: OrderRef,
        querystring: OrderDetailQuery,
        response: { 200: OrderDetail, ...problems },
      },
    },
    async (req, reply) => {
      const viewer = { userId: requireIdentity(req).userId };
      const { whileStatus, waitMs = 4_000 } = req.query;
      if (whileStatus === undefined || waitMs === 0) return reads.detail(req.params.id, viewer);
      // The shopper gave up (the connection closed before the answer): stop waiting.
      const left = new AbortController();
      // With a reason: abort() without one builds a DOMException, and every answer's close calls it.
      reply.raw.once('close', () => left.abort(SHOPPER_LEFT));
      const wait = { waitMs, recheckMs: ctx.config.number('orders.detailRecheckMs'), signal: left.signal };
      const done = (current: { status: string }) => current.status !== whileStatus;
      // Changes are announced by order id: asked by id, the wait listens before its first read (one
      // read fewer); asked by number, a first read finds the id to listen on.
      const orderId = orderIdOf(req.params.id);
      if (orderId) return changes.readUntil(orderId, () => reads.detail(orderId, viewer), done, wait);
      const order = await reads.detail(req.params.id, viewer);
      if (done(order)) return order;
      return changes.readUntil(order.orderId, () => reads.detail(order.orderId, viewer), done, wait);
    },
  );

  app.post(
    '/api/orders/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel my order before shipping: everything reserved is released; a paid order is refunded',
        description:
          'With unpaidOnly=true only an order not paid yet is cancelled; one whose payment was approved ' +
          'meanwhile answers 409 order-paid and stays as it is (checkout letting go of an abandoned attempt).',
        params: OrderRef,
        querystring: Type.Object({ unpaidOnly: Type.Optional(Type.Boolean()) }),
        response: { 200: OrderDetail, ...problems },
      },
    },
    async (req) => {
      const { userId } = requireIdentity(req);
      const order = await reads.find(req.params.id);
      if (!order || order.user_id !== userId) throw notFound(`Order ${req.params.id} does not exist`);
      await lifecycle.cancel(order.id, { userId, admin: false, unpaidOnly: req.query.unpaidOnly === true });
      return reads.detail(order.id, { userId });
    },
  );
}
