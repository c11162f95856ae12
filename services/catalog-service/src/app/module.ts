import type { Page, ServiceContext } from '@sagamart/kit';
import type { CatalogDb } from '../infra/schema.ts';
import { DetailCacheService } from './detail-cache.ts';
import { CatalogProjector } from './projector.ts';
import { CatalogQueries, type ProductCard } from './queries.ts';
import { ReadModelGenerationClock } from './read-model-generation.ts';
import { CatalogRebuild } from './rebuild.ts';
import { SearchCache } from './search-cache.ts';

/** The parts of one running catalog-service, wired once per service context. */
export interface CatalogModule {
  cache: DetailCacheService;
  generation: ReadModelGenerationClock;
  projector: CatalogProjector;
  queries: CatalogQueries;
  rebuild: CatalogRebuild;
  searchCache: SearchCache<Page<ProductCard>>;
}

const modules = new WeakMap<ServiceContext<CatalogDb>, CatalogModule>();

export function catalogModule(ctx: ServiceContext<CatalogDb>): CatalogModule {
  let module = modules.get(ctx);
  if (!module) {
    const generation = new ReadModelGenerationClock(ctx);
    const searchCache = new SearchCache<Page<ProductCard>>(ctx, (g) => generation.advanced(g));
    const cache = DetailCacheService.create(ctx as ServiceContext<unknown>, () => searchCache.changed());
    module = {
      cache,
      generation,
      projector: new CatalogProjector(ctx, cache, searchCache),
      queries: new CatalogQueries(ctx.db, cache, searchCache),
      rebuild: new CatalogRebuild(ctx, cache, searchCache),
      searchCache,
    };
    modules.set(ctx, module);
  }
  return module;
}
