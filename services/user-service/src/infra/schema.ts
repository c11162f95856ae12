import type { PointChargeStatus, UserGrade, UserRole, UserStatus } from '@sagamart/contracts';
import { type Generated, type Kysely, type Migration, sql } from '@sagamart/kit';
import type { PointMovementType, PointsReservationState } from '../domain/points.ts';

/** No credential column anywhere: passwords live in auth-service only (ADR 0002). */
export interface UserDb {
  users: {
    id: string;
    /** Lower-cased; unique. */
    email: string;
    name: string;
    /** 010-1234-5678 form. */
    phone: string | null;
    role: UserRole;
    status: UserStatus;
    grade: UserGrade;
    /** +1 on every change; carried by user events so consumers can drop stale ones. */
    version: number;
    credentials_changed_at: Date | null;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  point_accounts: {
    user_id: string;
    balance: number;
    /**
     * The part of the balance paid for through the PG, the rest earned (domain/points.ts); ≥ 0. Read
     * as least(cash_backed, balance): a pod of the release before may have lowered the balance alone.
     */
    cash_backed: Generated<number>;
    updated_at: Generated<Date>;
  };
  point_ledger: {
    id: Generated<string>;
    user_id: string;
    type: PointMovementType;
    /** Signed won. */
    amount: number;
    balance_after: number;
    reason: string | null;
    /** The order of a RESERVE/COMMIT/RELEASE row (at most one of each per order). */
    order_id: string | null;
    /** The charge of a CHARGE/REFUND row (at most one of each per charge). */
    charge_id: Generated<string | null>;
    created_at: Generated<Date>;
  };
  /** The address book: saved delivery addresses, at most one default per user. */
  addresses: {
    id: Generated<string>;
    user_id: string;
    label: string | null;
    receiver_name: string;
    /** 010-1234-5678 form. */
    receiver_phone: string;
    zipcode: string;
    address: string;
    address_detail: string | null;
    is_default: boolean;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  /** Points bought through the PG (see @sagamart/contracts points.ts). */
  point_charges: {
    id: Generated<string>;
    /** PNT-yyyyMMdd-XXXXXXXX: the PG's order number for this charge. */
    charge_number: string;
    user_id: string;
    amount: number;
    status: PointChargeStatus;
    /** +1 on every status change; carried by point.charge.* events. */
    version: number;
    /** The approved payment. */
    payment_id: string | null;
    failure_code: string | null;
    failure_message: string | null;
    created_at: Generated<Date>;
    paid_at: Date | null;
    refund_requested_at: Date | null;
    refunded_at: Date | null;
    updated_at: Generated<Date>;
  };
  /** One per order that reserved points; user_id null is a tombstone (released before any reserve). */
  point_reservations: {
    order_id: string;
    /** ORD-…, as the reserve named it: the release's ledger reason names the order by it. */
    order_number: Generated<string | null>;
    user_id: string | null;
    amount: number;
    /** The part of `amount` spent from paid-for points and not given back yet (by a RELEASE or RETURN). */
    cash_backed: Generated<number>;
    state: PointsReservationState;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  /** An email whose signup is in flight (its credential is being set at auth-service), until expires_at. */
  signup_reservations: {
    email: string;
    user_id: string;
    expires_at: Date;
  };
}

export const migrations: Record<string, Migration> = {
  '0001_users': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('phone', 'text')
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('USER', 'ADMIN')`))
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('ACTIVE', 'INACTIVE', 'SUSPENDED')`),
        )
        .addColumn('grade', 'text', (c) =>
          c.notNull().check(sql`grade in ('NORMAL', 'SILVER', 'GOLD', 'VIP')`),
        )
        .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
        .addColumn('credentials_changed_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
        .addCheckConstraint('users_email_lower', sql`email = lower(email)`)
        .execute();
      await db.schema.createIndex('users_created_at').on('users').columns(['created_at', 'id']).execute();

      await db.schema
        .createTable('point_accounts')
        .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id'))
        .addColumn('balance', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`balance >= 0`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
        .execute();
      await db.schema
        .createTable('point_ledger')
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount <> 0`))
        .addColumn('balance_after', 'bigint', (c) => c.notNull().check(sql`balance_after >= 0`))
        .addColumn('reason', 'text')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
        .execute();
      await db.schema
        .createIndex('point_ledger_user')
        .on('point_ledger')
        .columns(['user_id', 'created_at'])
        .execute();
    },
  },
  '0002_point_reservations': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('point_reservations')
        .addColumn('order_id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'uuid', (c) => c.references('users.id'))
        .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount >= 0`))
        .addColumn('state', 'text', (c) =>
          c.notNull().check(sql`state in ('RESERVED', 'COMMITTED', 'RELEASED')`),
        )
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
        .execute();
      await db.schema.alterTable('point_ledger').addColumn('order_id', 'text').execute();
      // At most one RESERVE, COMMIT and RELEASE row per order: the backstop of idempotency.
      await sql`create unique index point_ledger_order_type on point_ledger (order_id, type) where order_id is not null`.execute(
        db,
      );
      // A COMMIT row records the reservation becoming final; it moves no points.
      await sql`alter table point_ledger drop constraint point_ledger_amount_check`.execute(db);
      await sql`alter table point_ledger add constraint point_ledger_amount_check check (amount <> 0 or type = 'COMMIT')`.execute(
        db,
      );
    },
  },
  '0003_point_charges': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('point_charges')
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('charge_number', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
        .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount > 0`))
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('PENDING', 'PAID', 'FAILED', 'REFUND_REQUESTED', 'REFUNDED')`),
        )
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('payment_id', 'uuid')
        .addColumn('failure_code', 'text')
        .addColumn('failure_message', 'text')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
        .addColumn('paid_at', 'timestamptz')
        .addColumn('refund_requested_at', 'timestamptz')
        .addColumn('refunded_at', 'timestamptz')
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
        .execute();
      await db.schema
        .createIndex('point_charges_user')
        .on('point_charges')
        .columns(['user_id', 'created_at'])
        .execute();
      await db.schema.alterTable('point_ledger').addColumn('charge_id', 'uuid').execute();
      // At most one CHARGE and one REFUND row per charge: the backstop of crediting exactly once.
      await sql`create unique index point_ledger_charge_type on point_ledger (charge_id, type) where charge_id is not null`.execute(
        db,
      );
    },
  },
  '0004_signup_reservations': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('signup_reservations')
        .addColumn('email', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'uuid', (c) => c.notNull())
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .execute();
    },
  },
  // The AGENT role (issue 12): customer-service staff.
  '0005_agent_role': {
    async up(db: Kysely<unknown>) {
      await sql`alter table users drop constraint if exists users_role_check`.execute(db);
      await sql`alter table users add constraint users_role_check check (role in ('USER', 'AGENT', 'ADMIN'))`.execute(
        db,
      );
    },
  },
  // The address book (issue 13): checkout picks a saved address and saves a new one.
  '0006_address_book': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('addresses')
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
        .addColumn('label', 'text')
        .addColumn('receiver_name', 'text', (c) => c.notNull())
        .addColumn('receiver_phone', 'text', (c) => c.notNull())
        .addColumn('zipcode', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('address_detail', 'text')
        .addColumn('is_default', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
        .execute();
      await db.schema
        .createIndex('addresses_user')
        .on('addresses')
        .columns(['user_id', 'updated_at'])
        .execute();
      // The backstop of "one default per user".
      await sql`create unique index addresses_one_default on addresses (user_id) where is_default`.execute(
        db,
      );
    },
  },
  // Unpaid points charges expire (EXPIRED) after points.chargeTimeoutSeconds.
  '0007_point_charge_expiry': {
    async up(db: Kysely<unknown>) {
      await sql`alter table point_charges drop constraint if exists point_charges_status_check`.execute(db);
      await sql`alter table point_charges add constraint point_charges_status_check
        check (status in ('PENDING', 'PAID', 'FAILED', 'EXPIRED', 'REFUND_REQUESTED', 'REFUNDED'))`.execute(
        db,
      );
      // The expiry sweep's scan: only the charges still waiting for payment.
      await sql`create index point_charges_pending on point_charges (created_at) where status = 'PENDING'`.execute(
        db,
      );
    },
  },
  // Paid-for points apart from earned ones (domain/points.ts): a charge is refunded only while the
  // paid-for points cover it, so earned points never become money at the PG.
  '0008_cash_backed_points': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('point_accounts')
        .addColumn('cash_backed', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('point_reservations')
        .addColumn('cash_backed', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      // The ledger did not say which points an order spent, so the split is rebuilt on the safe side:
      // earned points count as never spent (at most the balance), the rest of the balance is paid for.
      // An account that never earned is exact; one that did may see a refund refused that the new
      // rule would allow, never the other way round.
      await sql`update point_accounts a set cash_backed = a.balance - least(a.balance, coalesce(
          (select sum(l.amount) from point_ledger l where l.user_id = a.user_id and l.type = 'EARN'), 0))`.execute(
        db,
      );
      // A held or paid order of a user who had earned nothing before it spent paid-for points only; of
      // anyone else, what it gives back comes back earned (again the safe side).
      await sql`update point_reservations r set cash_backed = r.amount
        where r.user_id is not null and r.state in ('RESERVED', 'COMMITTED')
          and not exists (select 1 from point_ledger l where l.user_id = r.user_id and l.type = 'EARN'
                            and l.created_at <= r.created_at)`.execute(db);
      await sql`alter table point_accounts add constraint point_accounts_cash_backed_check
        check (cash_backed >= 0 and cash_backed <= balance)`.execute(db);
      await sql`alter table point_reservations add constraint point_reservations_cash_backed_check
        check (cash_backed >= 0 and cash_backed <= amount)`.execute(db);
    },
  },
  // A shopper may cancel an unpaid charge (CANCELLED) instead of waiting for it to expire.
  '0009_point_charge_cancel': {
    async up(db: Kysely<unknown>) {
      await sql`alter table point_charges drop constraint if exists point_charges_status_check`.execute(db);
      await sql`alter table point_charges add constraint point_charges_status_check
        check (status in ('PENDING', 'PAID', 'FAILED', 'EXPIRED', 'CANCELLED', 'REFUND_REQUESTED', 'REFUNDED'))`.execute(
        db,
      );
    },
  },
  // 0008's `cash_backed <= balance` broke the release before it during a rolling update: its pods
  // lower `balance` alone, so their debits failed. The code keeps the bound under the account's row
  // lock and reads least(cash_backed, balance) (domain/points.ts storedAccount). The reservations'
  // check stays: that release never changes a reservation's amount nor its cash_backed.
  '0010_cash_backed_unbounded': {
    async up(db: Kysely<unknown>) {
      await sql`alter table point_accounts drop constraint if exists point_accounts_cash_backed_check`.execute(
        db,
      );
      await sql`alter table point_accounts add constraint point_accounts_cash_backed_check
        check (cash_backed >= 0)`.execute(db);
    },
  },
  // A cancelled order's points came back under its id ("Returned: order <uuid> cancelled"), which the
  // shopper's ledger cannot show: the reservation keeps the number its reserve was given. Held ones
  // take it from their RESERVE row's reason ("Used for order ORD-…"); released ones keep their rows.
  '0011_point_reservation_order_number': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('point_reservations').addColumn('order_number', 'text').execute();
      await sql`update point_reservations r set order_number = substring(l.reason from 'ORD-[0-9]{8}-[0-9A-Z]+')
        from point_ledger l
        where l.order_id = r.order_id and l.type = 'RESERVE' and r.state in ('RESERVED', 'COMMITTED')`.execute(
        db,
      );
    },
  },
};
