import { PaymentView } from '@sagamart/contracts';
import { PageQuery, PageSchema, requireIdentity, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { Type } from 'typebox';
import { paymentModule } from '../app/module.ts';
import { toPaymentView } from '../app/payments.ts';
import type { PaymentDb } from '../infra/schema.ts';
import {
  ConfirmBody,
  OrderNumberParams,
  OrderPaymentsSchema,
  PaymentStatusSchema,
  problems,
} from './schemas.ts';

/** The shopper's payment API (USER) and the admin list (ADMIN). */
export function registerPaymentRoutes(app: ServiceApp, ctx: ServiceContext<PaymentDb>): void {
  const { payments } = paymentModule(ctx);

  app.post(
    '/api/payments/confirm',
    {
      schema: {
        tags: ['payments'],
        summary: "Confirm the PG payment of one of my orders (from the PG's success redirect)",
        description:
          '200 with status APPROVED or FAILED (declined, insufficient funds, amount mismatch); 202 with status PENDING when ' +
          'the PG did not answer in time (it is settled later: poll GET /api/payments/orders/{orderNumber}). A repeated ' +
          'paymentKey answers with the same payment and charges nothing. 404: not my order; 409: cancelled, already paid, ' +
          'or another payment in progress.',
        body: ConfirmBody,
        response: { 200: PaymentView, 202: PaymentView, ...problems },
      },
    },
    async (req, reply) => {
      const { userId } = requireIdentity(req);
      const payment = await payments.confirm(userId, req.body);
      return reply.status(payment.status === 'PENDING' ? 202 : 200).send(toPaymentView(payment));
    },
  );

  app.get(
    '/api/payments/orders/:orderNumber',
    {
      schema: {
        tags: ['payments'],
        summary: "My order's payments (latest first) for the result page",
        params: OrderNumberParams,
        response: { 200: OrderPaymentsSchema, ...problems },
      },
    },
    async (req) => payments.forOrder(req.params.orderNumber, requireIdentity(req).userId),
  );

  app.get(
    '/api/admin/payments',
    {
      schema: {
        tags: ['admin-payments'],
        summary: 'Every payment, newest first; orderNumber matches a part of it',
        querystring: Type.Object({
          ...PageQuery.properties,
          status: Type.Optional(PaymentStatusSchema),
          orderNumber: Type.Optional(Type.String({ maxLength: 40 })),
        }),
        response: { 200: PageSchema(PaymentView), ...problems },
      },
    },
    async (req) => {
      requireIdentity(req, 'ADMIN');
      return payments.list(req.query);
    },
  );
}
