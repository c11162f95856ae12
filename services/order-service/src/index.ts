import { PaymentApproved, PaymentFailed, PaymentRefunded } from '@sagamart/contracts';
import { defineService, on } from '@sagamart/kit';
import { orderModule } from './app/module.ts';
import { sagaLogRetention } from './app/saga-log-retention.ts';
import { orderDefaults, refreshableSettings } from './app/settings.ts';
import { migrations, type OrderDb } from './infra/schema.ts';
import { registerAdminRoutes } from './routes/admin-routes.ts';
import { registerInternalRoutes } from './routes/internal-routes.ts';
import { registerOrderRoutes } from './routes/order-routes.ts';

export type { OrderDb } from './infra/schema.ts';

export default defineService<OrderDb>({
  name: 'order-service',
  port: 8085,
  description:
    'Orders: the quote, placing an order as a persisted saga (stock, coupon and points reservations; payment by events), ' +
    'cancellation, the unpaid timeout, and order reads. Publishes order.placed, order.paid and order.cancelled.',
  defaults: orderDefaults,
  refreshable: refreshableSettings,
  migrations,
  handlers: (ctx) => {
    const { lifecycle } = orderModule(ctx);
    return [
      on(PaymentApproved, (event, { trx, afterCommit }) =>
        lifecycle.paymentApproved(trx, event, afterCommit),
      ),
      on(PaymentFailed, (event, { trx, afterCommit }) => lifecycle.paymentFailed(trx, event, afterCommit)),
      on(PaymentRefunded, (event, { trx }) => lifecycle.paymentRefunded(trx, event)),
    ];
  },
  retention: (ctx) => [sagaLogRetention(ctx)],
  routes: (app, ctx) => {
    registerOrderRoutes(app, ctx);
    registerAdminRoutes(app, ctx);
    registerInternalRoutes(app, ctx);
  },
  onStart(ctx) {
    orderModule(ctx).worker.start();
  },
  async onStop(ctx) {
    const { worker, runner } = orderModule(ctx);
    await worker.stop();
    await runner.stop();
  },
});
