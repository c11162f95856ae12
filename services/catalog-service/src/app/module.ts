import type { ServiceContext } from '@sagamart/kit';
import type { CatalogDb } from '../infra/schema.ts';
import { DetailCacheService } from './detail-cache.ts';
import { CatalogProjector } from './projector.ts';
import { CatalogQueries } from './queries.ts';
import { CatalogRebuild } from './rebuild.ts';

/** The parts of one running catalog-service, wired once per service context. */
export interface CatalogModule {
  cache: DetailCacheService;
  projector: CatalogProjector;
  queries: CatalogQueries;
  rebuild: CatalogRebuild;
}

const modules = new WeakMap<ServiceContext<CatalogDb>, CatalogModule>();

export function catalogModule(ctx: ServiceContext<CatalogDb>): CatalogModule {
  let module = modules.get(ctx);
  if (!module) {
    const cache = DetailCacheService.create(ctx as ServiceContext<unknown>);
    module = {
      cache,
      projector: new CatalogProjector(ctx, cache),
      queries: new CatalogQueries(ctx.db, cache),
      rebuild: new CatalogRebuild(ctx, cache),
    };
    modules.set(ctx, module);
  }
  return module;
}
