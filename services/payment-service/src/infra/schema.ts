import type { OrderCancelReason, PaymentStatus } from '@sagamart/contracts';
import { type Generated, type Kysely, type Migration, sql } from '@sagamart/kit';
import type { KnownOrderStatus } from '../domain/known-order.ts';

export interface PaymentDb {
  /** What payment-service knows of each order, from order.placed and order.cancelled. */
  orders: {
    order_id: string;
    order_number: string;
    user_id: string;
    payable_amount: number;
    order_name: string;
    status: KnownOrderStatus;
    cancel_reason: OrderCancelReason | null;
    /** The highest order version applied. */
    version: number;
    updated_at: Generated<Date>;
  };
  payments: {
    id: Generated<string>;
    order_id: string;
    order_number: string;
    user_id: string;
    payment_key: string;
    /** The amount the confirm asked for. */
    amount: number;
    status: PaymentStatus;
    method: string | null;
    failure_code: string | null;
    failure_message: string | null;
    /** Set when the order was cancelled after (or while) this payment was approved. */
    refund_requested_at: Date | null;
    refund_reason: string | null;
    /** The last refund failure, while it is being retried. */
    refund_error: string | null;
    /** Grows with every status change (the version in payment events). */
    version: number;
    /** PG checks made by the reconciler (pending payments) or refund attempts. */
    attempts: Generated<number>;
    /** When the reconciler may look at it next (pending, or awaiting a refund). */
    next_check_at: Date | null;
    created_at: Generated<Date>;
    approved_at: Date | null;
    failed_at: Date | null;
    refunded_at: Date | null;
    updated_at: Generated<Date>;
    /** What the PG gave back so far (the full refund, or the sum of claim refunds). */
    refunded_amount: Generated<number>;
  };
  /** Partial refunds of completed returns: one per claim, retried until the PG has done it. */
  claim_refunds: {
    claim_id: string;
    payment_id: string;
    order_id: string;
    amount: number;
    reason: string;
    status: 'PENDING' | 'DONE';
    attempts: Generated<number>;
    next_check_at: Date | null;
    error: string | null;
    created_at: Generated<Date>;
    refunded_at: Date | null;
  };
}

export const migrations: Record<string, Migration> = {
  '0001_payment': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('orders')
        .addColumn('order_id', 'text', (c) => c.primaryKey())
        .addColumn('order_number', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'uuid', (c) => c.notNull())
        .addColumn('payable_amount', 'bigint', (c) => c.notNull())
        .addColumn('order_name', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('PLACED', 'CANCELLED')`))
        .addColumn('cancel_reason', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('payments')
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('order_id', 'text', (c) => c.notNull().references('orders.order_id'))
        .addColumn('order_number', 'text', (c) => c.notNull())
        .addColumn('user_id', 'uuid', (c) => c.notNull())
        .addColumn('payment_key', 'text', (c) => c.notNull().unique())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('PENDING', 'APPROVED', 'FAILED', 'REFUNDED')`),
        )
        .addColumn('method', 'text')
        .addColumn('failure_code', 'text')
        .addColumn('failure_message', 'text')
        .addColumn('refund_requested_at', 'timestamptz')
        .addColumn('refund_reason', 'text')
        .addColumn('refund_error', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_check_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('approved_at', 'timestamptz')
        .addColumn('failed_at', 'timestamptz')
        .addColumn('refunded_at', 'timestamptz')
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      // Never two live charges for one order, whatever the application does.
      await sql`create unique index payments_one_live_per_order on payments (order_id) where status in ('PENDING', 'APPROVED')`.execute(
        db,
      );
      await db.schema.createIndex('payments_order').on('payments').column('order_id').execute();
      await db.schema
        .createIndex('payments_due')
        .on('payments')
        .columns(['status', 'next_check_at'])
        .execute();
      await db.schema.createIndex('payments_created').on('payments').column('created_at').execute();
    },
  },
  '0002_claim_refunds': {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('payments')
        .addColumn('refunded_amount', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`update payments set refunded_amount = amount where status = 'REFUNDED'`.execute(db);
      await sql`alter table payments add constraint payments_refund_bounded check (refunded_amount between 0 and amount)`.execute(
        db,
      );
      await db.schema
        .createTable('claim_refunds')
        .addColumn('claim_id', 'text', (c) => c.primaryKey())
        .addColumn('payment_id', 'uuid', (c) => c.notNull().references('payments.id'))
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount > 0`))
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('PENDING', 'DONE')`))
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_check_at', 'timestamptz')
        .addColumn('error', 'text')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('refunded_at', 'timestamptz')
        .execute();
      await db.schema.createIndex('claim_refunds_payment').on('claim_refunds').column('payment_id').execute();
      await sql`create index claim_refunds_due on claim_refunds (next_check_at) where status = 'PENDING'`.execute(
        db,
      );
    },
  },
};
