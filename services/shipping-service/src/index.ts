import { OrderPaid } from '@sagamart/contracts';
import { defineService, on } from '@sagamart/kit';
import { shippingModule } from './app/module.ts';
import { shippingDefaults } from './app/settings.ts';
import { migrations, type ShippingDb } from './infra/schema.ts';
import { registerAdminRoutes } from './routes/admin-routes.ts';
import { registerInternalRoutes } from './routes/internal-routes.ts';
import { registerShopperRoutes } from './routes/shopper-routes.ts';

export default defineService<ShippingDb>({
  name: 'shipping-service',
  port: 8088,
  description:
    'Shipments of paid orders with waybills at the courier (admin or autoDispatch), a tracking poller (SKIP LOCKED leases, breaker + backoff), cancellation before pickup, a sweep that cancels pickup bookings left open, purchase confirmation, and returns and exchanges with exact refunds; publishes shipment.*, purchase.confirmed, return.* and exchange.*.',
  defaults: shippingDefaults,
  refreshable: [
    'shipping.autoDispatch',
    'shipping.autoDispatchDelayMs',
    'shipping.idleCheckMs',
    'shipping.dispatch',
    'shipping.tracking',
    'shipping.pickupSweep',
    'shipping.returnWindowDays',
    'shipping.returnFee',
    'shipping.autoConfirmDays',
    'shipping.autoConfirm',
    'shipping.confirmPointsRate',
  ],
  migrations,
  handlers: (ctx) => {
    const { shipments } = shippingModule(ctx);
    return [
      on(OrderPaid, async (event, { trx }) => {
        await shipments.paid(trx, event);
      }),
    ];
  },
  routes: (app, ctx) => {
    registerShopperRoutes(app, ctx);
    registerAdminRoutes(app, ctx);
    registerInternalRoutes(app, ctx);
  },
  onStart(ctx) {
    const { waybills, tracker, confirmations, pickupSweep } = shippingModule(ctx);
    waybills.start();
    tracker.start();
    confirmations.start();
    pickupSweep.start();
  },
  async onStop(ctx) {
    const { waybills, tracker, confirmations, pickupSweep } = shippingModule(ctx);
    await Promise.all([waybills.stop(), tracker.stop(), confirmations.stop(), pickupSweep.stop()]);
  },
});
