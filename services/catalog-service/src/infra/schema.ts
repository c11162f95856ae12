import type { OptionGroup, ProductImageRef, ProductStatus, SkuStatus } from '@sagamart/contracts';
import { type Generated, type Kysely, type Migration, sql } from '@sagamart/kit';

/**
 * The read model. Every column group has its own version and is written only by its own events:
 * product fields (`version`), keywords (`keywords_version`), SKU definitions (`product_version`) and SKU
 * stock (`stock_version`). Rows may exist before their product does (a keyword or stock event can
 * arrive first): such placeholders have version 0 and are never visible (a SKU's is stored removed
 * until its definition arrives).
 */
export interface CatalogDb {
  catalog_categories: {
    id: number;
    parent_id: number | null;
    name: string;
    depth: number;
    display_order: number;
    displayed: boolean;
    deleted: boolean;
    version: number;
  };
  catalog_products: {
    id: number;
    code: string;
    name: string;
    description: string;
    description_text: string;
    base_price: number;
    sale_price: number;
    status: ProductStatus;
    displayed: boolean;
    deleted: boolean;
    /** Generated: displayed, not INACTIVE, not deleted, and known (version > 0). */
    visible: Generated<boolean>;
    category_ids: number[];
    option_groups: OptionGroup[];
    images: ProductImageRef[];
    created_at: Date | null;
    updated_at: Date | null;
    version: number;
    keywords: string[];
    keywords_text: string;
    keywords_version: number;
    /** The option values (colours, sizes) from the product's option groups, space-separated. */
    options_text: string;
    /**
     * Names of the product's categories and their ancestors (맨투맨 스웨트셔츠 상의), space-separated:
     * derived from the category rows here, refreshed when a product or a category changes.
     */
    categories_text: string;
    /** ACTIVE with at least one SKU on sale in stock; kept up to date with every SKU change. */
    in_stock: boolean;
    /** Units sold over all SKUs (popularity). */
    sales_count: number;
    search_vector: Generated<string>;
    /** Generated: lower-cased name, keywords, options, categories and description, trigram-indexed for matching. */
    search_text: Generated<string>;
    applied_at: Generated<Date>;
  };
  catalog_skus: {
    id: number;
    product_id: number;
    sku_code: string;
    options: Record<string, string>;
    price: number;
    /** The status product-service's admin set (INACTIVE stops sales; SOLD_OUT is derived from stock here). */
    admin_status: SkuStatus;
    removed: boolean;
    position: number;
    product_version: number;
    stock: number;
    reserved: number;
    sold: number;
    stock_version: number;
  };
  rebuild_runs: {
    id: string;
    state: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
    started_at: Generated<Date>;
    finished_at: Date | null;
    products: number;
    categories: number;
    error: string | null;
  };
}

export type LiveTables = { categories: string; products: string; skus: string };
export const LIVE: LiveTables = {
  categories: 'catalog_categories',
  products: 'catalog_products',
  skus: 'catalog_skus',
};
export const NEXT: LiveTables = {
  categories: 'catalog_categories_next',
  products: 'catalog_products_next',
  skus: 'catalog_skus_next',
};

/** Columns the events write (everything but the generated ones), in table order. */
export const PRODUCT_COLUMNS = [
  'id',
  'code',
  'name',
  'description',
  'description_text',
  'base_price',
  'sale_price',
  'status',
  'displayed',
  'deleted',
  'category_ids',
  'option_groups',
  'images',
  'created_at',
  'updated_at',
  'version',
  'keywords',
  'keywords_text',
  'keywords_version',
  'options_text',
  'categories_text',
  'in_stock',
  'sales_count',
  'applied_at',
] as const;
/** The product's own fields: what product events overwrite (keywords and aggregates excluded). */
export const PRODUCT_FIELD_COLUMNS = PRODUCT_COLUMNS.filter(
  (c) =>
    ![
      'id',
      'keywords',
      'keywords_text',
      'keywords_version',
      'categories_text',
      'in_stock',
      'sales_count',
    ].includes(c),
);
export const SKU_COLUMNS = [
  'id',
  'product_id',
  'sku_code',
  'options',
  'price',
  'admin_status',
  'removed',
  'position',
  'product_version',
  'stock',
  'reserved',
  'sold',
  'stock_version',
] as const;
export const SKU_DEFINITION_COLUMNS = [
  'product_id',
  'sku_code',
  'options',
  'price',
  'admin_status',
  'removed',
  'position',
  'product_version',
] as const;
export const SKU_STOCK_COLUMNS = ['stock', 'reserved', 'sold', 'stock_version'] as const;
export const CATEGORY_COLUMNS = [
  'id',
  'parent_id',
  'name',
  'depth',
  'display_order',
  'displayed',
  'deleted',
  'version',
] as const;

export const migrations: Record<string, Migration> = {
  '0001_catalog': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
    async up(db: Kysely<any>) {
      await sql`create extension if not exists pg_trgm`.execute(db);
      await db.schema
        .createTable('catalog_categories')
        .addColumn('id', 'bigint', (c) => c.primaryKey())
        .addColumn('parent_id', 'bigint')
        .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('depth', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('display_order', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('displayed', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('deleted', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex('catalog_categories_parent')
        .on('catalog_categories')
        .column('parent_id')
        .execute();

      // Two generated columns serve search. search_text (lower-cased name, keywords and description) with a
      // trigram index finds products containing a query word anywhere (맨투맨 inside 오버핏맨투맨): the
      // 'simple' text search configuration has no Korean dictionary (no stemming, no word splitting), so
      // trigrams give shoppers the substring matching they expect. search_vector weights the same text as
      // name (A), keywords (B) and description (C): full-text ranking (ts_rank), and prefix matching of
      // words too short for a trigram (청바 → 청바지).
      await sql`
        create table catalog_products (
          id bigint primary key,
          code text not null default '',
          name text not null default '',
          description text not null default '',
          description_text text not null default '',
          base_price bigint not null default 0,
          sale_price bigint not null default 0,
          status text not null default 'INACTIVE',
          displayed boolean not null default false,
          deleted boolean not null default false,
          visible boolean generated always as (displayed and status <> 'INACTIVE' and not deleted and version > 0) stored,
          category_ids bigint[] not null default '{}',
          option_groups jsonb not null default '[]',
          images jsonb not null default '[]',
          created_at timestamptz,
          updated_at timestamptz,
          version integer not null default 0,
          keywords text[] not null default '{}',
          keywords_text text not null default '',
          keywords_version integer not null default 0,
          in_stock boolean not null default false,
          sales_count bigint not null default 0,
          search_vector tsvector generated always as (
            setweight(to_tsvector('simple'::regconfig, name), 'A') ||
            setweight(to_tsvector('simple'::regconfig, keywords_text), 'B') ||
            setweight(to_tsvector('simple'::regconfig, description_text), 'C')
          ) stored,
          search_text text generated always as (lower(name || ' ' || keywords_text || ' ' || description_text)) stored,
          applied_at timestamptz not null default now()
        )`.execute(db);
      for (const statement of [
        // Matching: every query word must occur in search_text (trigram index, substrings included).
        sql`create index catalog_products_search_text on catalog_products using gin (search_text gin_trgm_ops)`,
        // Words shorter than a trigram match as word prefixes in the full-text vector.
        sql`create index catalog_products_search_vector on catalog_products using gin (search_vector)`,
        // Autocomplete: name prefixes and word prefixes.
        sql`create index catalog_products_name_lower on catalog_products using gin (lower(name) gin_trgm_ops)`,
        sql`create index catalog_products_categories on catalog_products using gin (category_ids)`,
        sql`create index catalog_products_latest on catalog_products (created_at desc, id desc) where visible`,
        sql`create index catalog_products_price on catalog_products (sale_price, id) where visible`,
        sql`create index catalog_products_popular on catalog_products (sales_count desc, id desc) where visible`,
      ]) {
        await statement.execute(db);
      }

      await sql`
        create table catalog_skus (
          id bigint primary key,
          product_id bigint not null,
          sku_code text not null default '',
          options jsonb not null default '{}',
          price bigint not null default 0,
          admin_status text not null default 'ACTIVE',
          removed boolean not null default false,
          position integer not null default 0,
          product_version integer not null default 0,
          stock integer not null default 0,
          reserved integer not null default 0,
          sold integer not null default 0,
          stock_version integer not null default 0
        )`.execute(db);
      await db.schema.createIndex('catalog_skus_product').on('catalog_skus').column('product_id').execute();

      await db.schema
        .createTable('rebuild_runs')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('finished_at', 'timestamptz')
        .addColumn('products', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('categories', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('error', 'text')
        .execute();
    },
  },
  '0002_search_options_and_categories': {
    // Shoppers type colours, sizes and category names next to product words ("맨투맨 블랙", "블랙 맨투맨",
    // "데님 팬츠 32"): both join the matched text (search_text) and the full-text vector (weight B, like
    // keywords), so every word of a query can be found in any of them, in any order.
    // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
    async up(db: Kysely<any>) {
      for (const statement of [
        sql`alter table catalog_products add column options_text text not null default '',
          add column categories_text text not null default ''`,
        sql`drop index catalog_products_search_text`,
        sql`drop index catalog_products_search_vector`,
        sql`alter table catalog_products drop column search_text, drop column search_vector`,
        sql`alter table catalog_products
          add column search_vector tsvector generated always as (
            setweight(to_tsvector('simple'::regconfig, name), 'A') ||
            setweight(to_tsvector('simple'::regconfig, keywords_text || ' ' || options_text || ' ' || categories_text), 'B') ||
            setweight(to_tsvector('simple'::regconfig, description_text), 'C')
          ) stored,
          add column search_text text generated always as (
            lower(name || ' ' || keywords_text || ' ' || options_text || ' ' || categories_text || ' ' || description_text)
          ) stored`,
        sql`create index catalog_products_search_text on catalog_products using gin (search_text gin_trgm_ops)`,
        sql`create index catalog_products_search_vector on catalog_products using gin (search_vector)`,
        // Products already held: their option values and category names, as the writer derives them.
        sql`update catalog_products set options_text = coalesce((
            select string_agg(v, ' ') from jsonb_array_elements(option_groups) g, jsonb_array_elements_text(g->'values') v
          ), '')`,
        sql`update catalog_products p set categories_text = coalesce((${categoryNamesOf(sql`p.category_ids`, 'catalog_categories')}), '')`,
      ]) {
        await statement.execute(db);
      }
    },
  },
  '0003_search_generation': {
    // Advanced after every change to the read model: cached search pages are served only while it
    // stands still (app/search-cache.ts). A sequence, so advancing it never waits on a lock.
    // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
    async up(db: Kysely<any>) {
      await sql`create sequence catalog_search_generation`.execute(db);
    },
  },
};

/**
 * The names of some categories and their ancestors, distinct, space-separated ('/' read as a space, so
 * 맨투맨/스웨트셔츠 gives two words); deleted categories left out. A scalar subquery.
 */
export function categoryNamesOf(categoryIds: ReturnType<typeof sql>, table: string) {
  const categories = sql.raw(table);
  return sql<string | null>`select string_agg(distinct translate(n, '/', ' '), ' ')
    from ${categories} c1
    left join ${categories} c2 on c2.id = c1.parent_id and not c2.deleted
    left join ${categories} c3 on c3.id = c2.parent_id and not c3.deleted
    cross join lateral unnest(array[c1.name, c2.name, c3.name]) n
    where c1.id = any(${categoryIds}) and not c1.deleted and n is not null`;
}
