import type { OrderCancelReason, PaymentStatus } from '@sagamart/contracts';
import { type Generated, type Kysely, type Migration, sql } from '@sagamart/kit';
import type { OrderStatus } from '../domain/order-status.ts';
import type { SagaLogAction, SagaLogStep, SagaPhase, StepName } from '../domain/saga.ts';
import type { TimelineEvent, TimelineFacts } from '../domain/timeline.ts';

/** Who asked to cancel a paid order, with what words, and when (ISO). */
export interface CancelRequest {
  reason: Extract<OrderCancelReason, 'USER_CANCELLED' | 'ADMIN_CANCELLED'>;
  note: string | null;
  at: string;
}

export interface OrderDb {
  orders: {
    /** The saga key and the key of every reservation (a UUID). */
    id: string;
    order_number: string;
    user_id: string;
    status: OrderStatus;
    cancel_reason: OrderCancelReason | null;
    /** The admin's own words for an ADMIN_CANCELLED order (shown to the shopper). */
    cancel_note: Generated<string | null>;
    /**
     * The last cancel asked of this order while PAID, recorded before shipping-service is asked to
     * stop the parcel: when that answer is lost, shipment.cancelled finishes the cancel as asked.
     */
    cancel_request: Generated<CancelRequest | null>;
    /** +1 per status change; carried by order events. */
    version: number;
    idempotency_key: string;
    /** SHA-256 of the placing request: the same key with another request is refused. */
    request_hash: string;
    subtotal: number;
    policy_discount: number;
    coupon_discount: number;
    discount_amount: number;
    coupon_id: number | null;
    points_used: number;
    payable_amount: number;
    /** [{policyId, name, amount}] from the quote. */
    policy_discounts: Array<{ policyId: number; name: string; amount: number }>;
    order_name: string;
    receiver_name: string;
    receiver_phone: string;
    zipcode: string;
    address: string;
    address_detail: string | null;
    delivery_memo: string | null;
    admin_memo: string | null;
    /** The approved payment the order was paid with. */
    payment_id: string | null;
    /** Read copy of shipping-service's state (issue 10). */
    tracking_number: Generated<string | null>;
    delivered_at: Generated<Date | null>;
    confirmed_at: Generated<Date | null>;
    /**
     * What the PG gave back so far for returns (a claim's payment.refunded: its refundedTotal); a
     * cancel's refund is its payment's REFUNDED row, which the reads add (app/order-reads.ts).
     */
    refunded_amount: Generated<number>;
    /**
     * Points given back so far by returns: each completed return's pointsRefund, once per return.
     * Not read: pods of the release before it did not keep it during a rolling deploy, so the reads add
     * the RETURN_COMPLETED entries' points instead (app/order-reads.ts). Still kept up for the release
     * that reads it (a rollback, ADR 0013); to be dropped once no such release runs.
     */
    refunded_points: Generated<number>;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
    placed_at: Date | null;
    paid_at: Date | null;
    cancelled_at: Date | null;
  };
  /** Buyers as user-service announced them (user.* events): the admin sees names and e-mails, not ids. */
  buyers: {
    user_id: string;
    email: string;
    name: string;
    version: number;
  };
  order_items: {
    id: Generated<number>;
    order_id: string;
    line_no: number;
    sku_id: number;
    product_id: number;
    product_name: string;
    sku_code: string;
    options: Record<string, string>;
    unit_price: number;
    quantity: number;
    line_total: number;
    thumbnail_url: string | null;
    /** "블랙 / L", kept as placed (jsonb does not keep the options' order). */
    option_label: string;
    /** The line's share of the order's discounts and points, fixed at placement (domain/line-shares.ts). */
    discount_share: number;
    points_share: number;
    payable_share: number;
  };
  sagas: {
    order_id: string;
    phase: SagaPhase;
    steps: StepName[];
    cursor: number;
    compensations: StepName[];
    /** +1 per saga change: a runner's result is written only if nothing changed meanwhile. */
    version: number;
    /** Failed attempts of the current action. */
    attempts: Generated<number>;
    last_error: string | null;
    next_attempt_at: Generated<Date>;
    /** When the saga entered its phase (stuck detection). */
    phase_since: Generated<Date>;
    lease_owner: string | null;
    lease_until: Date | null;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  /** The step log: every participant call's outcome. */
  saga_log: {
    id: Generated<number>;
    order_id: string;
    action: SagaLogAction;
    step: SagaLogStep;
    outcome: 'DONE' | 'REFUSED' | 'FAILED';
    attempt: number;
    detail: string | null;
    /** A payment entry's facts (amount, method, failure code); null on entries from before them. */
    facts: TimelineFacts | null;
    duration_ms: number | null;
    trace_id: string | null;
    at: Generated<Date>;
  };
  order_timeline: {
    id: Generated<number>;
    order_id: string;
    event: TimelineEvent;
    status: OrderStatus;
    note: string | null;
    /** What the entry reports, for the reader's language to word; null on entries from before them. */
    facts: TimelineFacts | null;
    at: Generated<Date>;
  };
  /** Shipments as shipping-service's events report them (latest version per shipment). */
  order_shipments: {
    shipment_id: string;
    order_id: string;
    kind: 'ORIGINAL' | 'EXCHANGE';
    status: string;
    tracking_number: string | null;
    version: number;
  };
  /** Returns and exchanges as shipping-service's events report them (latest version per claim). */
  order_claims: {
    claim_id: string;
    order_id: string;
    type: 'RETURN' | 'EXCHANGE';
    status: string;
    version: number;
    updated_at: Generated<Date>;
  };
  /** Payments as payment-service's events report them (latest version per payment). */
  order_payments: {
    payment_id: string;
    order_id: string;
    payment_key: string;
    status: Exclude<PaymentStatus, 'PENDING'>;
    amount: number;
    method: string | null;
    code: string | null;
    message: string | null;
    version: number;
    approved_at: Date | null;
    failed_at: Date | null;
    refunded_at: Date | null;
    updated_at: Generated<Date>;
  };
}

const now = sql`clock_timestamp()`;

export const migrations: Record<string, Migration> = {
  '0001_orders': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('orders')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('order_number', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'uuid', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('PENDING', 'PAYMENT_PENDING', 'PAID', 'CANCELLED')`),
        )
        .addColumn('cancel_reason', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('subtotal', 'bigint', (c) => c.notNull().check(sql`subtotal >= 0`))
        .addColumn('policy_discount', 'bigint', (c) => c.notNull())
        .addColumn('coupon_discount', 'bigint', (c) => c.notNull())
        .addColumn('discount_amount', 'bigint', (c) => c.notNull())
        .addColumn('coupon_id', 'bigint')
        .addColumn('points_used', 'bigint', (c) => c.notNull().check(sql`points_used >= 0`))
        .addColumn('payable_amount', 'bigint', (c) => c.notNull().check(sql`payable_amount >= 0`))
        .addColumn('policy_discounts', 'jsonb', (c) => c.notNull())
        .addColumn('order_name', 'text', (c) => c.notNull())
        .addColumn('receiver_name', 'text', (c) => c.notNull())
        .addColumn('receiver_phone', 'text', (c) => c.notNull())
        .addColumn('zipcode', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('address_detail', 'text')
        .addColumn('delivery_memo', 'text')
        .addColumn('admin_memo', 'text')
        .addColumn('payment_id', 'text')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
        .addColumn('placed_at', 'timestamptz')
        .addColumn('paid_at', 'timestamptz')
        .addColumn('cancelled_at', 'timestamptz')
        .addCheckConstraint(
          'orders_amounts',
          sql`subtotal - discount_amount - points_used = payable_amount and discount_amount = policy_discount + coupon_discount`,
        )
        .execute();
      // The same Idempotency-Key of the same user is the same order.
      await db.schema
        .createIndex('orders_idempotency')
        .on('orders')
        .columns(['user_id', 'idempotency_key'])
        .unique()
        .execute();
      await db.schema.createIndex('orders_user').on('orders').columns(['user_id', 'created_at']).execute();
      await db.schema.createIndex('orders_status').on('orders').columns(['status', 'created_at']).execute();
      await sql`create index orders_awaiting_payment on orders (placed_at) where status = 'PAYMENT_PENDING'`.execute(
        db,
      );

      await db.schema
        .createTable('order_items')
        .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
        .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
        .addColumn('line_no', 'integer', (c) => c.notNull())
        .addColumn('sku_id', 'bigint', (c) => c.notNull())
        .addColumn('product_id', 'bigint', (c) => c.notNull())
        .addColumn('product_name', 'text', (c) => c.notNull())
        .addColumn('sku_code', 'text', (c) => c.notNull())
        .addColumn('options', 'jsonb', (c) => c.notNull())
        .addColumn('unit_price', 'bigint', (c) => c.notNull().check(sql`unit_price >= 0`))
        .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
        .addColumn('line_total', 'bigint', (c) => c.notNull())
        .addColumn('thumbnail_url', 'text')
        .execute();
      await db.schema
        .createIndex('order_items_order')
        .on('order_items')
        .columns(['order_id', 'line_no'])
        .unique()
        .execute();

      await db.schema
        .createTable('sagas')
        .addColumn('order_id', 'text', (c) => c.primaryKey().references('orders.id'))
        .addColumn('phase', 'text', (c) =>
          c
            .notNull()
            .check(
              sql`phase in ('RESERVING', 'AWAITING_PAYMENT', 'COMMITTING', 'COMPENSATING', 'COMPLETED', 'COMPENSATED')`,
            ),
        )
        .addColumn('steps', 'jsonb', (c) => c.notNull())
        .addColumn('cursor', 'integer', (c) => c.notNull())
        .addColumn('compensations', 'jsonb', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
        .addColumn('phase_since', 'timestamptz', (c) => c.notNull().defaultTo(now))
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
        .execute();
      // What the recovery worker scans: transient sagas by due time.
      await sql`create index sagas_due on sagas (next_attempt_at) where phase in ('RESERVING', 'COMMITTING', 'COMPENSATING')`.execute(
        db,
      );

      await db.schema
        .createTable('saga_log')
        .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
        .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('step', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('detail', 'text')
        .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(now))
        .execute();
      await db.schema.createIndex('saga_log_order').on('saga_log').columns(['order_id', 'id']).execute();

      await db.schema
        .createTable('order_timeline')
        .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
        .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(now))
        .execute();
      await db.schema
        .createIndex('order_timeline_order')
        .on('order_timeline')
        .columns(['order_id', 'id'])
        .execute();

      await db.schema
        .createTable('order_payments')
        .addColumn('payment_id', 'text', (c) => c.primaryKey())
        .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
        .addColumn('payment_key', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('method', 'text')
        .addColumn('code', 'text')
        .addColumn('message', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('approved_at', 'timestamptz')
        .addColumn('failed_at', 'timestamptz')
        .addColumn('refunded_at', 'timestamptz')
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
        .execute();
      await db.schema.createIndex('order_payments_order').on('order_payments').column('order_id').execute();
    },
  },
  '0002_saga_log_retention': {
    async up(db: Kysely<unknown>) {
      // What retention scans: old step log rows (see app/saga-log-retention.ts).
      await db.schema.createIndex('saga_log_at').on('saga_log').column('at').execute();
    },
  },
  '0003_saga_log_timing': {
    async up(db: Kysely<unknown>) {
      // The admin's saga timeline: how long each call took, and the trace to open.
      await db.schema
        .alterTable('saga_log')
        .addColumn('duration_ms', 'integer')
        .addColumn('trace_id', 'text')
        .execute();
    },
  },
  '0003_line_shares': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('order_items')
        .addColumn('option_label', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('discount_share', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('points_share', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('payable_share', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      // Orders placed before shares existed: the same split (by amount, remainder on the last line).
      await sql`update order_items i set discount_share = case when o.subtotal = 0 then 0
                  else (o.discount_amount * i.line_total) / o.subtotal end
                from orders o where o.id = i.order_id`.execute(db);
      await sql`update order_items i set discount_share = o.discount_amount - coalesce((
                  select sum(x.discount_share) from order_items x where x.order_id = i.order_id and x.line_no <> i.line_no), 0)
                from orders o where o.id = i.order_id
                  and i.line_no = (select max(line_no) from order_items m where m.order_id = i.order_id)`.execute(
        db,
      );
      await sql`update order_items i set points_share = case when o.subtotal - o.discount_amount = 0 then 0
                  else (o.points_used * (i.line_total - i.discount_share)) / (o.subtotal - o.discount_amount) end
                from orders o where o.id = i.order_id`.execute(db);
      await sql`update order_items i set points_share = o.points_used - coalesce((
                  select sum(x.points_share) from order_items x where x.order_id = i.order_id and x.line_no <> i.line_no), 0)
                from orders o where o.id = i.order_id
                  and i.line_no = (select max(line_no) from order_items m where m.order_id = i.order_id)`.execute(
        db,
      );
      await sql`update order_items set payable_share = line_total - discount_share - points_share`.execute(
        db,
      );
    },
  },
  '0004_after_sale': {
    async up(db: Kysely<unknown>) {
      await sql`alter table orders drop constraint if exists orders_status_check`.execute(db);
      await sql`alter table orders add constraint orders_status_check check (status in
                ('PENDING', 'PAYMENT_PENDING', 'PAID', 'CANCELLED', 'SHIPPING', 'DELIVERED', 'RETURNED'))`.execute(
        db,
      );
      await db.schema
        .alterTable('orders')
        .addColumn('tracking_number', 'text')
        .addColumn('delivered_at', 'timestamptz')
        .addColumn('confirmed_at', 'timestamptz')
        .addColumn('refunded_amount', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('order_shipments')
        .addColumn('shipment_id', 'text', (c) => c.primaryKey())
        .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('tracking_number', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('order_shipments_order').on('order_shipments').column('order_id').execute();
      await db.schema
        .createTable('order_claims')
        .addColumn('claim_id', 'text', (c) => c.primaryKey())
        .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
        .execute();
      await db.schema.createIndex('order_claims_order').on('order_claims').column('order_id').execute();
    },
  },
  '0005_buyers_and_cancel_note': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('orders').addColumn('cancel_note', 'text').execute();
      await db.schema
        .createTable('buyers')
        .addColumn('user_id', 'uuid', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      // An admin looks a buyer up by (part of) an e-mail or a name.
      await sql`create extension if not exists pg_trgm`.execute(db);
      await sql`create index buyers_search on buyers using gin ((lower(email || ' ' || name)) gin_trgm_ops)`.execute(
        db,
      );
    },
  },
  '0006_cancel_request': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('orders').addColumn('cancel_request', 'jsonb').execute();
    },
  },
  '0007_timeline_facts': {
    async up(db: Kysely<unknown>) {
      // Facts instead of Korean sentences; rows written before keep their note.
      await db.schema.alterTable('order_timeline').addColumn('facts', 'jsonb').execute();
      await db.schema.alterTable('saga_log').addColumn('facts', 'jsonb').execute();
    },
  },
  '0008_refunded_points': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('orders')
        .addColumn('refunded_points', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      // Returns completed before the column: their timeline entries carry the points they gave back
      // (one entry per return; entries from before facts say it in their note only, and count as 0).
      await sql`update orders o set refunded_points = r.points
                from (select order_id, sum((facts->>'pointsRefund')::bigint) as points
                        from order_timeline
                       where event = 'RETURN_COMPLETED' and facts ? 'pointsRefund'
                       group by order_id) r
               where r.order_id = o.id and r.points > 0`.execute(db);
    },
  },
  '0009_orders_latest': {
    async up(db: Kysely<unknown>) {
      // The order lists' order, newest first and then by id (app/order-reads.ts): the admin's whole list
      // reads its page along it and stops there, instead of sorting every order at every page; a status
      // as common as DELIVERED, and a buyer search that many buyers match, are read along it too. A
      // shopper's list and a rarer status have theirs (orders_user, orders_status; docs/performance.md,
      // change 37). Not CONCURRENTLY: the kit applies a start's migrations in one transaction (Kysely's
      // migrator), where PostgreSQL refuses it. The build holds off writes to orders (placing, status
      // changes; reads go on) until it is done, once, at the release's first start: 0.6–1.3 s for
      // 200,000 orders on a loaded 2-core machine. An index is what ADR 0013 lets a release add: the
      // release before runs on it unchanged.
      await sql`create index orders_latest on orders (created_at desc, id)`.execute(db);
    },
  },
};
