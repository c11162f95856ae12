import { ExchangeCollected, ExchangeRejected, ReturnCompleted } from '@sagamart/contracts';
import { defineService, on, type Periodic, repeatEvery, type ServiceContext } from '@sagamart/kit';
import { productModule } from './app/module.ts';
import { seedDemoCatalog } from './app/seed.ts';
import { productDefaults } from './app/settings.ts';
import { migrations, type ProductDb } from './infra/schema.ts';
import { registerAdminCategoryRoutes } from './routes/admin-category-routes.ts';
import { registerAdminProductRoutes } from './routes/admin-product-routes.ts';
import { registerImageRoutes } from './routes/image-routes.ts';
import { registerInternalRoutes } from './routes/internal-routes.ts';

export { type BulkProduct, bulkLoadProducts } from './app/bulk-load.ts';
export type { ProductDb } from './infra/schema.ts';

const cleanupLoops = new WeakMap<ServiceContext<ProductDb>, Periodic>();

export default defineService<ProductDb>({
  name: 'product-service',
  port: 8083,
  description:
    'Products, the admin write model: categories, products with option groups and SKUs, images, keywords and the stock ledger. ' +
    'Publishes product.*, category.*, keyword.* and stock.changed for the catalog.',
  defaults: productDefaults,
  refreshable: ['product.images.orphanTtlSeconds'],
  migrations,
  // After-sale (issue 10): returned units back on sale, or held for inspection when sent back
  // defective or damaged; an exchange's new option sold or released.
  handlers: (ctx) => {
    const { stock } = productModule(ctx);
    return [
      on(ReturnCompleted, (event, { trx }) =>
        stock.returnUnits(trx, event.claimId, event.items, event.reason, {
          claimType: 'RETURN',
          orderNumber: event.orderNumber,
        }),
      ),
      on(ExchangeCollected, async (event, { trx }) => {
        const claim = { claimType: 'EXCHANGE', orderNumber: event.orderNumber } as const;
        await stock.returnUnits(trx, event.claimId, event.items, event.reason, claim);
        await stock.sellExchange(trx, event.claimId, claim);
      }),
      on(ExchangeRejected, async (event, { trx }) => {
        await stock.release(event.claimId, 'shipping', trx, {
          claimType: 'EXCHANGE',
          orderNumber: event.orderNumber,
        });
      }),
    ];
  },
  routes: (app, ctx) => {
    registerAdminCategoryRoutes(app, ctx);
    registerAdminProductRoutes(app, ctx);
    registerImageRoutes(app, ctx);
    registerInternalRoutes(app, ctx);
  },
  async onStart(ctx) {
    const module = productModule(ctx);
    if (ctx.config.boolean('product.seed.enabled', true)) {
      await seedDemoCatalog(ctx, module);
    }
    // The next pass starts an interval after the last one ended: passes never overlap.
    const loop = repeatEvery(
      () => ctx.config.number('product.images.cleanupIntervalSeconds') * 1000,
      () =>
        module.images
          .cleanup()
          .then((deleted) => {
            if (deleted) ctx.log.info({ deleted }, 'orphan images deleted');
          })
          .catch((error) => ctx.log.warn({ err: error }, 'image cleanup failed')),
    );
    cleanupLoops.set(ctx, loop);
  },
  async onStop(ctx) {
    await cleanupLoops.get(ctx)?.stop();
  },
});
