import { type Kysely, type MessagingTables, sql } from '@sagamart/kit';
import {
  CATEGORY_COLUMNS,
  type CatalogDb,
  categoryNamesOf,
  type LiveTables,
  PRODUCT_COLUMNS,
  PRODUCT_FIELD_COLUMNS,
  SKU_COLUMNS,
  SKU_DEFINITION_COLUMNS,
  SKU_STOCK_COLUMNS,
} from './schema.ts';

/** The database or a transaction of it. */
type Executor = Kysely<CatalogDb & MessagingTables>;

const TYPES: Record<string, string> = {
  id: 'bigint',
  code: 'text',
  name: 'text',
  description: 'text',
  description_text: 'text',
  base_price: 'bigint',
  sale_price: 'bigint',
  status: 'text',
  displayed: 'boolean',
  deleted: 'boolean',
  category_ids: 'bigint[]',
  option_groups: 'jsonb',
  images: 'jsonb',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
  version: 'integer',
  keywords: 'text[]',
  keywords_text: 'text',
  keywords_version: 'integer',
  options_text: 'text',
  categories_text: 'text',
  in_stock: 'boolean',
  sales_count: 'bigint',
  product_id: 'bigint',
  sku_code: 'text',
  options: 'jsonb',
  price: 'bigint',
  admin_status: 'text',
  removed: 'boolean',
  position: 'integer',
  product_version: 'integer',
  stock: 'integer',
  reserved: 'integer',
  sold: 'integer',
  stock_version: 'integer',
  parent_id: 'bigint',
  depth: 'integer',
  display_order: 'integer',
};

export interface UpsertPlan {
  /** Columns updated on conflict; none: insert only when missing. */
  update: readonly string[];
  /** Update only when the incoming value of this version column is newer. */
  newerThan?: string;
}

/**
 * Writes to one set of read-model tables (the live ones, or a rebuild's `_next` set). Rows travel
 * as one jsonb parameter expanded by jsonb_to_recordset, so a batch is one statement. Table and
 * column names are constants from schema.ts, never input.
 */
export class ReadModelWriter {
  constructor(readonly tables: LiveTables) {}

  /** Upserts rows (objects keyed by column); returns the ids inserted or updated. */
  async upsert(
    db: Executor,
    table: string,
    rows: Array<Record<string, unknown>>,
    plan: UpsertPlan,
  ): Promise<number[]> {
    if (rows.length === 0) return [];
    const columns = Object.keys(rows[0]!);
    const definitions = columns.map((c) => `${c} ${TYPES[c] ?? 'text'}`).join(', ');
    const list = columns.join(', ');
    const action = plan.update.length
      ? `do update set ${plan.update.map((c) => `${c} = excluded.${c}`).join(', ')}${
          plan.newerThan ? ` where ${table}.${plan.newerThan} < excluded.${plan.newerThan}` : ''
        }`
      : 'do nothing';
    const result = await sql<{ id: number }>`insert into ${sql.raw(table)} (${sql.raw(list)})
      select ${sql.raw(list)} from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(${sql.raw(definitions)})
      on conflict (id) ${sql.raw(action)}
      returning id`.execute(db);
    return result.rows.map((r) => Number(r.id));
  }

  /**
   * Makes sure the product row exists (a placeholder, invisible, when its product event has not
   * arrived yet) and locks it. Every handler locks the product row before its SKU rows: one lock order.
   */
  async lockProduct(db: Executor, productId: number): Promise<void> {
    const { products } = this.tables;
    await sql`insert into ${sql.raw(products)} (id) values (${productId}) on conflict (id) do nothing`.execute(
      db,
    );
    await sql`select id from ${sql.raw(products)} where id = ${productId} for update`.execute(db);
  }

  /** Product fields of newer snapshots; returns the product ids whose fields were applied. */
  upsertProductFields(db: Executor, rows: Array<Record<string, unknown>>): Promise<number[]> {
    return this.upsert(db, this.tables.products, rows, {
      update: PRODUCT_FIELD_COLUMNS.filter((c) => c !== 'applied_at'),
      newerThan: 'version',
    });
  }

  async markProductDeleted(db: Executor, productId: number, version: number): Promise<boolean> {
    const result =
      await sql`update ${sql.raw(this.tables.products)} set deleted = true, version = ${version}, applied_at = now()
      where id = ${productId} and version < ${version}`.execute(db);
    return Number(result.numAffectedRows ?? 0) > 0;
  }

  async setKeywords(db: Executor, productId: number, keywords: string[], version: number): Promise<boolean> {
    const result = await sql`update ${sql.raw(this.tables.products)}
      set keywords = ${keywords}::text[], keywords_text = ${keywords.join(' ')}, keywords_version = ${version}
      where id = ${productId} and keywords_version < ${version}`.execute(db);
    return Number(result.numAffectedRows ?? 0) > 0;
  }

  upsertSkuDefinitions(db: Executor, rows: Array<Record<string, unknown>>): Promise<number[]> {
    return this.upsert(db, this.tables.skus, rows, {
      update: SKU_DEFINITION_COLUMNS,
      newerThan: 'product_version',
    });
  }

  /**
   * SKU stock where newer. A SKU known by its stock alone (its product event not applied yet) is
   * inserted removed, so no shopper sees an option without code, options or price and no inStock counts
   * it; `removed` is a definition column, so its definition brings it in.
   */
  upsertSkuStock(db: Executor, rows: Array<Record<string, unknown>>): Promise<number[]> {
    return this.upsert(
      db,
      this.tables.skus,
      rows.map((row) => ({ ...row, removed: true })),
      { update: SKU_STOCK_COLUMNS, newerThan: 'stock_version' },
    );
  }

  upsertCategories(db: Executor, rows: Array<Record<string, unknown>>): Promise<number[]> {
    return this.upsert(db, this.tables.categories, rows, {
      update: CATEGORY_COLUMNS.filter((c) => c !== 'id'),
      newerThan: 'version',
    });
  }

  async markCategoryDeleted(db: Executor, categoryId: number, version: number): Promise<boolean> {
    const ids = await this.upsert(
      db,
      this.tables.categories,
      [{ id: categoryId, deleted: true, displayed: false, version }],
      {
        update: ['deleted', 'displayed', 'version'],
        newerThan: 'version',
      },
    );
    return ids.length > 0;
  }

  /** Recomputes in_stock and sales_count of some products from their SKUs (as domain aggregates() does). */
  async refreshAggregates(db: Executor, productIds: number[]): Promise<void> {
    const { products, skus } = this.tables;
    if (productIds.length === 0) return;
    const which = sql`where p2.id = any(${productIds}::bigint[])`;
    await sql`update ${sql.raw(products)} p set
        in_stock = p.status = 'ACTIVE' and coalesce(a.in_stock, false),
        sales_count = coalesce(a.sold, 0)
      from (
        select p2.id, x.in_stock, x.sold from ${sql.raw(products)} p2
        left join lateral (
          select bool_or(not s.removed and s.admin_status <> 'INACTIVE' and s.stock > 0) as in_stock, sum(s.sold) as sold
          from ${sql.raw(skus)} s where s.product_id = p2.id
        ) x on true
        ${which}
      ) a
      where a.id = p.id`.execute(db);
  }

  /**
   * Recomputes the category names searched with some products (all of them when `productIds` is
   * undefined), locking the rows in id order first: one lock order with every other writer.
   */
  async refreshCategoryText(db: Executor, productIds?: number[]): Promise<void> {
    const { products, categories } = this.tables;
    const which = productIds ? sql`p2.id = any(${productIds}::bigint[])` : sql`true`;
    if (productIds?.length === 0) return;
    await sql`update ${sql.raw(products)} p set categories_text = x.names
      from (
        select p2.id, coalesce((${categoryNamesOf(sql`p2.category_ids`, categories)}), '') as names
        from ${sql.raw(products)} p2 where ${which} order by p2.id for update
      ) x
      where x.id = p.id and p.categories_text is distinct from x.names`.execute(db);
  }

  /** After a category changed: the products filed under it or below it. */
  async refreshCategoryTextUnder(db: Executor, categoryId: number): Promise<void> {
    const { products, categories } = this.tables;
    const { rows } = await sql<{ id: number }>`
      with recursive tree(id, level) as (
        select ${categoryId}::bigint, 1
        union all
        select c.id, t.level + 1 from ${sql.raw(categories)} c join tree t on c.parent_id = t.id where t.level < 3
      )
      select p.id from ${sql.raw(products)} p where p.category_ids && array(select id from tree)`.execute(db);
    await this.refreshCategoryText(
      db,
      rows.map((r) => Number(r.id)),
    );
  }

  /** Full-row inserts into fresh tables (a rebuild): no version guards needed. */
  insertProducts(db: Executor, rows: Array<Record<string, unknown>>): Promise<number[]> {
    return this.upsert(db, this.tables.products, rows, { update: [] });
  }

  insertSkus(db: Executor, rows: Array<Record<string, unknown>>): Promise<number[]> {
    return this.upsert(db, this.tables.skus, rows, { update: [] });
  }
}

/**
 * Brings into `next` everything `live` has that is newer, column group by column group: what events
 * applied while a rebuild was reading. Run with the live tables locked against writes. Returns the
 * products whose SKUs or fields changed (their aggregates need a refresh).
 */
export async function mergeNewer(db: Executor, live: LiveTables, next: LiveTables): Promise<number[]> {
  const touched = new Set<number>();
  const collect = (rows: Array<{ id: number | string }>) => {
    for (const r of rows) touched.add(Number(r.id));
  };
  const categoryColumns = CATEGORY_COLUMNS.join(', ');
  await sql`insert into ${sql.raw(next.categories)} (${sql.raw(categoryColumns)})
    select ${sql.raw(categoryColumns)} from ${sql.raw(live.categories)}
    on conflict (id) do update set ${sql.raw(
      CATEGORY_COLUMNS.filter((c) => c !== 'id')
        .map((c) => `${c} = excluded.${c}`)
        .join(', '),
    )}
    where ${sql.raw(next.categories)}.version < excluded.version`.execute(db);

  const productColumns = PRODUCT_COLUMNS.join(', ');
  const products = await sql<{
    id: number;
  }>`insert into ${sql.raw(next.products)} (${sql.raw(productColumns)})
    select ${sql.raw(productColumns)} from ${sql.raw(live.products)}
    on conflict (id) do update set ${sql.raw(PRODUCT_FIELD_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', '))}
    where ${sql.raw(next.products)}.version < excluded.version
    returning id`.execute(db);
  collect(products.rows);
  await sql`update ${sql.raw(next.products)} n
    set keywords = l.keywords, keywords_text = l.keywords_text, keywords_version = l.keywords_version
    from ${sql.raw(live.products)} l where l.id = n.id and l.keywords_version > n.keywords_version`.execute(
    db,
  );

  const skuColumns = SKU_COLUMNS.join(', ');
  const definitions = await sql<{ id: number }>`insert into ${sql.raw(next.skus)} (${sql.raw(skuColumns)})
    select ${sql.raw(skuColumns)} from ${sql.raw(live.skus)}
    on conflict (id) do update set ${sql.raw(SKU_DEFINITION_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', '))}
    where ${sql.raw(next.skus)}.product_version < excluded.product_version
    returning product_id as id`.execute(db);
  collect(definitions.rows);
  const stock = await sql<{ id: number }>`update ${sql.raw(next.skus)} n
    set ${sql.raw(SKU_STOCK_COLUMNS.map((c) => `${c} = l.${c}`).join(', '))}
    from ${sql.raw(live.skus)} l where l.id = n.id and l.stock_version > n.stock_version
    returning n.product_id as id`.execute(db);
  collect(stock.rows);
  return [...touched];
}
