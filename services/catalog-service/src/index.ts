import { defineService } from '@sagamart/kit';
import { catalogModule } from './app/module.ts';
import { catalogDefaults } from './app/settings.ts';
import { type CatalogDb, migrations } from './infra/schema.ts';
import { registerCatalogRoutes } from './routes/catalog-routes.ts';

export type { CatalogDb } from './infra/schema.ts';

export default defineService<CatalogDb>({
  name: 'catalog-service',
  port: 8084,
  description:
    'The catalog, the customer read model: search on PostgreSQL full text + trigrams, autocomplete, product detail ' +
    '(cache-aside: LRU, or Redis with REDIS_URL) and the category tree, fed by product-service events.',
  defaults: catalogDefaults,
  refreshable: ['catalog.rebuild'],
  migrations,
  handlers: (ctx) => catalogModule(ctx).projector.handlers(),
  routes: (app, ctx) => registerCatalogRoutes(app, ctx),
  async onStart(ctx) {
    const module = catalogModule(ctx);
    await module.cache.start();
    await module.generation.start();
  },
  async onStop(ctx) {
    const module = catalogModule(ctx);
    await module.rebuild.stop();
    await module.searchCache.settled();
    await module.cache.stop();
    await module.generation.stop();
  },
});
