import type { TestCard } from '@sagamart/contracts';
import { type Generated, type Kysely, type Migration, sql } from '@sagamart/kit';
import type { PgStatus } from '../domain/pg-payment.ts';

export interface MockPgDb {
  pg_payments: {
    payment_key: string;
    /** The merchant's order id (Toss `orderId`): our order number. */
    order_number: string;
    order_name: string;
    amount: number;
    /** The test card chosen on the checkout page: decides the confirm's outcome. */
    card: TestCard;
    status: PgStatus;
    failure_code: string | null;
    failure_message: string | null;
    requested_at: Generated<Date>;
    approved_at: Date | null;
    /** slow card: when the approval completes. */
    settles_at: Date | null;
    canceled_at: Date | null;
    cancel_reason: string | null;
    canceled_amount: number | null;
    /** How many confirm requests arrived (repeats included); the charge happens once. */
    confirm_requests: Generated<number>;
  };
  /** Each cancel (refund) of a payment; a partial cancel is keyed by the merchant's Idempotency-Key. */
  pg_cancels: {
    transaction_key: string;
    payment_key: string;
    idempotency_key: string | null;
    amount: number;
    reason: string;
    canceled_at: Generated<Date>;
  };
}

export const migrations: Record<string, Migration> = {
  '0001_mock_pg': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('pg_payments')
        .addColumn('payment_key', 'text', (c) => c.primaryKey())
        .addColumn('order_number', 'text', (c) => c.notNull())
        .addColumn('order_name', 'text', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('card', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('READY', 'IN_PROGRESS', 'DONE', 'ABORTED', 'CANCELED')`),
        )
        .addColumn('failure_code', 'text')
        .addColumn('failure_message', 'text')
        .addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('approved_at', 'timestamptz')
        .addColumn('settles_at', 'timestamptz')
        .addColumn('canceled_at', 'timestamptz')
        .addColumn('cancel_reason', 'text')
        .addColumn('canceled_amount', 'bigint')
        .addColumn('confirm_requests', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex('pg_payments_order')
        .on('pg_payments')
        .columns(['order_number', 'requested_at'])
        .execute();
    },
  },
  '0002_partial_cancels': {
    async up(db: Kysely<any>) {
      await sql`alter table pg_payments drop constraint if exists pg_payments_status_check`.execute(db);
      await sql`alter table pg_payments add constraint pg_payments_status_check
                check (status in ('READY', 'IN_PROGRESS', 'DONE', 'ABORTED', 'CANCELED', 'PARTIAL_CANCELED'))`.execute(
        db,
      );
      await db.schema
        .createTable('pg_cancels')
        .addColumn('transaction_key', 'text', (c) => c.primaryKey())
        .addColumn('payment_key', 'text', (c) => c.notNull().references('pg_payments.payment_key'))
        .addColumn('idempotency_key', 'text')
        .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount > 0`))
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('canceled_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await sql`create unique index pg_cancels_idempotency on pg_cancels (payment_key, idempotency_key) where idempotency_key is not null`.execute(
        db,
      );
      // Full cancels made before this table: one row each, so every cancel is listed the same way.
      await sql`insert into pg_cancels (transaction_key, payment_key, idempotency_key, amount, reason, canceled_at)
                select payment_key || '-cancel', payment_key, null, coalesce(canceled_amount, amount), coalesce(cancel_reason, ''), coalesce(canceled_at, now())
                from pg_payments where status = 'CANCELED'`.execute(db);
    },
  },
};
