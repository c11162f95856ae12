import type {
  ClaimType,
  OptionGroup,
  ProductStatus,
  SkuStatus,
  StockMovementType,
} from '@sagamart/contracts';
import { type Generated, type Kysely, type Migration, sql } from '@sagamart/kit';

export interface ProductDb {
  categories: {
    id: Generated<number>;
    parent_id: number | null;
    name: string;
    /** 1 for top level; at most 3. */
    depth: number;
    display_order: number;
    displayed: boolean;
    version: Generated<number>;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  products: {
    id: Generated<number>;
    code: string;
    name: string;
    /** Sanitized HTML. */
    description: string;
    description_text: string;
    base_price: number;
    sale_price: number;
    status: ProductStatus;
    displayed: boolean;
    option_groups: OptionGroup[];
    /** Grows by one with every change of the product's own fields (its events carry it). */
    version: number;
    /** Grows by one with every keyword change (keyword events carry it); 0 = never had keywords. */
    keywords_version: Generated<number>;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
    /** Soft delete: kept because stock movements of orders reference it. */
    deleted_at: Date | null;
  };
  product_categories: {
    product_id: number;
    category_id: number;
  };
  skus: {
    id: Generated<number>;
    product_id: number;
    sku_code: string;
    options: Record<string, string>;
    price: number;
    status: SkuStatus;
    /** Not in the product's option matrix any more: deactivated, never deleted (its id stays valid). */
    removed: boolean;
    position: number;
    /** Available to sell. */
    stock: number;
    /** Held by orders not yet paid. */
    reserved: number;
    sold: number;
    /** Sent back defective or damaged: not for sale until the admin releases or discards them. */
    held: Generated<number>;
    /** Grows by one with every stock movement of this SKU. */
    stock_version: number;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  stock_movements: {
    id: Generated<number>;
    sku_id: number;
    product_id: number;
    type: StockMovementType;
    /** Signed change of available stock. */
    quantity: number;
    /** Signed change of held units (HOLD +, RELEASE_HELD and DISCARD −, else 0): what `quantity` leaves out. */
    held_change: Generated<number>;
    stock_after: number;
    reserved_after: number;
    sold_after: number;
    held_after: Generated<number>;
    reason: string | null;
    order_id: string | null;
    /** Set when order_id is a return's or an exchange's claim id rather than an order's id. */
    claim_type: ClaimType | null;
    /** The order's number, when the event that caused the movement named it. */
    order_number: string | null;
    /** Who caused it: an admin's user id, or a service. */
    actor: string | null;
    created_at: Generated<Date>;
  };
  keywords: {
    id: Generated<number>;
    product_id: number;
    keyword: string;
    created_at: Generated<Date>;
  };
  images: {
    id: string;
    content_type: string;
    bytes: Buffer;
    size: number;
    product_id: number | null;
    position: number | null;
    /**
     * Set while the image is no product's own image: when it was uploaded or dropped, or last shown or
     * dropped by a description. The cleanup deletes it a grace period later unless still shown (Images.cleanup).
     */
    orphaned_at: Date | null;
    created_at: Generated<Date>;
  };
  /**
   * Every product that has shown an image, kept after the product drops it: past orders show the image
   * their product had, so an image of a product that has been ordered is never cleaned up.
   */
  image_products: {
    image_id: string;
    product_id: number;
  };
  /**
   * The uploaded images each product's description shows (soft-deleted products included), written with
   * every save: what keeps them from the image cleanup, found by index instead of by matching every
   * description at cleanup time.
   */
  description_images: {
    product_id: number;
    image_id: string;
  };
  seed_runs: {
    name: string;
    done_at: Generated<Date>;
  };
  /** Orders released before (or without) any reservation: a late reserve for them takes nothing. */
  stock_reservation_tombstones: {
    order_id: string;
    created_at: Generated<Date>;
  };
}

export const migrations: Record<string, Migration> = {
  '0001_products': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('categories')
        .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
        .addColumn('parent_id', 'bigint', (c) => c.references('categories.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('depth', 'smallint', (c) => c.notNull().check(sql`depth between 1 and 3`))
        .addColumn('display_order', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('displayed', 'boolean', (c) => c.notNull().defaultTo(true))
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      // Sibling names are unique (also what makes the seed idempotent).
      await sql`create unique index categories_sibling_name on categories (coalesce(parent_id, 0), lower(name))`.execute(
        db,
      );

      await db.schema
        .createTable('products')
        .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('description_text', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('base_price', 'bigint', (c) => c.notNull().check(sql`base_price >= 0`))
        .addColumn('sale_price', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('ACTIVE', 'INACTIVE', 'SOLD_OUT')`),
        )
        .addColumn('displayed', 'boolean', (c) => c.notNull())
        .addColumn('option_groups', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('keywords_version', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('deleted_at', 'timestamptz')
        .addCheckConstraint('products_sale_price', sql`sale_price >= 0 and sale_price <= base_price`)
        .execute();
      await db.schema.createIndex('products_created').on('products').column('created_at').execute();

      await db.schema
        .createTable('product_categories')
        .addColumn('product_id', 'bigint', (c) => c.notNull().references('products.id').onDelete('cascade'))
        .addColumn('category_id', 'bigint', (c) => c.notNull().references('categories.id'))
        .addPrimaryKeyConstraint('product_categories_pk', ['product_id', 'category_id'])
        .execute();
      await db.schema
        .createIndex('product_categories_category')
        .on('product_categories')
        .column('category_id')
        .execute();

      await db.schema
        .createTable('skus')
        .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
        .addColumn('product_id', 'bigint', (c) => c.notNull().references('products.id').onDelete('cascade'))
        .addColumn('sku_code', 'text', (c) => c.notNull().unique())
        .addColumn('options', 'jsonb', (c) => c.notNull())
        .addColumn('price', 'bigint', (c) => c.notNull().check(sql`price >= 0`))
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('ACTIVE', 'INACTIVE', 'SOLD_OUT')`),
        )
        .addColumn('removed', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('stock', 'integer', (c) => c.notNull().check(sql`stock >= 0`))
        .addColumn('reserved', 'integer', (c) => c.notNull().defaultTo(0).check(sql`reserved >= 0`))
        .addColumn('sold', 'integer', (c) => c.notNull().defaultTo(0).check(sql`sold >= 0`))
        .addColumn('stock_version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.createIndex('skus_product').on('skus').column('product_id').execute();

      await db.schema
        .createTable('stock_movements')
        .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
        .addColumn('sku_id', 'bigint', (c) => c.notNull().references('skus.id').onDelete('cascade'))
        .addColumn('product_id', 'bigint', (c) => c.notNull())
        .addColumn('type', 'text', (c) =>
          c.notNull().check(sql`type in ('INITIAL', 'ADJUST', 'RESERVE', 'RELEASE', 'SELL', 'RESTOCK')`),
        )
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('stock_after', 'integer', (c) => c.notNull())
        .addColumn('reserved_after', 'integer', (c) => c.notNull())
        .addColumn('sold_after', 'integer', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('order_id', 'text')
        .addColumn('actor', 'text')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createIndex('stock_movements_product')
        .on('stock_movements')
        .columns(['product_id', 'id'])
        .execute();
      await db.schema
        .createIndex('stock_movements_sku')
        .on('stock_movements')
        .columns(['sku_id', 'id'])
        .execute();
      // One movement of each kind per (order, SKU): what makes reserve/release/sell idempotent by order id.
      await sql`create unique index stock_movements_order on stock_movements (order_id, sku_id, type) where order_id is not null`.execute(
        db,
      );

      await db.schema
        .createTable('keywords')
        .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
        .addColumn('product_id', 'bigint', (c) => c.notNull().references('products.id').onDelete('cascade'))
        .addColumn('keyword', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await sql`create unique index keywords_product_keyword on keywords (product_id, lower(keyword))`.execute(
        db,
      );

      await db.schema
        .createTable('images')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('bytes', 'bytea', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('product_id', 'bigint', (c) => c.references('products.id').onDelete('set null'))
        .addColumn('position', 'integer')
        .addColumn('orphaned_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.createIndex('images_product').on('images').column('product_id').execute();
      await sql`create index images_orphaned on images (orphaned_at) where orphaned_at is not null`.execute(
        db,
      );

      await db.schema
        .createTable('seed_runs')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('done_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
    },
  },
  '0002_stock_reservation_tombstones': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('stock_reservation_tombstones')
        .addColumn('order_id', 'text', (c) => c.primaryKey())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
    },
  },
  '0003_return_movements': {
    async up(db: Kysely<any>) {
      // RETURN (issue 10): returned or exchanged units back on sale, keyed by the claim id.
      await sql`alter table stock_movements drop constraint if exists stock_movements_type_check`.execute(db);
      await sql`alter table stock_movements add constraint stock_movements_type_check
                check (type in ('INITIAL', 'ADJUST', 'RESERVE', 'RELEASE', 'SELL', 'RESTOCK', 'RETURN'))`.execute(
        db,
      );
    },
  },
  '0004_initial_movements_unworded': {
    async up(db: Kysely<unknown>) {
      // The history's reason is what an admin wrote; the service's own English ones read as data.
      await sql`update stock_movements set reason = null
                where type = 'INITIAL' and reason in ('SKU created', 'bulk load')`.execute(db);
    },
  },
  '0005_movement_claims': {
    async up(db: Kysely<unknown>) {
      // What a movement keyed by a claim is for, and the order's number the admin knows, instead of
      // a claim id shown as an order and the service's own words ('return', 'exchange') as the reason.
      await sql`alter table stock_movements
                add column claim_type text check (claim_type in ('RETURN', 'EXCHANGE')),
                add column order_number text`.execute(db);
      await sql`update stock_movements set claim_type = upper(reason), reason = null
                where type = 'RETURN' and reason in ('return', 'exchange')`.execute(db);
    },
  },
  '0006_image_products': {
    async up(db: Kysely<unknown>) {
      // Which products have shown an image (a dropped image's orders may still show it). Images already
      // dropped before this migration have no known product; they keep the old rule.
      await sql`create table image_products (
                  image_id uuid not null references images (id) on delete cascade,
                  product_id bigint not null references products (id) on delete cascade,
                  primary key (image_id, product_id))`.execute(db);
      await sql`create index image_products_product on image_products (product_id)`.execute(db);
      await sql`insert into image_products (image_id, product_id)
                select id, product_id from images where product_id is not null`.execute(db);
    },
  },
  '0007_held_stock': {
    async up(db: Kysely<unknown>) {
      // Units sent back defective or damaged are held, not put on sale (HOLD), until the admin
      // inspects them: back on sale (RELEASE_HELD) or written off (DISCARD). Nothing was held before.
      await sql`alter table skus add column held integer not null default 0 check (held >= 0)`.execute(db);
      await sql`alter table stock_movements add column held_after integer not null default 0`.execute(db);
      await sql`alter table stock_movements drop constraint if exists stock_movements_type_check`.execute(db);
      await sql`alter table stock_movements add constraint stock_movements_type_check
                check (type in ('INITIAL', 'ADJUST', 'RESERVE', 'RELEASE', 'SELL', 'RESTOCK', 'RETURN',
                                'HOLD', 'RELEASE_HELD', 'DISCARD'))`.execute(db);
    },
  },
  '0008_description_images': {
    async up(db: Kysely<unknown>) {
      // Which uploaded images each description shows, from the descriptions as they are (the pattern
      // is UPLOADED_IMAGE_REFERENCE's as of this migration; ids lower-case; only images that exist).
      await sql`create table description_images (
                  product_id bigint not null references products (id) on delete cascade,
                  image_id uuid not null references images (id) on delete cascade,
                  primary key (image_id, product_id))`.execute(db);
      await sql`create index description_images_product on description_images (product_id)`.execute(db);
      await sql`insert into description_images (product_id, image_id)
                select distinct p.id, i.id
                from products p
                cross join lateral regexp_matches(p.description,
                  '/api/products/images/([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})',
                  'g') m
                join images i on i.id = lower(m[1])::uuid`.execute(db);
    },
  },
  '0009_movement_held_change': {
    async up(db: Kysely<unknown>) {
      // HOLD and DISCARD change no available stock (`quantity` 0): the held units each moved are kept
      // beside it. Rows written before get theirs from the SKU's held count before and after them.
      await sql`alter table stock_movements add column held_change integer not null default 0`.execute(db);
      await sql`update stock_movements m set held_change = d.change
                from (select id, type,
                             held_after - coalesce(lag(held_after) over (partition by sku_id order by id), 0) as change
                      from stock_movements
                      where sku_id in (select sku_id from stock_movements
                                       where type in ('HOLD', 'RELEASE_HELD', 'DISCARD'))) d
                where m.id = d.id and d.type in ('HOLD', 'RELEASE_HELD', 'DISCARD')`.execute(db);
    },
  },
};
