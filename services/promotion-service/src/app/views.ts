import type { Selectable } from '@sagamart/kit';
import { displayStatus, isUsable } from '../domain/coupon-lifecycle.ts';
import { withinValidity } from '../domain/discount-rules.ts';
import type { PromotionDb } from '../infra/schema.ts';

export type CouponRow = Selectable<PromotionDb['coupons']>;
export type PolicyRow = Selectable<PromotionDb['discount_policies']>;
export type UserCouponRow = Selectable<PromotionDb['user_coupons']>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toCouponView(row: CouponRow) {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    discountType: row.discount_type,
    discountValue: row.discount_value,
    minOrderAmount: row.min_order_amount,
    maxDiscount: row.max_discount,
    validFrom: row.valid_from.toISOString(),
    validTo: row.valid_to.toISOString(),
    totalIssueLimit: row.total_issue_limit,
    issuedCount: row.issued_count,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toPolicyView(row: PolicyRow) {
  return {
    id: row.id,
    name: row.name,
    targetType: row.target_type,
    targetId: row.target_id,
    discountType: row.discount_type,
    discountValue: row.discount_value,
    minOrderAmount: row.min_order_amount,
    maxDiscount: row.max_discount,
    validFrom: row.valid_from.toISOString(),
    validTo: row.valid_to.toISOString(),
    status: row.status,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A shopper's coupon: the user coupon with its coupon's terms and the status as the shopper sees it. */
export function toMyCouponView(uc: UserCouponRow, coupon: CouponRow, now: Date) {
  const status = displayStatus(uc.status, coupon.valid_to, now);
  return {
    couponId: coupon.id,
    code: coupon.code,
    name: coupon.name,
    discountType: coupon.discount_type,
    discountValue: coupon.discount_value,
    minOrderAmount: coupon.min_order_amount,
    maxDiscount: coupon.max_discount,
    validFrom: coupon.valid_from.toISOString(),
    validTo: coupon.valid_to.toISOString(),
    status,
    /** Can go into an order now (usable state, coupon active, within its validity). */
    usable:
      isUsable(uc.status) &&
      coupon.status === 'ACTIVE' &&
      withinValidity({ validFrom: coupon.valid_from, validTo: coupon.valid_to }, now),
    orderId: uc.order_id,
    issuedAt: uc.issued_at.toISOString(),
    reservedAt: iso(uc.reserved_at),
    usedAt: iso(uc.used_at),
    restoredAt: iso(uc.restored_at),
  };
}
