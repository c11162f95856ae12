import type {
  CategorySyncList,
  ProductSnapshot,
  ProductSyncPage,
  SkuLookupResult,
} from '@sagamart/contracts';
import { notFound, type ServiceContext } from '@sagamart/kit';
import { loadCategorySnapshots, loadSnapshot, loadSyncPage, lookupSkus } from '../infra/product-reads.ts';
import type { ProductDb } from '../infra/schema.ts';

/** Reads other services build on: full sync for catalog rebuilds, one product's snapshot, SKU lookup. */
export class SyncReads {
  constructor(private readonly ctx: ServiceContext<ProductDb>) {}

  /** One keyset page of products with id > afterId, in id order, soft-deleted ones included. */
  async products(afterId: number, size: number): Promise<ProductSyncPage> {
    const { items, lastId, more } = await loadSyncPage(this.ctx.db, afterId, size);
    return { content: items, nextAfterId: more ? lastId : null };
  }

  async categories(): Promise<CategorySyncList> {
    return { content: await loadCategorySnapshots(this.ctx.db) };
  }

  async product(id: number): Promise<ProductSnapshot> {
    const snapshot = await loadSnapshot(this.ctx.db, id);
    if (!snapshot) throw notFound(`Product ${id} does not exist`);
    return snapshot;
  }

  async skus(ids: number[]): Promise<SkuLookupResult> {
    return { content: await lookupSkus(this.ctx.db, ids) };
  }
}
