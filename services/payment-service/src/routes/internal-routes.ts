import { AutoPayRequest, PaymentView } from '@sagamart/contracts';
import type { ServiceApp, ServiceContext } from '@sagamart/kit';
import { paymentModule } from '../app/module.ts';
import { toPaymentView } from '../app/payments.ts';
import type { PaymentDb } from '../infra/schema.ts';
import { OrderNumberParams, OrderPaymentsSchema, problems } from './schemas.ts';

const tags = ['internal'];

/** Internal callers only (the gateway never routes /internal/**): load tests and order-service. */
export function registerInternalRoutes(app: ServiceApp, ctx: ServiceContext<PaymentDb>): void {
  const { payments } = paymentModule(ctx);

  app.post(
    '/internal/payments/auto-pay',
    {
      schema: {
        tags,
        summary:
          'Pay an order with a test card without a browser (load tests): PG test checkout, then the same confirm path',
        body: AutoPayRequest,
        response: { 200: PaymentView, 202: PaymentView, ...problems },
      },
    },
    async (req, reply) => {
      const payment = await payments.autoPay(req.body.orderNumber, req.body.card ?? 'approve');
      return reply.status(payment.status === 'PENDING' ? 202 : 200).send(toPaymentView(payment));
    },
  );

  app.get(
    '/internal/payments/orders/:orderNumber',
    {
      schema: {
        tags,
        summary: "An order's payments, latest first",
        params: OrderNumberParams,
        response: { 200: OrderPaymentsSchema, ...problems },
      },
    },
    async (req) => payments.forOrder(req.params.orderNumber),
  );
}
