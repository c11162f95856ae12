import type { OptionGroup } from '@sagamart/contracts';
import type { Kysely } from '@sagamart/kit';
import { htmlToText, sanitizeHtml, uploadedImageIds } from '../domain/html-sanitizer.ts';
import { checkDefinition } from '../domain/product-definition.ts';
import { skuStatusFor } from '../domain/stock-rules.ts';
import type { ProductDb } from '../infra/schema.ts';
import { jsonb } from '../infra/sql.ts';
import { showInDescription } from './description-images.ts';

export interface BulkProduct {
  code: string;
  name: string;
  description: string;
  basePrice: number;
  salePrice: number;
  categoryIds: number[];
  optionGroups: OptionGroup[];
  skus: Array<{ skuCode: string; options: Record<string, string>; price: number; stock: number }>;
}

const CHUNK = 2_000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Inserts many products at once with the same rules as the admin API (definition checked,
 * description sanitized, INITIAL movements written) but WITHOUT events: for loading a large data set
 * (the bench) after which the catalog is rebuilt from the full-sync API. Returns the new product ids.
 */
export async function bulkLoadProducts(db: Kysely<ProductDb>, products: BulkProduct[]): Promise<number[]> {
  for (const p of products) {
    const problems = checkDefinition({
      ...p,
      imageIds: [],
      skus: p.skus.map((s) => ({ ...s, status: 'ACTIVE' })),
    });
    if (problems.length)
      throw new Error(`${p.code}: ${problems.map((x) => `${x.field} ${x.message}`).join('; ')}`);
  }
  return db.transaction().execute(async (trx) => {
    const ids: number[] = [];
    for (const batch of chunks(products, 500)) {
      const descriptions = batch.map((p) => sanitizeHtml(p.description));
      const rows = await trx
        .insertInto('products')
        .values(
          batch.map((p, i) => {
            const description = descriptions[i]!;
            return {
              code: p.code.toUpperCase(),
              name: p.name,
              description,
              description_text: htmlToText(description),
              base_price: p.basePrice,
              sale_price: p.salePrice,
              status: 'ACTIVE' as const,
              displayed: true,
              option_groups: jsonb(p.optionGroups),
              version: 1,
              deleted_at: null,
            };
          }),
        )
        .returning('id')
        .execute();
      const productIds = rows.map((r) => r.id);
      ids.push(...productIds);
      // The uploaded images a description shows, recorded (and checked) as a save does.
      for (const [i, description] of descriptions.entries()) {
        const shown = uploadedImageIds(description);
        if (shown.length) await showInDescription(trx, productIds[i]!, shown);
      }
      await trx
        .insertInto('product_categories')
        .values(
          batch.flatMap((p, i) =>
            p.categoryIds.map((category_id) => ({ product_id: productIds[i]!, category_id })),
          ),
        )
        .execute();
      const skus = batch.flatMap((p, i) =>
        p.skus.map((s, position) => ({
          product_id: productIds[i]!,
          sku_code: s.skuCode.toUpperCase(),
          options: jsonb(s.options),
          price: s.price,
          status: skuStatusFor('ACTIVE', s.stock),
          removed: false,
          position,
          stock: s.stock,
          reserved: 0,
          sold: 0,
          stock_version: 1,
        })),
      );
      for (const part of chunks(skus, CHUNK)) {
        const inserted = await trx
          .insertInto('skus')
          .values(part)
          .returning(['id', 'product_id', 'stock'])
          .execute();
        await trx
          .insertInto('stock_movements')
          .values(
            inserted.map((s) => ({
              sku_id: s.id,
              product_id: s.product_id,
              type: 'INITIAL' as const,
              quantity: s.stock,
              stock_after: s.stock,
              reserved_after: 0,
              sold_after: 0,
              reason: null,
              order_id: null,
              actor: 'bulk-load',
            })),
          )
          .execute();
      }
    }
    return ids;
  });
}
