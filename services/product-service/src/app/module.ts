import type { ServiceContext } from '@sagamart/kit';
import type { ProductDb } from '../infra/schema.ts';
import { Categories } from './categories.ts';
import { Images } from './images.ts';
import { Keywords } from './keywords.ts';
import { Products } from './products.ts';
import { StockLedger } from './stock.ts';
import { SyncReads } from './sync-reads.ts';

/** The use cases of one running product-service, wired once per service context. */
export interface ProductModule {
  categories: Categories;
  products: Products;
  keywords: Keywords;
  stock: StockLedger;
  images: Images;
  sync: SyncReads;
}

const modules = new WeakMap<ServiceContext<ProductDb>, ProductModule>();

export function productModule(ctx: ServiceContext<ProductDb>): ProductModule {
  let module = modules.get(ctx);
  if (!module) {
    module = {
      categories: new Categories(ctx),
      products: new Products(ctx),
      keywords: new Keywords(ctx),
      stock: new StockLedger(ctx),
      images: new Images(ctx),
      sync: new SyncReads(ctx),
    };
    modules.set(ctx, module);
  }
  return module;
}
