import {
  type OptionGroup,
  ProductCreated,
  ProductDeleted,
  type ProductSnapshot,
  type ProductStatus,
  ProductUpdated,
  productImageUrl,
  type SkuStatus,
} from '@sagamart/contracts';
import {
  badRequest,
  conflict,
  fetchPage,
  isUniqueViolation,
  likeContains,
  likePrefix,
  type MessagingTables,
  notFound,
  type Page,
  type ServiceContext,
  sql,
  type Transaction,
  unprocessable,
} from '@sagamart/kit';
import { subtreeOf } from '../domain/category-tree.ts';
import { htmlToText, sanitizeHtml, uploadedImageIds } from '../domain/html-sanitizer.ts';
import {
  checkDefinition,
  lowestSkuPrice,
  planSkus,
  type SkuInput,
  type SkuPlan,
} from '../domain/product-definition.ts';
import { applyMovement, skuStatusFor } from '../domain/stock-rules.ts';
import { loadHeld, loadSnapshot } from '../infra/product-reads.ts';
import type { ProductDb } from '../infra/schema.ts';
import { jsonb } from '../infra/sql.ts';
import { showInDescription } from './description-images.ts';
import { lowStockThreshold } from './settings.ts';

type Trx = Transaction<ProductDb & MessagingTables>;

export interface ProductInput {
  name: string;
  code: string;
  description: string;
  basePrice: number;
  /** The lowest price of the SKUs on sale (lowestSkuPrice): derived when absent, checked when given. */
  salePrice?: number | undefined;
  status: ProductStatus;
  displayed: boolean;
  categoryIds: number[];
  optionGroups: OptionGroup[];
  skus: SkuInput[];
  imageIds: string[];
  /** The version the edit was based on; a different current version is a 409 (lost update). */
  version?: number | undefined;
}

export interface SkuView {
  id: number;
  skuCode: string;
  options: Record<string, string>;
  price: number;
  status: SkuStatus;
  removed: boolean;
  stock: number;
  reserved: number;
  sold: number;
  /** Sent back defective or damaged, waiting for the admin's inspection (not in the snapshot events). */
  held: number;
}

export interface ProductView {
  id: number;
  code: string;
  name: string;
  description: string;
  basePrice: number;
  salePrice: number;
  status: ProductStatus;
  displayed: boolean;
  deleted: boolean;
  categoryIds: number[];
  optionGroups: OptionGroup[];
  skus: SkuView[];
  images: Array<{ id: string; url: string }>;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ProductSummary {
  id: number;
  code: string;
  name: string;
  basePrice: number;
  salePrice: number;
  status: ProductStatus;
  displayed: boolean;
  deleted: boolean;
  categoryIds: number[];
  thumbnailUrl: string | null;
  skuCount: number;
  totalStock: number;
  /** Units of all its SKUs (removed ones too) waiting for the admin's inspection. */
  heldTotal: number;
  /** Only with the `stock` filter: its SKUs on sale that match it, the lowest stock first. */
  stockMatches?: StockMatch[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A SKU on sale at or below the stock filter's line; `optionLabel` as "블랙 / L" (the groups' order). */
export interface StockMatch {
  skuId: number;
  skuCode: string;
  optionLabel: string;
  stock: number;
}

export interface ProductFilter {
  /** Only these products (unknown ids are left out). */
  ids?: number[] | undefined;
  name?: string | undefined;
  code?: string | undefined;
  status?: ProductStatus | undefined;
  displayed?: boolean | undefined;
  /** Includes the category's descendants. */
  categoryId?: number | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  /** true: only products holding units for inspection; false: only those holding none. */
  held?: boolean | undefined;
  /**
   * `low`: a SKU on sale at or below the low-stock threshold (sold out included); `soldout`: a SKU on
   * sale with none. On sale as the dashboard's low-stock card counts it (stockOnSaleAtMost).
   */
  stock?: 'low' | 'soldout' | undefined;
  /** Without it, a deleted product is listed only while it holds units (the admin still decides on them). */
  includeDeleted?: boolean | undefined;
  page: number;
  size: number;
}

/** The admin's view of a snapshot; `held` per SKU id (product-service's own count, none when absent). */
export function toView(
  snapshot: ProductSnapshot,
  held: ReadonlyMap<number, number> = new Map(),
): ProductView {
  return {
    id: snapshot.productId,
    code: snapshot.code,
    name: snapshot.name,
    description: snapshot.description,
    basePrice: snapshot.basePrice,
    salePrice: snapshot.salePrice,
    status: snapshot.status,
    displayed: snapshot.displayed,
    deleted: snapshot.deleted,
    categoryIds: snapshot.categoryIds,
    optionGroups: snapshot.optionGroups,
    skus: snapshot.skus.map((s) => ({
      id: s.skuId,
      skuCode: s.skuCode,
      options: s.options,
      price: s.price,
      status: s.status,
      removed: s.removed,
      stock: s.stock,
      reserved: s.reserved,
      sold: s.sold,
      held: held.get(s.skuId) ?? 0,
    })),
    images: snapshot.images,
    version: snapshot.version,
    createdAt: snapshot.createdAt,
    updatedAt: snapshot.updatedAt,
  };
}

/**
 * The product is on sale (neither INACTIVE, hidden nor deleted) and one of its SKUs on sale (neither
 * removed nor INACTIVE) has at most `units` left: what notification-service's dashboard lists as low
 * on stock (SalesDashboard.applyProduct decides on sale the same way), so its card and this list agree.
 */
function stockOnSaleAtMost(units: number) {
  return sql<boolean>`p.status <> 'INACTIVE' and p.displayed and p.deleted_at is null and exists (
    select 1 from skus s
    where s.product_id = p.id and not s.removed and s.status <> 'INACTIVE' and s.stock <= ${units})`;
}

/** Codes are case-insensitive identifiers: stored upper-case. */
function normalize(input: ProductInput): ProductInput & { salePrice: number } {
  return {
    ...input,
    name: input.name.trim(),
    code: input.code.trim().toUpperCase(),
    salePrice: input.salePrice ?? lowestSkuPrice(input.skus) ?? input.basePrice,
    skus: input.skus.map((s) => ({ ...s, skuCode: s.skuCode.trim().toUpperCase() })),
  };
}

/** Products: the admin's source of truth. Every change publishes the product's full snapshot. */
export class Products {
  constructor(private readonly ctx: ServiceContext<ProductDb>) {}

  async get(id: number): Promise<ProductView> {
    const snapshot = await loadSnapshot(this.ctx.db, id);
    if (!snapshot) throw notFound(`Product ${id} does not exist`);
    return toView(snapshot, await loadHeld(this.ctx.db, id));
  }

  async list(filter: ProductFilter): Promise<Page<ProductSummary>> {
    const db = this.ctx.db;
    let categoryIds: number[] | undefined;
    if (filter.categoryId !== undefined) {
      const all = (await db.selectFrom('categories').select(['id', 'parent_id']).execute()).map((c) => ({
        id: c.id,
        parentId: c.parent_id,
      }));
      categoryIds = all.some((c) => c.id === filter.categoryId) ? [...subtreeOf(filter.categoryId, all)] : [];
    }
    let query = db.selectFrom('products as p');
    // Any of its SKUs (removed ones too) holds units for inspection.
    const holdsUnits = sql<boolean>`exists (select 1 from skus h where h.product_id = p.id and h.held > 0)`;
    // A deleted product stays listed while it holds units: the admin still decides on them.
    if (!filter.includeDeleted)
      query = query.where((eb) => eb.or([eb('p.deleted_at', 'is', null), holdsUnits]));
    if (filter.held !== undefined)
      query = query.where((eb) => (filter.held ? holdsUnits : eb.not(holdsUnits)));
    const stockAtMost = filter.stock
      ? filter.stock === 'soldout'
        ? 0
        : lowStockThreshold(this.ctx.config)
      : undefined;
    if (stockAtMost !== undefined) query = query.where(stockOnSaleAtMost(stockAtMost));
    if (filter.ids) query = query.where('p.id', 'in', filter.ids);
    if (filter.name) query = query.where('p.name', 'ilike', likeContains(filter.name.trim()));
    if (filter.code) query = query.where('p.code', 'like', likePrefix(filter.code.trim().toUpperCase()));
    if (filter.status) query = query.where('p.status', '=', filter.status);
    if (filter.displayed !== undefined) query = query.where('p.displayed', '=', filter.displayed);
    if (filter.minPrice !== undefined) query = query.where('p.sale_price', '>=', filter.minPrice);
    if (filter.maxPrice !== undefined) query = query.where('p.sale_price', '<=', filter.maxPrice);
    if (categoryIds) {
      const ids = categoryIds;
      query = query.where((eb) =>
        ids.length === 0
          ? eb.val(false)
          : eb.exists(
              eb
                .selectFrom('product_categories as pc')
                .select('pc.product_id')
                .whereRef('pc.product_id', '=', 'p.id')
                .where('pc.category_id', 'in', ids),
            ),
      );
    }
    const page = await fetchPage(query, (q) => q.selectAll('p').orderBy('p.id', 'desc'), filter);
    const rows = page.content;
    const ids = rows.map((r) => r.id);
    const [categories, stock, thumbnails, matched] = ids.length
      ? await Promise.all([
          db
            .selectFrom('product_categories')
            .selectAll()
            .where('product_id', 'in', ids)
            .orderBy('category_id')
            .execute(),
          db
            .selectFrom('skus')
            .select((eb) => [
              'product_id',
              eb.fn.countAll<number>().filterWhere('removed', '=', false).as('skus'),
              eb.fn
                .coalesce(eb.fn.sum<number>('stock').filterWhere('removed', '=', false), eb.val(0))
                .as('stock'),
              // A removed SKU's held units still wait for the admin.
              eb.fn.coalesce(eb.fn.sum<number>('held'), eb.val(0)).as('held'),
            ])
            .where('product_id', 'in', ids)
            .groupBy('product_id')
            .execute(),
          db
            .selectFrom('images')
            .select(['id', 'product_id'])
            .where('product_id', 'in', ids)
            .where('position', '=', 0)
            .execute(),
          // Why each is listed: its SKUs on sale at or below the filter's line (stockOnSaleAtMost).
          stockAtMost === undefined
            ? []
            : db
                .selectFrom('skus')
                .select(['id', 'product_id', 'sku_code', 'options', 'stock'])
                .where('product_id', 'in', ids)
                .where('removed', '=', false)
                .where('status', '<>', 'INACTIVE')
                .where('stock', '<=', stockAtMost)
                .orderBy('stock')
                .orderBy('position')
                .orderBy('id')
                .execute(),
        ])
      : [[], [], [], []];
    const content = rows.map((p) => {
      const s = stock.find((r) => r.product_id === p.id);
      const thumbnail = thumbnails.find((t) => t.product_id === p.id);
      return {
        id: p.id,
        code: p.code,
        name: p.name,
        basePrice: p.base_price,
        salePrice: p.sale_price,
        status: p.status,
        displayed: p.displayed,
        deleted: p.deleted_at !== null,
        categoryIds: categories.filter((c) => c.product_id === p.id).map((c) => c.category_id),
        thumbnailUrl: thumbnail ? productImageUrl(thumbnail.id) : null,
        skuCount: Number(s?.skus ?? 0),
        totalStock: Number(s?.stock ?? 0),
        heldTotal: Number(s?.held ?? 0),
        ...(stockAtMost === undefined
          ? {}
          : {
              stockMatches: matched
                .filter((m) => m.product_id === p.id)
                .map((m) => ({
                  skuId: m.id,
                  skuCode: m.sku_code,
                  optionLabel: p.option_groups
                    .map((group) => m.options[group.name])
                    .filter(Boolean)
                    .join(' / '),
                  stock: m.stock,
                })),
            }),
        version: p.version,
        createdAt: p.created_at.toISOString(),
        updatedAt: p.updated_at.toISOString(),
      };
    });
    return { ...page, content };
  }

  async create(raw: ProductInput, actor: string | null): Promise<ProductView> {
    const input = normalize(raw);
    this.check(input);
    const description = sanitizeHtml(input.description);
    const snapshot = await this.ctx.transaction(async (trx) => {
      await this.checkCategories(trx, input.categoryIds);
      const product = await trx
        .insertInto('products')
        .values({
          code: input.code,
          name: input.name,
          description,
          description_text: htmlToText(description),
          base_price: input.basePrice,
          sale_price: input.salePrice,
          status: input.status,
          displayed: input.displayed,
          option_groups: jsonb(input.optionGroups),
          version: 1,
          deleted_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
        .catch((error) => {
          throw isUniqueViolation(error)
            ? conflict(`Product code ${input.code} is taken`, 'product-code-taken')
            : error;
        });
      await trx
        .insertInto('product_categories')
        .values(input.categoryIds.map((category_id) => ({ product_id: product.id, category_id })))
        .execute();
      await this.writeSkus(trx, product.id, [], planSkus([], input.skus), actor);
      await this.attachImages(trx, product.id, input.imageIds);
      await showInDescription(trx, product.id, uploadedImageIds(description));
      const snapshot = (await loadSnapshot(trx, product.id))!;
      await this.ctx.publish(trx, ProductCreated, snapshot);
      return snapshot;
    });
    return toView(snapshot);
  }

  async update(id: number, raw: ProductInput, actor: string | null): Promise<ProductView> {
    const input = normalize(raw);
    this.check(input);
    const description = sanitizeHtml(input.description);
    const snapshot = await this.ctx.transaction(async (trx) => {
      const current = await trx
        .selectFrom('products')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!current) throw notFound(`Product ${id} does not exist`);
      if (current.deleted_at) throw conflict(`Product ${id} is deleted`, 'product-deleted');
      if (input.version !== undefined && input.version !== current.version) {
        throw conflict(
          `Product ${id} changed meanwhile (version ${current.version}, the edit was based on ${input.version}); reload and try again`,
          'stale-version',
        );
      }
      await this.checkCategories(trx, input.categoryIds);
      await trx
        .updateTable('products')
        .set((eb) => ({
          code: input.code,
          name: input.name,
          description,
          description_text: htmlToText(description),
          base_price: input.basePrice,
          sale_price: input.salePrice,
          status: input.status,
          displayed: input.displayed,
          option_groups: jsonb(input.optionGroups),
          version: eb('version', '+', 1),
          updated_at: new Date(),
        }))
        .where('id', '=', id)
        .execute()
        .catch((error) => {
          throw isUniqueViolation(error)
            ? conflict(`Product code ${input.code} is taken`, 'product-code-taken')
            : error;
        });
      await trx.deleteFrom('product_categories').where('product_id', '=', id).execute();
      await trx
        .insertInto('product_categories')
        .values(input.categoryIds.map((category_id) => ({ product_id: id, category_id })))
        .execute();
      // Locked in id order, the same order stock reservations lock SKUs in.
      const existing = await trx
        .selectFrom('skus')
        .select(['id', 'sku_code', 'removed', 'stock', 'reserved', 'sold'])
        .where('product_id', '=', id)
        .orderBy('id')
        .forUpdate()
        .execute();
      const plan = planSkus(
        existing.map((s) => ({ id: s.id, skuCode: s.sku_code, removed: s.removed })),
        input.skus,
      );
      await this.writeSkus(trx, id, existing, plan, actor);
      await this.attachImages(trx, id, input.imageIds);
      await showInDescription(trx, id, uploadedImageIds(description));
      const snapshot = (await loadSnapshot(trx, id))!;
      await this.ctx.publish(trx, ProductUpdated, snapshot);
      return snapshot;
    });
    return toView(snapshot, await loadHeld(this.ctx.db, id));
  }

  /**
   * Soft delete when orders reference the product (anything reserved or sold, or any order movement);
   * otherwise it is removed with its SKUs, and its images (and those its description showed) become
   * orphans for the cleanup job.
   */
  async delete(id: number): Promise<'SOFT' | 'HARD' | 'ALREADY'> {
    return this.ctx.transaction(async (trx) => {
      const current = await trx
        .selectFrom('products')
        .select(['id', 'version', 'deleted_at'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!current) throw notFound(`Product ${id} does not exist`);
      if (current.deleted_at) return 'ALREADY';
      // Its SKUs locked in id order (as reservations lock them): a reservation committing meanwhile is
      // either seen below or waits, so a hard delete never takes an order's stock with it.
      await trx
        .selectFrom('skus')
        .select('id')
        .where('product_id', '=', id)
        .orderBy('id')
        .forUpdate()
        .execute();
      const referenced = await trx
        .selectFrom('skus')
        .select('id')
        .where('product_id', '=', id)
        .where((eb) =>
          eb.or([
            eb('sold', '>', 0),
            eb('reserved', '>', 0),
            eb.exists(
              eb
                .selectFrom('stock_movements as m')
                .select('m.id')
                .whereRef('m.sku_id', '=', 'skus.id')
                .where('m.order_id', 'is not', null),
            ),
          ]),
        )
        .limit(1)
        .executeTakeFirst();
      const now = new Date();
      const version = current.version + 1;
      if (referenced) {
        await trx
          .updateTable('products')
          .set({ deleted_at: now, displayed: false, version, updated_at: now })
          .where('id', '=', id)
          .execute();
      } else {
        await trx
          .updateTable('images')
          .set({ product_id: null, position: null, orphaned_at: now })
          .where('product_id', '=', id)
          .execute();
        await showInDescription(trx, id, []);
        await trx.deleteFrom('products').where('id', '=', id).execute();
      }
      const mode = referenced ? 'SOFT' : 'HARD';
      await this.ctx.publish(trx, ProductDeleted, {
        productId: id,
        version,
        mode,
        deletedAt: now.toISOString(),
      });
      return mode;
    });
  }

  private check(input: ProductInput & { salePrice: number }): void {
    const problems = checkDefinition(input);
    if (problems.length)
      throw badRequest(
        `Invalid product: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
        problems,
      );
  }

  /** Categories must exist and be leaves; locked (shared) so no subcategory appears under them meanwhile. */
  private async checkCategories(trx: Trx, ids: number[]): Promise<void> {
    const found = await trx.selectFrom('categories').select('id').where('id', 'in', ids).forShare().execute();
    const missing = ids.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) {
      throw badRequest(`Unknown categories: ${missing.join(', ')}`, [
        { field: 'categoryIds', message: `unknown: ${missing.join(', ')}` },
      ]);
    }
    const parents = await trx
      .selectFrom('categories')
      .select('parent_id')
      .distinct()
      .where('parent_id', 'in', ids)
      .execute();
    if (parents.length) {
      throw unprocessable(
        `Products belong to leaf categories; ${parents.map((p) => p.parent_id).join(', ')} have subcategories`,
        'category-not-leaf',
      );
    }
  }

  private async writeSkus(
    trx: Trx,
    productId: number,
    existing: Array<{ id: number; stock: number; reserved: number; sold: number }>,
    plan: SkuPlan,
    actor: string | null,
  ): Promise<void> {
    const codes = [...plan.create, ...plan.update].map((s) => s.input.skuCode);
    if (codes.length) {
      const taken = await trx
        .selectFrom('skus')
        .select('sku_code')
        .where('sku_code', 'in', codes)
        .where('product_id', '!=', productId)
        .execute();
      if (taken.length)
        throw conflict(
          `SKU codes used by another product: ${taken.map((t) => t.sku_code).join(', ')}`,
          'sku-code-taken',
        );
    }
    const now = new Date();
    if (plan.remove.length) {
      await trx
        .updateTable('skus')
        .set({ removed: true, status: 'INACTIVE', updated_at: now })
        .where('id', 'in', plan.remove)
        .execute();
    }
    for (const { id, input, position } of plan.update) {
      const stock = existing.find((s) => s.id === id)!.stock;
      await trx
        .updateTable('skus')
        .set({
          sku_code: input.skuCode,
          options: jsonb(input.options),
          price: input.price,
          status: skuStatusFor(input.status, stock),
          removed: false,
          position,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
    }
    for (const { input, position } of plan.create) {
      const { levels, quantity } = applyMovement(
        { stock: 0, reserved: 0, sold: 0, held: 0 },
        'INITIAL',
        input.initialStock ?? 0,
      );
      const sku = await trx
        .insertInto('skus')
        .values({
          product_id: productId,
          sku_code: input.skuCode,
          options: jsonb(input.options),
          price: input.price,
          status: skuStatusFor(input.status, levels.stock),
          removed: false,
          position,
          stock: levels.stock,
          reserved: levels.reserved,
          sold: levels.sold,
          stock_version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
        .catch((error) => {
          throw isUniqueViolation(error)
            ? conflict(`SKU code ${input.skuCode} is taken`, 'sku-code-taken')
            : error;
        });
      await trx
        .insertInto('stock_movements')
        .values({
          sku_id: sku.id,
          product_id: productId,
          type: 'INITIAL',
          quantity,
          stock_after: levels.stock,
          reserved_after: levels.reserved,
          sold_after: levels.sold,
          // The type says what it is; a reason is what an admin writes.
          reason: null,
          order_id: null,
          actor,
        })
        .execute();
    }
  }

  /** The product's images become exactly `imageIds`, in that order; dropped ones become orphans. */
  private async attachImages(trx: Trx, productId: number, imageIds: string[]): Promise<void> {
    const now = new Date();
    if (imageIds.length) {
      const rows = await trx
        .selectFrom('images')
        .select(['id', 'product_id'])
        .where('id', 'in', imageIds)
        .forUpdate()
        .execute();
      const missing = imageIds.filter((id) => !rows.some((r) => r.id === id));
      if (missing.length) {
        throw badRequest(`Unknown images: ${missing.join(', ')}`, [
          { field: 'imageIds', message: `unknown: ${missing.join(', ')}` },
        ]);
      }
      const elsewhere = rows.filter((r) => r.product_id !== null && r.product_id !== productId);
      if (elsewhere.length)
        throw conflict(
          `Images belong to another product: ${elsewhere.map((r) => r.id).join(', ')}`,
          'image-in-use',
        );
    }
    let detach = trx
      .updateTable('images')
      .set({ product_id: null, position: null, orphaned_at: now })
      .where('product_id', '=', productId);
    if (imageIds.length) detach = detach.where('id', 'not in', imageIds);
    await detach.execute();
    for (const [position, imageId] of imageIds.entries()) {
      await trx
        .updateTable('images')
        .set({ product_id: productId, position, orphaned_at: null })
        .where('id', '=', imageId)
        .execute();
    }
    if (imageIds.length) {
      await trx
        .insertInto('image_products')
        .values(imageIds.map((image_id) => ({ image_id, product_id: productId })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }
}
