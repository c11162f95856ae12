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
};
