import type { CouponReservationState, UserCouponStatus } from '@sagamart/contracts';
import { type Generated, type Kysely, type Migration, sql } from '@sagamart/kit';
import type { DiscountType, PromotionStatus } from '../domain/discount-rules.ts';
import type { PolicyTarget } from '../domain/pricing.ts';

export interface PromotionDb {
  coupons: {
    id: Generated<number>;
    /** Upper-case; unique. */
    code: string;
    name: string;
    discount_type: DiscountType;
    discount_value: number;
    min_order_amount: number;
    max_discount: number | null;
    valid_from: Date;
    valid_to: Date;
    /** Null: no limit. */
    total_issue_limit: number | null;
    issued_count: Generated<number>;
    status: PromotionStatus;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  user_coupons: {
    id: Generated<number>;
    coupon_id: number;
    user_id: string;
    status: UserCouponStatus;
    /** The order holding (RESERVED) or having used (USED) it. */
    order_id: string | null;
    issued_at: Generated<Date>;
    reserved_at: Date | null;
    used_at: Date | null;
    restored_at: Date | null;
    updated_at: Generated<Date>;
  };
  coupon_reservations: {
    order_id: string;
    /** Null for a tombstone (released before any reservation). */
    user_coupon_id: number | null;
    coupon_id: number | null;
    user_id: string | null;
    state: CouponReservationState;
    order_amount: number | null;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  discount_policies: {
    id: Generated<number>;
    name: string;
    target_type: PolicyTarget;
    target_id: number | null;
    discount_type: DiscountType;
    discount_value: number;
    min_order_amount: number;
    max_discount: number | null;
    valid_from: Date;
    valid_to: Date;
    status: PromotionStatus;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
}

export const migrations: Record<string, Migration> = {
  '0001_promotion': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('coupons')
        .addColumn('id', 'serial', (c) => c.primaryKey())
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('discount_type', 'text', (c) => c.notNull().check(sql`discount_type in ('FIXED', 'RATE')`))
        .addColumn('discount_value', 'bigint', (c) => c.notNull())
        .addColumn('min_order_amount', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('max_discount', 'bigint')
        .addColumn('valid_from', 'timestamptz', (c) => c.notNull())
        .addColumn('valid_to', 'timestamptz', (c) => c.notNull())
        .addColumn('total_issue_limit', 'integer')
        .addColumn('issued_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('ACTIVE', 'INACTIVE')`))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addCheckConstraint('coupons_validity', sql`valid_from < valid_to`)
        // The database backs the claim limit too: a bug elsewhere cannot over-issue.
        .addCheckConstraint(
          'coupons_issue_limit',
          sql`total_issue_limit is null or issued_count <= total_issue_limit`,
        )
        .execute();
      await db.schema
        .createTable('user_coupons')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('coupon_id', 'integer', (c) => c.notNull().references('coupons.id'))
        .addColumn('user_id', 'uuid', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('ISSUED', 'RESERVED', 'USED', 'RESTORED')`),
        )
        .addColumn('order_id', 'text')
        .addColumn('issued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('reserved_at', 'timestamptz')
        .addColumn('used_at', 'timestamptz')
        .addColumn('restored_at', 'timestamptz')
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        // One per user.
        .addUniqueConstraint('user_coupons_one_per_user', ['coupon_id', 'user_id'])
        .execute();
      await db.schema
        .createIndex('user_coupons_user')
        .on('user_coupons')
        .columns(['user_id', 'issued_at'])
        .execute();
      await db.schema
        .createTable('coupon_reservations')
        .addColumn('order_id', 'text', (c) => c.primaryKey())
        .addColumn('user_coupon_id', 'bigint', (c) => c.references('user_coupons.id'))
        .addColumn('coupon_id', 'integer')
        .addColumn('user_id', 'uuid')
        .addColumn('state', 'text', (c) =>
          c.notNull().check(sql`state in ('RESERVED', 'COMMITTED', 'RELEASED')`),
        )
        .addColumn('order_amount', 'bigint')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('discount_policies')
        .addColumn('id', 'serial', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text', (c) =>
          c.notNull().check(sql`target_type in ('PRODUCT', 'CATEGORY', 'ORDER')`),
        )
        .addColumn('target_id', 'integer')
        .addColumn('discount_type', 'text', (c) => c.notNull().check(sql`discount_type in ('FIXED', 'RATE')`))
        .addColumn('discount_value', 'bigint', (c) => c.notNull())
        .addColumn('min_order_amount', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('max_discount', 'bigint')
        .addColumn('valid_from', 'timestamptz', (c) => c.notNull())
        .addColumn('valid_to', 'timestamptz', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('ACTIVE', 'INACTIVE')`))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addCheckConstraint('discount_policies_validity', sql`valid_from < valid_to`)
        .addCheckConstraint('discount_policies_target', sql`(target_type = 'ORDER') = (target_id is null)`)
        .execute();
    },
  },
  // DISCOUNT_AMOUNT_MAX (contracts' rules.ts) bounds a FIXED amount and a RATE cap; rows stored before
  // it could hold more, and the admin form's save resends the stored amount, so such a coupon or
  // policy could not even be switched off (and an issued coupon's terms cannot be lowered by hand).
  // They are lowered to the bound. This changes no holder's actual discount: the quote already takes
  // off at most DISCOUNT_AMOUNT_MAX for any one coupon or policy (domain/pricing.ts). Data only, no
  // constraint: a pod of the release before may still store a larger amount while this one rolls out
  // (ADR 0013), and its quote clamps that too.
  '0002_discounts_within_bound': {
    async up(db: Kysely<unknown>) {
      // DISCOUNT_AMOUNT_MAX when this was written; a migration keeps its meaning if the bound moves.
      const bound = 10_000_000;
      for (const table of ['coupons', 'discount_policies']) {
        await sql`update ${sql.table(table)}
                  set discount_value = case when discount_type = 'FIXED'
                                            then least(discount_value, ${bound}) else discount_value end,
                      -- Not least(): it ignores a null, and a null cap (none) must stay null.
                      max_discount = case when max_discount > ${bound} then ${bound} else max_discount end,
                      updated_at = now()
                  where (discount_type = 'FIXED' and discount_value > ${bound})
                     or max_discount > ${bound}`.execute(db);
      }
    },
  },
};
