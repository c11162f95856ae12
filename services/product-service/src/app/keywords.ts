import { KeywordCreated, KeywordDeleted, KeywordUpdated } from '@sagamart/contracts';
import {
  conflict,
  isUniqueViolation,
  type MessagingTables,
  notFound,
  type ServiceContext,
  type Transaction,
} from '@sagamart/kit';
import { loadKeywords } from '../infra/product-reads.ts';
import type { ProductDb } from '../infra/schema.ts';

type Trx = Transaction<ProductDb & MessagingTables>;

export interface KeywordView {
  id: number;
  keyword: string;
}

/**
 * Per-product search keywords. They have their own version counter and their own events, so the
 * catalog applies them to its keyword columns only and a product edit never overwrites them.
 */
export class Keywords {
  constructor(private readonly ctx: ServiceContext<ProductDb>) {}

  async list(productId: number): Promise<KeywordView[]> {
    const product = await this.ctx.db
      .selectFrom('products')
      .select('id')
      .where('id', '=', productId)
      .executeTakeFirst();
    if (!product) throw notFound(`Product ${productId} does not exist`);
    return (await loadKeywords(this.ctx.db, [productId])).get(productId) ?? [];
  }

  async add(productId: number, keyword: string): Promise<KeywordView> {
    return this.ctx.transaction(async (trx) => {
      await this.lockProduct(trx, productId);
      const row = await trx
        .insertInto('keywords')
        .values({ product_id: productId, keyword: keyword.trim() })
        .returning(['id', 'keyword'])
        .executeTakeFirstOrThrow()
        .catch((error) => {
          throw this.duplicate(error, keyword);
        });
      await this.publish(trx, productId, 'created', row);
      return row;
    });
  }

  async rename(productId: number, keywordId: number, keyword: string): Promise<KeywordView> {
    return this.ctx.transaction(async (trx) => {
      await this.lockProduct(trx, productId);
      const row = await trx
        .updateTable('keywords')
        .set({ keyword: keyword.trim() })
        .where('id', '=', keywordId)
        .where('product_id', '=', productId)
        .returning(['id', 'keyword'])
        .executeTakeFirst()
        .catch((error) => {
          throw this.duplicate(error, keyword);
        });
      if (!row) throw notFound(`Product ${productId} has no keyword ${keywordId}`);
      await this.publish(trx, productId, 'updated', row);
      return row;
    });
  }

  async remove(productId: number, keywordId: number): Promise<void> {
    await this.ctx.transaction(async (trx) => {
      await this.lockProduct(trx, productId);
      const row = await trx
        .deleteFrom('keywords')
        .where('id', '=', keywordId)
        .where('product_id', '=', productId)
        .returning(['id', 'keyword'])
        .executeTakeFirst();
      if (!row) throw notFound(`Product ${productId} has no keyword ${keywordId}`);
      await this.publish(trx, productId, 'deleted', row);
    });
  }

  /** Serializes keyword changes of one product, so versions follow commit order. */
  private async lockProduct(trx: Trx, productId: number): Promise<void> {
    const product = await trx
      .selectFrom('products')
      .select(['id', 'deleted_at'])
      .where('id', '=', productId)
      .forUpdate()
      .executeTakeFirst();
    if (!product) throw notFound(`Product ${productId} does not exist`);
    if (product.deleted_at) throw conflict(`Product ${productId} is deleted`, 'product-deleted');
  }

  private duplicate(error: unknown, keyword: string): unknown {
    return isUniqueViolation(error)
      ? conflict(`The product already has the keyword "${keyword.trim()}"`, 'keyword-exists')
      : error;
  }

  private async publish(
    trx: Trx,
    productId: number,
    what: 'created' | 'updated' | 'deleted',
    row: KeywordView,
  ): Promise<void> {
    const { keywords_version: version } = await trx
      .updateTable('products')
      .set((eb) => ({ keywords_version: eb('keywords_version', '+', 1) }))
      .where('id', '=', productId)
      .returning('keywords_version')
      .executeTakeFirstOrThrow();
    const keywords = ((await loadKeywords(trx, [productId])).get(productId) ?? []).map((k) => k.keyword);
    const contract =
      what === 'created' ? KeywordCreated : what === 'updated' ? KeywordUpdated : KeywordDeleted;
    await this.ctx.publish(trx, contract, {
      productId,
      version,
      keywordId: row.id,
      keyword: row.keyword,
      keywords,
    });
  }
}
