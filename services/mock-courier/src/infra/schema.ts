import type { CourierStatus } from '@sagamart/contracts';
import type { CourierTrackingEvent } from '@sagamart/contracts/http/courier';
import { type Generated, type Kysely, type Migration, sql } from '@sagamart/kit';

export interface MockCourierDb {
  waybills: {
    tracking_number: string;
    /** The account that uploaded it; only that account may track or cancel it. */
    account_key: string;
    /** The sender's key of the parcel: an upload with the same one answers the same waybill. */
    reference: string;
    receiver_name: string;
    receiver_phone: string;
    zip_code: string;
    address: string;
    goods_name: string;
    quantity: number;
    pickup: boolean;
    status: CourierStatus;
    /** The events so far, in order (seq 0, 1, …). */
    events: CourierTrackingEvent[];
    /** This waybill's clock: one step every stepMs (0: moves only by test control). */
    step_ms: number;
    created_at: Generated<Date>;
  };
}

export const migrations: Record<string, Migration> = {
  '0001_mock_courier': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('waybills')
        .addColumn('tracking_number', 'text', (c) => c.primaryKey())
        .addColumn('account_key', 'text', (c) => c.notNull())
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('receiver_name', 'text', (c) => c.notNull())
        .addColumn('receiver_phone', 'text', (c) => c.notNull())
        .addColumn('zip_code', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('goods_name', 'text', (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('pickup', 'boolean', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('events', 'jsonb', (c) => c.notNull())
        .addColumn('step_ms', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createIndex('waybills_reference')
        .on('waybills')
        .columns(['account_key', 'reference'])
        .unique()
        .execute();
    },
  },
};
