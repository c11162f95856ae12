import {
  type CategorySnapshot,
  type ProductSnapshot,
  type ProductSyncItem,
  productImageUrl,
  type SkuLookupItem,
} from '@sagamart/contracts';
import { type Kysely, type MessagingTables, sql } from '@sagamart/kit';
import type { ProductDb } from './schema.ts';

/** The database or a transaction of it. */
export type Executor = Kysely<ProductDb & MessagingTables>;

const iso = (d: Date) => d.toISOString();

function groupBy<T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

/** Snapshots of the given products (soft-deleted included), loaded in five queries whatever their number. */
export async function loadSnapshots(
  db: Executor,
  productIds: number[],
): Promise<Map<number, ProductSnapshot>> {
  const result = new Map<number, ProductSnapshot>();
  if (productIds.length === 0) return result;
  const q = db as Kysely<ProductDb>;
  const [products, categories, skus, images] = await Promise.all([
    q.selectFrom('products').selectAll().where('id', 'in', productIds).execute(),
    q
      .selectFrom('product_categories')
      .selectAll()
      .where('product_id', 'in', productIds)
      .orderBy('category_id')
      .execute(),
    q
      .selectFrom('skus')
      .selectAll()
      .where('product_id', 'in', productIds)
      .orderBy('position')
      .orderBy('id')
      .execute(),
    q
      .selectFrom('images')
      .select(['id', 'product_id', 'position'])
      .where('product_id', 'in', productIds)
      .orderBy('position')
      .execute(),
  ]);
  const categoriesOf = groupBy(categories, (r) => r.product_id);
  const skusOf = groupBy(skus, (r) => r.product_id);
  const imagesOf = groupBy(images, (r) => r.product_id!);
  for (const p of products) {
    result.set(p.id, {
      productId: p.id,
      version: p.version,
      code: p.code,
      name: p.name,
      description: p.description,
      descriptionText: p.description_text,
      basePrice: p.base_price,
      salePrice: p.sale_price,
      status: p.status,
      displayed: p.displayed,
      deleted: p.deleted_at !== null,
      categoryIds: (categoriesOf.get(p.id) ?? []).map((c) => c.category_id),
      optionGroups: p.option_groups,
      skus: (skusOf.get(p.id) ?? []).map((s) => ({
        skuId: s.id,
        skuCode: s.sku_code,
        options: s.options,
        price: s.price,
        status: s.status,
        removed: s.removed,
        stock: s.stock,
        reserved: s.reserved,
        sold: s.sold,
        stockVersion: s.stock_version,
      })),
      images: (imagesOf.get(p.id) ?? []).map((i) => ({ id: i.id, url: productImageUrl(i.id) })),
      createdAt: iso(p.created_at),
      updatedAt: iso(p.updated_at),
    });
  }
  return result;
}

export async function loadSnapshot(db: Executor, productId: number): Promise<ProductSnapshot | undefined> {
  return (await loadSnapshots(db, [productId])).get(productId);
}

/** Held units per SKU id of a product (those with none are left out). */
export async function loadHeld(db: Executor, productId: number): Promise<Map<number, number>> {
  const rows = await (db as Kysely<ProductDb>)
    .selectFrom('skus')
    .select(['id', 'held'])
    .where('product_id', '=', productId)
    .where('held', '>', 0)
    .execute();
  return new Map(rows.map((r) => [r.id, r.held]));
}

/** The product's keywords in creation order. */
export async function loadKeywords(
  db: Executor,
  productIds: number[],
): Promise<Map<number, Array<{ id: number; keyword: string }>>> {
  if (productIds.length === 0) return new Map();
  const rows = await (db as Kysely<ProductDb>)
    .selectFrom('keywords')
    .select(['id', 'product_id', 'keyword'])
    .where('product_id', 'in', productIds)
    .orderBy('id')
    .execute();
  return new Map(
    [...groupBy(rows, (r) => r.product_id)].map(([id, list]) => [
      id,
      list.map((r) => ({ id: r.id, keyword: r.keyword })),
    ]),
  );
}

/** One keyset page of the full sync: products with id > afterId, in id order. */
export async function loadSyncPage(
  db: Executor,
  afterId: number,
  size: number,
): Promise<{ items: ProductSyncItem[]; lastId: number | null; more: boolean }> {
  const rows = await (db as Kysely<ProductDb>)
    .selectFrom('products')
    .select(['id', 'keywords_version'])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(size + 1)
    .execute();
  const page = rows.slice(0, size);
  const ids = page.map((r) => r.id);
  const [snapshots, keywords] = await Promise.all([loadSnapshots(db, ids), loadKeywords(db, ids)]);
  const items: ProductSyncItem[] = [];
  for (const row of page) {
    const product = snapshots.get(row.id);
    // Deleted (hard) between the two reads: the product.deleted event tells the catalog.
    if (!product) continue;
    items.push({
      product,
      keywords: (keywords.get(row.id) ?? []).map((k) => k.keyword),
      keywordsVersion: row.keywords_version,
    });
  }
  return { items, lastId: page.at(-1)?.id ?? null, more: rows.length > size };
}

export async function loadCategorySnapshots(db: Executor, ids?: number[]): Promise<CategorySnapshot[]> {
  let query = (db as Kysely<ProductDb>)
    .selectFrom('categories')
    .selectAll()
    .orderBy('depth')
    .orderBy('display_order')
    .orderBy('id');
  if (ids) {
    if (ids.length === 0) return [];
    query = query.where('id', 'in', ids);
  }
  const rows = await query.execute();
  return rows.map((c) => ({
    categoryId: c.id,
    version: c.version,
    parentId: c.parent_id,
    name: c.name,
    depth: c.depth,
    displayOrder: c.display_order,
    displayed: c.displayed,
  }));
}

/** SKUs by id with what the order flow needs; unknown ids are left out. */
export async function lookupSkus(db: Executor, skuIds: number[]): Promise<SkuLookupItem[]> {
  if (skuIds.length === 0) return [];
  const q = db as Kysely<ProductDb>;
  // One statement (the order saga's first call): each product's categories and first image as sub-selects.
  const rows = await q
    .selectFrom('skus as s')
    .innerJoin('products as p', 'p.id', 's.product_id')
    .select((eb) => [
      's.id as skuId',
      's.sku_code as skuCode',
      's.options',
      's.price',
      's.status',
      's.removed',
      's.stock',
      'p.id as productId',
      'p.code as productCode',
      'p.name as productName',
      'p.status as productStatus',
      'p.displayed',
      'p.deleted_at as deletedAt',
      eb
        .selectFrom('product_categories as pc')
        .select(sql<number[]>`coalesce(json_agg(pc.category_id order by pc.category_id), '[]')`.as('ids'))
        .whereRef('pc.product_id', '=', 'p.id')
        .as('categoryIds'),
      eb
        .selectFrom('images as i')
        .select('i.id')
        .whereRef('i.product_id', '=', 'p.id')
        .where('i.position', '=', 0)
        .orderBy('i.id')
        .limit(1)
        .as('thumbnailId'),
    ])
    .where('s.id', 'in', skuIds)
    .orderBy('s.id')
    .execute();
  return rows.map((r) => {
    const deleted = r.deletedAt !== null;
    return {
      skuId: r.skuId,
      skuCode: r.skuCode,
      options: r.options,
      price: r.price,
      status: r.status,
      removed: r.removed,
      stock: r.stock,
      productId: r.productId,
      productCode: r.productCode,
      productName: r.productName,
      productStatus: r.productStatus,
      displayed: r.displayed,
      deleted,
      categoryIds: (r.categoryIds ?? []).map(Number),
      // An uploaded image, else null: the browser draws a product without one. Drawing it here would put
      // a category read and an SVG on the order placement path (docs/performance.md, issue 16) and keep
      // a drawing on every order line.
      thumbnailUrl: r.thumbnailId ? productImageUrl(r.thumbnailId) : null,
      orderable:
        r.status === 'ACTIVE' &&
        !r.removed &&
        r.stock > 0 &&
        r.productStatus === 'ACTIVE' &&
        r.displayed &&
        !deleted,
    };
  });
}
