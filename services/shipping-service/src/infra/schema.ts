import type {
  ClaimReason,
  ClaimStatus,
  ClaimType,
  CourierStatus,
  ShipmentCourierStatus,
  ShipmentStatus,
} from '@sagamart/contracts';
import { type Generated, type Kysely, type Migration, sql } from '@sagamart/kit';
import type { ShipmentRole } from '../domain/shipment-rules.ts';

export interface Receiver {
  name: string;
  phone: string;
  zipCode: string;
  address: string;
  addressDetail: string | null;
}

export interface ShippingDb {
  /** What shipping-service knows of each paid order (from order.paid), and its after-sale state. */
  orders: {
    order_id: string;
    order_number: string;
    user_id: string;
    payable_amount: number;
    points_used: number;
    coupon_id: number | null;
    receiver: Receiver;
    goods_name: string;
    paid_at: Date;
    /** When the ORIGINAL shipment was delivered: the return window and auto-confirmation count from it. */
    delivered_at: Date | null;
    confirmed_at: Date | null;
    auto_confirmed: boolean;
    points_awarded: number | null;
    /** Refunded through the PG by completed returns. */
    refunded_amount: Generated<number>;
    created_at: Generated<Date>;
  };
  order_lines: {
    order_item_id: number;
    order_id: string;
    line_no: number;
    sku_id: number;
    product_id: number;
    product_name: string;
    option_label: string;
    quantity: number;
    unit_price: number;
    line_amount: number;
    discount_share: number;
    points_share: number;
    payable_share: number;
    /** Units returned by completed returns, and what they refunded. */
    returned_quantity: Generated<number>;
    refunded_amount: Generated<number>;
    points_refunded: Generated<number>;
    /** Units exchanged (approved exchanges): not claimable again. */
    exchanged_quantity: Generated<number>;
  };
  /** Orders cancelled before their order.paid arrived here: that order.paid creates no shipment. */
  cancelled_orders: {
    order_id: string;
    cancelled_at: Generated<Date>;
  };
  shipments: {
    id: Generated<string>;
    order_id: string;
    role: ShipmentRole;
    claim_id: string | null;
    status: ShipmentStatus;
    courier_status: ShipmentCourierStatus;
    courier_code: string | null;
    tracking_number: string | null;
    goods_name: string;
    quantity: number;
    receiver: Receiver;
    /**
     * Which waybill of this shipment the courier is asked for: its upload is keyed by the shipment and
     * this number, so a waybill the courier cancelled by itself is replaced by a new one, not answered again.
     */
    waybill_attempt: Generated<number>;
    /**
     * Which reservation of an exchange's new options this parcel sells (EXCHANGE only): the claim id's
     * (made at approval) while 1, else one made again under the claim id and this number after
     * product-service refused to sell the previous one (waybills.ts, stockKey).
     */
    stock_attempt: Generated<number>;
    /** Grows with every change announced in an event (shipment.* version). */
    version: Generated<number>;
    /**
     * When the dispatcher may issue its waybill (autoDispatch), or send again an upload that went out
     * (upload_sent_at, an admin's too) and had no courier word on it by then; null when it waits for
     * an admin.
     */
    dispatch_due_at: Date | null;
    /**
     * Since when an upload of this parcel under its current key has gone out with no courier word on
     * it recorded (a waybill, or this item refused): the courier may hold a live waybill nobody tracks
     * (its answer was lost). A cancel stops that waybill at the courier first (waybills.ts).
     */
    upload_sent_at: Date | null;
    /**
     * The courier refused this parcel for good (a 4xx, e.g. an address it does not take): its code and
     * message, and when. The dispatcher leaves such a shipment (dispatch_due_at null) until an admin
     * issues it again; a waybill clears them.
     */
    dispatch_error_code: string | null;
    dispatch_error: string | null;
    dispatch_failed_at: Date | null;
    /** When the poller looks next (also its lease: a claimed row is pushed out by the lease). */
    next_poll_at: Date | null;
    /**
     * The courier said it does not know this waybill (NOT_FOUND_WAYBILL): its code and message, and
     * since when. The poller asks again only every refusedRecheckMs; a poll that succeeds, the admin's
     * resume or a new waybill clears them.
     */
    tracking_error_code: string | null;
    tracking_error: string | null;
    tracking_failed_at: Date | null;
    /** Failed polls in a row (backoff). */
    poll_failures: Generated<number>;
    last_poll_error: string | null;
    created_at: Generated<Date>;
    dispatched_at: Date | null;
    picked_up_at: Date | null;
    delivered_at: Date | null;
    cancelled_at: Date | null;
  };
  /** Each courier event of a shipment, once (its seq in the courier's list is the key). */
  tracking_events: {
    shipment_id: string;
    seq: number;
    status: CourierStatus;
    location: string;
    remark: string;
    at: Date;
    recorded_at: Generated<Date>;
  };
  claims: {
    id: Generated<string>;
    order_id: string;
    user_id: string;
    type: ClaimType;
    status: ClaimStatus;
    reason: ClaimReason;
    detail: string | null;
    fee_amount: number;
    refund_amount: number;
    points_refund: number;
    whole_order: Generated<boolean>;
    restore_coupon: Generated<boolean>;
    reject_reason: string | null;
    /**
     * The pickup bookings asked of the courier: each is keyed by the claim and this number, so a
     * retry answers the same waybill and a booking after a cancelled pickup gets a new one.
     */
    pickup_attempt: Generated<number>;
    /**
     * A pickup booking was sent and is not recorded as a shipment: the courier may hold a live
     * waybill nobody tracks (its answer was lost). A reject cancels it first.
     */
    pickup_booking: Generated<boolean>;
    /**
     * When an approval last took up the open booking: staleMs later nobody is working on it any more,
     * and the pickup sweep withdraws it (pickup-sweep.ts).
     */
    pickup_booked_at: Generated<Date>;
    /** The sweep's lease on the open booking it is withdrawing; an approval waits for it to end. */
    pickup_withdrawing_until: Date | null;
    /**
     * The courier is already collecting the open booking's parcel, so it cannot be withdrawn: its
     * waybill, the courier's status and when this was seen, for the admin (approving adopts it).
     */
    pickup_under_way_tracking_number: string | null;
    pickup_under_way_courier_status: string | null;
    pickup_under_way_at: Date | null;
    /** When the courier last cancelled this claim's pickup (the claim went back to REQUESTED). */
    pickup_cancelled_at: Date | null;
    version: Generated<number>;
    created_at: Generated<Date>;
    approved_at: Date | null;
    rejected_at: Date | null;
    collected_at: Date | null;
    completed_at: Date | null;
  };
  claim_items: {
    claim_id: string;
    order_item_id: number;
    sku_id: number;
    new_sku_id: number | null;
    quantity: number;
    refund_amount: number;
    points_refund: number;
  };
}

const OPEN = sql`status in ('REQUESTED', 'APPROVED', 'COLLECTING', 'RESHIPPING')`;

export const migrations: Record<string, Migration> = {
  '0001_shipping': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('orders')
        .addColumn('order_id', 'text', (c) => c.primaryKey())
        .addColumn('order_number', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'uuid', (c) => c.notNull())
        .addColumn('payable_amount', 'bigint', (c) => c.notNull())
        .addColumn('points_used', 'bigint', (c) => c.notNull())
        .addColumn('coupon_id', 'integer')
        .addColumn('receiver', 'jsonb', (c) => c.notNull())
        .addColumn('goods_name', 'text', (c) => c.notNull())
        .addColumn('paid_at', 'timestamptz', (c) => c.notNull())
        .addColumn('delivered_at', 'timestamptz')
        .addColumn('confirmed_at', 'timestamptz')
        .addColumn('auto_confirmed', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('points_awarded', 'bigint')
        .addColumn('refunded_amount', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.createIndex('orders_user').on('orders').columns(['user_id', 'created_at']).execute();
      await sql`create index orders_awaiting_confirmation on orders (delivered_at) where confirmed_at is null and delivered_at is not null`.execute(
        db,
      );
      await db.schema
        .createTable('order_lines')
        .addColumn('order_item_id', 'bigint', (c) => c.primaryKey())
        .addColumn('order_id', 'text', (c) => c.notNull().references('orders.order_id'))
        .addColumn('line_no', 'integer', (c) => c.notNull())
        .addColumn('sku_id', 'bigint', (c) => c.notNull())
        .addColumn('product_id', 'bigint', (c) => c.notNull())
        .addColumn('product_name', 'text', (c) => c.notNull())
        .addColumn('option_label', 'text', (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('unit_price', 'bigint', (c) => c.notNull())
        .addColumn('line_amount', 'bigint', (c) => c.notNull())
        .addColumn('discount_share', 'bigint', (c) => c.notNull())
        .addColumn('points_share', 'bigint', (c) => c.notNull())
        .addColumn('payable_share', 'bigint', (c) => c.notNull())
        .addColumn('returned_quantity', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('refunded_amount', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('points_refunded', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('exchanged_quantity', 'integer', (c) => c.notNull().defaultTo(0))
        .addCheckConstraint('order_lines_units', sql`returned_quantity + exchanged_quantity <= quantity`)
        .addCheckConstraint(
          'order_lines_refunds',
          sql`refunded_amount <= payable_share and points_refunded <= points_share`,
        )
        .execute();
      await db.schema
        .createIndex('order_lines_order')
        .on('order_lines')
        .columns(['order_id', 'line_no'])
        .execute();
      await db.schema
        .createTable('cancelled_orders')
        .addColumn('order_id', 'text', (c) => c.primaryKey())
        .addColumn('cancelled_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();

      await db.schema
        .createTable('shipments')
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('order_id', 'text', (c) => c.notNull().references('orders.order_id'))
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('ORIGINAL', 'EXCHANGE', 'PICKUP')`))
        .addColumn('claim_id', 'uuid')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('courier_status', 'text', (c) => c.notNull())
        .addColumn('courier_code', 'text')
        .addColumn('tracking_number', 'text', (c) => c.unique())
        .addColumn('goods_name', 'text', (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('receiver', 'jsonb', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('dispatch_due_at', 'timestamptz')
        .addColumn('next_poll_at', 'timestamptz')
        .addColumn('poll_failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_poll_error', 'text')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('dispatched_at', 'timestamptz')
        .addColumn('picked_up_at', 'timestamptz')
        .addColumn('delivered_at', 'timestamptz')
        .addColumn('cancelled_at', 'timestamptz')
        .execute();
      // One parcel per order, one per claim and role, whatever the application does.
      await sql`create unique index shipments_one_original on shipments (order_id) where role = 'ORIGINAL'`.execute(
        db,
      );
      await sql`create unique index shipments_one_per_claim on shipments (claim_id, role) where claim_id is not null`.execute(
        db,
      );
      await sql`create index shipments_to_dispatch on shipments (dispatch_due_at) where courier_status = 'NOT_SENT' and status = 'READY'`.execute(
        db,
      );
      await sql`create index shipments_to_poll on shipments (next_poll_at) where next_poll_at is not null`.execute(
        db,
      );
      await db.schema.createIndex('shipments_order').on('shipments').column('order_id').execute();
      await db.schema.createIndex('shipments_created').on('shipments').column('created_at').execute();

      await db.schema
        .createTable('tracking_events')
        .addColumn('shipment_id', 'uuid', (c) => c.notNull().references('shipments.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('location', 'text', (c) => c.notNull())
        .addColumn('remark', 'text', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('tracking_events_pk', ['shipment_id', 'seq'])
        .execute();

      await db.schema
        .createTable('claims')
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('order_id', 'text', (c) => c.notNull().references('orders.order_id'))
        .addColumn('user_id', 'uuid', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('RETURN', 'EXCHANGE')`))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('detail', 'text')
        .addColumn('fee_amount', 'bigint', (c) => c.notNull())
        .addColumn('refund_amount', 'bigint', (c) => c.notNull())
        .addColumn('points_refund', 'bigint', (c) => c.notNull())
        .addColumn('whole_order', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('restore_coupon', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('reject_reason', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('approved_at', 'timestamptz')
        .addColumn('rejected_at', 'timestamptz')
        .addColumn('collected_at', 'timestamptz')
        .addColumn('completed_at', 'timestamptz')
        .execute();
      // One open claim (return or exchange) per order at a time.
      await sql`create unique index claims_one_open on claims (order_id) where ${OPEN}`.execute(db);
      await db.schema.createIndex('claims_order').on('claims').columns(['order_id', 'created_at']).execute();
      await db.schema
        .createIndex('claims_queue')
        .on('claims')
        .columns(['type', 'status', 'created_at'])
        .execute();
      await db.schema
        .createTable('claim_items')
        .addColumn('claim_id', 'uuid', (c) => c.notNull().references('claims.id'))
        .addColumn('order_item_id', 'bigint', (c) => c.notNull().references('order_lines.order_item_id'))
        .addColumn('sku_id', 'bigint', (c) => c.notNull())
        .addColumn('new_sku_id', 'bigint')
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('refund_amount', 'bigint', (c) => c.notNull())
        .addColumn('points_refund', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('claim_items_pk', ['claim_id', 'order_item_id'])
        .execute();
    },
  },
  '0002_pickup_bookings': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('claims')
        .addColumn('pickup_attempt', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('pickup_booking', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('pickup_cancelled_at', 'timestamptz')
        .execute();
      // Claims approved before: their pickup was booked as the first attempt (`pickup-{claimId}`).
      await sql`update claims set pickup_attempt = 1
        where exists (select 1 from shipments s where s.claim_id = claims.id and s.role = 'PICKUP')`.execute(
        db,
      );
      await db.schema
        .alterTable('shipments')
        .addColumn('waybill_attempt', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      // A claim whose pickup the courier cancelled books another: one live parcel per claim and role.
      await sql`drop index shipments_one_per_claim`.execute(db);
      await sql`create unique index shipments_one_per_claim on shipments (claim_id, role) where claim_id is not null and status <> 'CANCELLED'`.execute(
        db,
      );
    },
  },
  '0003_dispatch_failures': {
    async up(db: Kysely<unknown>) {
      // A parcel the courier refuses for good is recorded as failed, for an admin, instead of being
      // sent again every lease forever.
      await db.schema
        .alterTable('shipments')
        .addColumn('dispatch_error_code', 'text')
        .addColumn('dispatch_error', 'text')
        .addColumn('dispatch_failed_at', 'timestamptz')
        .execute();
    },
  },
  '0004_tracking_failures': {
    async up(db: Kysely<unknown>) {
      // A waybill the courier refuses to track for good is recorded as failed, for an admin, instead
      // of being asked about again every lease forever.
      await db.schema
        .alterTable('shipments')
        .addColumn('tracking_error_code', 'text')
        .addColumn('tracking_error', 'text')
        .addColumn('tracking_failed_at', 'timestamptz')
        .execute();
    },
  },
  '0005_pickup_sweep': {
    async up(db: Kysely<unknown>) {
      // A booking left open (its answer lost, its withdrawal failed) is withdrawn by a sweep, not only
      // at the admin's next decision. Bookings open before this are taken staleMs after it.
      await db.schema
        .alterTable('claims')
        .addColumn('pickup_booked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('pickup_withdrawing_until', 'timestamptz')
        .addColumn('pickup_under_way_tracking_number', 'text')
        .addColumn('pickup_under_way_courier_status', 'text')
        .addColumn('pickup_under_way_at', 'timestamptz')
        .execute();
      await sql`create index claims_open_pickup_bookings on claims (pickup_booked_at) where pickup_booking`.execute(
        db,
      );
    },
  },
  '0006_tracking_recheck_stock_attempt': {
    async up(db: Kysely<unknown>) {
      // A waybill marked failed is asked about again on a slow schedule (it was left for good).
      await sql`update shipments set next_poll_at = now() where tracking_failed_at is not null and next_poll_at is null`.execute(
        db,
      );
      // An exchange parcel whose reservation product-service refused to sell is reserved again, under
      // the next key, when an admin issues it again; those refused already are past their first key.
      await db.schema
        .alterTable('shipments')
        .addColumn('stock_attempt', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await sql`update shipments set stock_attempt = 2 where dispatch_error_code = 'STOCK_REFUSED'`.execute(
        db,
      );
    },
  },
  '0007_parcel_uploads_sent': {
    async up(db: Kysely<unknown>) {
      // An upload whose answer was lost is recorded, so that a cancel stops its waybill at the courier
      // (ADR 0020). A parcel waiting now may have had one before this: each is taken as sent, so that
      // its cancel asks the courier.
      await db.schema.alterTable('shipments').addColumn('upload_sent_at', 'timestamptz').execute();
      await sql`update shipments set upload_sent_at = now()
        where status = 'READY' and courier_status = 'NOT_SENT' and role <> 'PICKUP'`.execute(db);
    },
  },
};
