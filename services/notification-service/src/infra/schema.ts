import type { NotificationFacts, NotificationKind } from '@sagamart/contracts';
import { type ColumnType, type Generated, type Kysely, type Migration, sql } from '@sagamart/kit';

export interface NotificationDb {
  notifications: {
    id: Generated<string>;
    user_id: string;
    /** Per user, from 1, no gaps (allocated under the user's row in user_sequences). */
    seq: number;
    kind: NotificationKind;
    title: string;
    body: string;
    /** jsonb, written as its JSON text; null on rows recorded before it was kept (migration 0004). */
    facts: ColumnType<NotificationFacts | null, string | null, never>;
    link: string;
    order_id: string | null;
    order_number: string | null;
    /** One notification per user and key: the events describing one change share it. */
    dedupe_key: string;
    /** The message id of the event that made it. */
    source_event_id: string;
    read_at: Date | null;
    created_at: Generated<Date>;
  };
  user_sequences: {
    user_id: string;
    last_seq: number;
    /** Seqs up to this one were pruned: a resume from before it is a reset. */
    floor_seq: Generated<number>;
  };
  /** The newest version of each order, claim and shipment whose notifying events were handled: an older step tells nothing. */
  newest_versions: {
    aggregate: 'order' | 'claim' | 'shipment';
    aggregate_id: string;
    /** 0 for a whole (a claim, an order) only its parts' steps (its parcels') have been handled of (migration 0007). */
    version: number;
    /** A step that leaves it final was handled: no step of its parts is news any more (migration 0007). */
    ended: Generated<boolean>;
    /** When a step of it (or of its parts) was last handled; retention deletes rows untouched for long (0007). */
    advanced_at: Generated<Date>;
  };
  /** Users as user-service announced them (role and status), to address admin copies. */
  known_users: {
    user_id: string;
    version: number;
    is_admin: boolean;
    updated_at: Generated<Date>;
  };
  /** The dashboard's orders: one row per order, its status only ever moving forward (see dashboard.ts). */
  dashboard_orders: {
    order_id: string;
    order_number: string;
    status: string;
    status_rank: number;
    /** What the shopper pays (order.placed / order.paid). */
    amount: number;
    placed_at: Date | null;
    paid_at: Date | null;
  };
  /** The lines of paid orders (order.paid), for the best sellers. */
  dashboard_order_lines: {
    order_id: string;
    order_item_id: number;
    product_id: number;
    product_name: string;
    quantity: number;
    amount: number;
  };
  /** Returns and exchanges (shipping-service's claim events), version-guarded per claim. */
  dashboard_claims: {
    claim_id: string;
    kind: 'RETURN' | 'EXCHANGE';
    order_id: string;
    order_number: string;
    status: string;
    open: boolean;
    version: number;
    requested_at: Date | null;
  };
  /** SKUs with their stock (product snapshots and stock.changed), for the low-stock list. */
  dashboard_skus: {
    sku_id: number;
    product_id: number;
    product_name: Generated<string>;
    sku_code: string;
    option_label: Generated<string>;
    /** On sale: the SKU and its product are active, displayed and not removed or deleted. */
    on_sale: Generated<boolean>;
    product_version: Generated<number>;
    stock: number;
    stock_version: number;
    /**
     * When the stock held was current: the movement's time (stock.changed) or the snapshot's
     * (product events); null on rows written before it was kept (migration 0006).
     */
    stock_changed_at: Date | null;
  };
  /** chat-service's conversations (WAITING, OPEN, RESOLVED), version-guarded per conversation. */
  dashboard_chats: {
    conversation_id: string;
    status: string;
    version: number;
  };
}

export const migrations: Record<string, Migration> = {
  '0001_notifications': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('notifications')
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('user_id', 'uuid', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('link', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text')
        .addColumn('order_number', 'text')
        .addColumn('dedupe_key', 'text', (c) => c.notNull())
        .addColumn('source_event_id', 'text', (c) => c.notNull())
        .addColumn('read_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addUniqueConstraint('notifications_user_seq', ['user_id', 'seq'])
        .addUniqueConstraint('notifications_user_dedupe', ['user_id', 'dedupe_key'])
        .execute();
      await sql`create index notifications_unread on notifications (user_id) where read_at is null`.execute(
        db,
      );
      await db.schema
        .createTable('user_sequences')
        .addColumn('user_id', 'uuid', (c) => c.primaryKey())
        .addColumn('last_seq', 'bigint', (c) => c.notNull())
        .addColumn('floor_seq', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('known_users')
        .addColumn('user_id', 'uuid', (c) => c.primaryKey())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('is_admin', 'boolean', (c) => c.notNull())
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await sql`create index known_users_admins on known_users (user_id) where is_admin`.execute(db);
    },
  },
  '0002_dashboard': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('dashboard_orders')
        .addColumn('order_id', 'text', (c) => c.primaryKey())
        .addColumn('order_number', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_rank', 'integer', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('placed_at', 'timestamptz')
        .addColumn('paid_at', 'timestamptz')
        .execute();
      await sql`create index dashboard_orders_paid on dashboard_orders (paid_at) where paid_at is not null`.execute(
        db,
      );
      await db.schema
        .createTable('dashboard_order_lines')
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('order_item_id', 'bigint', (c) => c.notNull())
        .addColumn('product_id', 'bigint', (c) => c.notNull())
        .addColumn('product_name', 'text', (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('dashboard_order_lines_pk', ['order_id', 'order_item_id'])
        .execute();
      await db.schema
        .createTable('dashboard_claims')
        .addColumn('claim_id', 'uuid', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('order_number', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('open', 'boolean', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('requested_at', 'timestamptz')
        .execute();
      await sql`create index dashboard_claims_open on dashboard_claims (requested_at desc) where open`.execute(
        db,
      );
      await db.schema
        .createTable('dashboard_skus')
        .addColumn('sku_id', 'bigint', (c) => c.primaryKey())
        .addColumn('product_id', 'bigint', (c) => c.notNull())
        .addColumn('product_name', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('sku_code', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('option_label', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('on_sale', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('product_version', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('stock', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('stock_version', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`create index dashboard_skus_low on dashboard_skus (stock, sku_id) where on_sale`.execute(db);
    },
  },
  '0003_dashboard_chats': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('dashboard_chats')
        .addColumn('conversation_id', 'uuid', (c) => c.primaryKey())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await sql`create index dashboard_chats_open on dashboard_chats (status) where status <> 'RESOLVED'`.execute(
        db,
      );
    },
  },
  '0004_notification_facts': {
    async up(db: Kysely<unknown>) {
      // What the words are made of, for a client in another language (contracts' NotificationFacts).
      await sql`alter table notifications add column facts jsonb`.execute(db);
    },
  },
  '0005_newest_versions': {
    async up(db: Kysely<unknown>) {
      // Events come out of order: a step older than one already handled of its claim or shipment is not told.
      await db.schema
        .createTable('newest_versions')
        .addColumn('aggregate', 'text', (c) => c.notNull())
        .addColumn('aggregate_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('newest_versions_pk', ['aggregate', 'aggregate_id'])
        .execute();
    },
  },
  '0006_dashboard_stock_changed_at': {
    async up(db: Kysely<unknown>) {
      // The low-stock list puts what ran out most recently first, not the oldest ids.
      await sql`alter table dashboard_skus add column stock_changed_at timestamptz`.execute(db);
    },
  },
  '0007_newest_versions_ended_and_retention': {
    async up(db: Kysely<unknown>) {
      // An exchange's parcel counts versions of its own: once its claim ended, none of its steps is news.
      await sql`alter table newest_versions add column ended boolean not null default false`.execute(db);
      // Rows untouched for longer than the retention window are pruned (the table grew with every order).
      await sql`alter table newest_versions add column advanced_at timestamptz not null default now()`.execute(
        db,
      );
      await sql`create index newest_versions_advanced on newest_versions (advanced_at)`.execute(db);
    },
  },
};
