import {
  OrderCancelled,
  OrderPlaced,
  PointChargeCancelled,
  PointChargeRequested,
  ReturnCompleted,
} from '@sagamart/contracts';
import { defineService, on } from '@sagamart/kit';
import { paymentModule } from './app/module.ts';
import { paymentDefaults } from './app/settings.ts';
import { migrations, type PaymentDb } from './infra/schema.ts';
import { registerInternalRoutes } from './routes/internal-routes.ts';
import { registerPaymentRoutes } from './routes/payment-routes.ts';

export default defineService<PaymentDb>({
  name: 'payment-service',
  port: 8086,
  description:
    'Payments of orders and points charges: confirms with the PG (timeout + circuit breaker), settles pending payments through a reconciler, refunds cancelled orders and refunded charges; publishes payment.approved|failed|refunded.',
  defaults: paymentDefaults,
  // Production refuses the mock PG's test key (PAYMENT_PG_SECRETKEY).
  secrets: ['payment.pg.secretKey'],
  refreshable: ['payment.pg.timeoutMs', 'payment.orderWaitMs', 'payment.reconcile'],
  migrations,
  handlers: (ctx) => {
    const { orders, claimRefunds } = paymentModule(ctx);
    return [
      on(OrderPlaced, async (event, { trx, afterCommit }) => {
        await orders.placed(trx, event);
        afterCommit(() => orders.arrived(event.orderNumber));
      }),
      on(OrderCancelled, async (event, { trx }) => {
        await orders.cancelled(trx, event);
      }),
      // A points charge is paid like an order: its charge id and number stand for the order's.
      on(PointChargeRequested, async (event, { trx, afterCommit }) => {
        await orders.chargeRequested(trx, event);
        afterCommit(() => orders.arrived(event.chargeNumber));
      }),
      on(PointChargeCancelled, async (event, { trx }) => {
        await orders.chargeCancelled(trx, event);
      }),
      // A completed return (issue 10): a partial cancel at the PG, once per claim; retried until done.
      on(ReturnCompleted, async (event, { trx, afterCommit }) => {
        if (await claimRefunds.returnCompleted(trx, event)) {
          afterCommit(() => {
            claimRefunds
              .refund(event.claimId)
              .catch((error) =>
                ctx.log.warn({ err: error, claimId: event.claimId }, 'claim refund failed; will retry'),
              );
          });
        }
      }),
    ];
  },
  routes: (app, ctx) => {
    registerPaymentRoutes(app, ctx);
    registerInternalRoutes(app, ctx);
  },
  onStart(ctx) {
    paymentModule(ctx).reconciler.start();
  },
  async onStop(ctx) {
    await paymentModule(ctx).reconciler.stop();
  },
});
