import {
  ExchangeApproved,
  ExchangeCollected,
  ExchangeCollecting,
  ExchangeCompleted,
  ExchangePickupCancelled,
  ExchangeRejected,
  ExchangeRequested,
  PaymentApproved,
  PaymentFailed,
  PaymentRefunded,
  PurchaseConfirmed,
  ReturnApproved,
  ReturnCollecting,
  ReturnCompleted,
  ReturnPickupCancelled,
  ReturnRejected,
  ReturnRequested,
  ShipmentCancelled,
  ShipmentDelivered,
  ShipmentDispatched,
  ShipmentInTransit,
  UserRegistered,
  UserUpdated,
} from '@sagamart/contracts';
import { defineService, on } from '@sagamart/kit';
import { orderModule } from './app/module.ts';
import { sagaLogRetention } from './app/saga-log-retention.ts';
import { orderDefaults, refreshableSettings } from './app/settings.ts';
import { applyBuyer } from './infra/buyers.ts';
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
    'cancellation, the unpaid timeout, and order reads. Publishes order.placed, order.paid and order.cancelled; keeps a read copy of shipping, returns and exchanges.',
  defaults: orderDefaults,
  refreshable: refreshableSettings,
  migrations,
  handlers: (ctx) => {
    const { lifecycle, afterSale } = orderModule(ctx);
    const rejected = (e: { rejectReason: string }) => ({ note: e.rejectReason });
    return [
      on(PaymentApproved, (event, { trx, afterCommit }) =>
        lifecycle.paymentApproved(trx, event, afterCommit),
      ),
      on(PaymentFailed, (event, { trx, afterCommit }) => lifecycle.paymentFailed(trx, event, afterCommit)),
      // Buyers' names and e-mails for the admin's order pages.
      on(UserRegistered, (user, { trx }) => applyBuyer(trx, user)),
      on(UserUpdated, (user, { trx }) => applyBuyer(trx, user)),
      on(PaymentRefunded, (event, { trx }) =>
        event.claimId ? afterSale.claimRefunded(trx, event) : lifecycle.paymentRefunded(trx, event),
      ),
      // The read copy of shipping-service's state (issue 10).
      on(ShipmentDispatched, (event, { trx }) => afterSale.shipment(trx, { kind: 'dispatched', event })),
      on(ShipmentInTransit, (event, { trx }) => afterSale.shipment(trx, { kind: 'in-transit', event })),
      on(ShipmentDelivered, (event, { trx }) => afterSale.shipment(trx, { kind: 'delivered', event })),
      on(ShipmentCancelled, async (event, { trx, afterCommit }) => {
        await afterSale.shipmentCancelled(trx, event);
        await lifecycle.parcelStopped(trx, event.orderId, afterCommit);
      }),
      on(PurchaseConfirmed, (event, { trx }) => afterSale.purchaseConfirmed(trx, event)),
      on(ReturnRequested, (e, { trx }) => afterSale.claim(trx, 'RETURN', 'REQUESTED', 'RETURN_REQUESTED', e)),
      on(ReturnApproved, (e, { trx }) => afterSale.claim(trx, 'RETURN', 'APPROVED', 'RETURN_APPROVED', e)),
      on(ReturnRejected, (e, { trx }) =>
        afterSale.claim(trx, 'RETURN', 'REJECTED', 'RETURN_REJECTED', e, rejected(e)),
      ),
      on(ReturnCollecting, (e, { trx }) =>
        afterSale.claim(trx, 'RETURN', 'COLLECTING', 'RETURN_COLLECTING', e),
      ),
      // The courier cancelled the pickup: the claim waits for the admin again.
      on(ReturnPickupCancelled, (e, { trx }) =>
        afterSale.claim(trx, 'RETURN', 'REQUESTED', 'RETURN_PICKUP_CANCELLED', e),
      ),
      on(ReturnCompleted, (event, { trx }) => afterSale.returnCompleted(trx, event)),
      on(ExchangeRequested, (e, { trx }) =>
        afterSale.claim(trx, 'EXCHANGE', 'REQUESTED', 'EXCHANGE_REQUESTED', e),
      ),
      on(ExchangeApproved, (e, { trx }) =>
        afterSale.claim(trx, 'EXCHANGE', 'APPROVED', 'EXCHANGE_APPROVED', e),
      ),
      on(ExchangeRejected, (e, { trx }) =>
        afterSale.claim(trx, 'EXCHANGE', 'REJECTED', 'EXCHANGE_REJECTED', e, rejected(e)),
      ),
      on(ExchangeCollecting, (e, { trx }) =>
        afterSale.claim(trx, 'EXCHANGE', 'COLLECTING', 'EXCHANGE_COLLECTING', e),
      ),
      on(ExchangePickupCancelled, (e, { trx }) =>
        afterSale.claim(trx, 'EXCHANGE', 'REQUESTED', 'EXCHANGE_PICKUP_CANCELLED', e),
      ),
      on(ExchangeCollected, (e, { trx }) =>
        afterSale.claim(trx, 'EXCHANGE', 'RESHIPPING', 'EXCHANGE_COLLECTED', e),
      ),
      on(ExchangeCompleted, (e, { trx }) =>
        afterSale.claim(trx, 'EXCHANGE', 'EXCHANGED', 'EXCHANGE_COMPLETED', e),
      ),
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
