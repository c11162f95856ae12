import {
  notFound,
  PageQuery,
  PageSchema,
  requireIdentity,
  type ServiceApp,
  type ServiceContext,
} from '@sagamart/kit';
import { orderModule } from '../app/module.ts';
import type { OrderDb } from '../infra/schema.ts';
import {
  AdminCancelBody,
  AdminOrderDetail,
  AdminOrderSummary,
  AdminOrdersQuery,
  MemoBody,
  OrderRef,
  problems,
  StuckSaga,
} from './schemas.ts';

const tags = ['admin-orders'];

/** Admin: every order, search, detail with the saga, memo, cancel, and stuck sagas. */
export function registerAdminRoutes(app: ServiceApp, ctx: ServiceContext<OrderDb>): void {
  const { reads, lifecycle } = orderModule(ctx);

  app.get(
    '/api/admin/orders',
    {
      schema: {
        tags,
        summary:
          "Orders, newest first, each with its buyer's name and e-mail; filter by status, (part of) the order " +
          "number, user, or (part of) the buyer's e-mail or name",
        querystring: AdminOrdersQuery,
        response: { 200: PageSchema(AdminOrderSummary), ...problems },
      },
    },
    async (req) => {
      requireIdentity(req, 'ADMIN');
      return reads.adminList(req.query);
    },
  );

  app.get(
    '/api/admin/orders/stuck',
    {
      schema: {
        tags,
        summary: 'Sagas in a transient phase longer than orders.stuckAfterSeconds, oldest first',
        querystring: PageQuery,
        response: { 200: PageSchema(StuckSaga), ...problems },
      },
    },
    async (req) => {
      requireIdentity(req, 'ADMIN');
      return reads.stuck(req.query.page, req.query.size);
    },
  );

  app.get(
    '/api/admin/orders/:id',
    {
      schema: {
        tags,
        summary: 'An order (by id or number): items, payments, timeline, memo and its saga with the step log',
        params: OrderRef,
        response: { 200: AdminOrderDetail, ...problems },
      },
    },
    async (req) => {
      requireIdentity(req, 'ADMIN');
      return reads.adminDetail(req.params.id);
    },
  );

  app.put(
    '/api/admin/orders/:id/memo',
    {
      schema: {
        tags,
        summary: "Set the order's admin memo (empty clears it)",
        params: OrderRef,
        body: MemoBody,
        response: { 200: AdminOrderDetail, ...problems },
      },
    },
    async (req) => {
      requireIdentity(req, 'ADMIN');
      return reads.setMemo(req.params.id, req.body.memo);
    },
  );

  app.post(
    '/api/admin/orders/:id/cancel',
    {
      schema: {
        tags,
        summary:
          'Cancel an order (ADMIN_CANCELLED) with a reason the shopper is shown: releases everything; a paid ' +
          'order is refunded',
        params: OrderRef,
        body: AdminCancelBody,
        response: { 200: AdminOrderDetail, ...problems },
      },
    },
    async (req) => {
      const admin = requireIdentity(req, 'ADMIN');
      const order = await reads.find(req.params.id);
      if (!order) throw notFound(`Order ${req.params.id} does not exist`);
      await lifecycle.cancel(order.id, { userId: admin.userId, admin: true, note: req.body.reason });
      return reads.adminDetail(order.id);
    },
  );
}
