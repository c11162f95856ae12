import type * as promotions from '@sagamart/contracts/http/promotions';
import type { Static } from 'typebox';
import { serverEnum } from '../api/server-enum.ts';
import { formatWon } from '../lib/format.ts';

// The discount terms coupons and discount policies share, as promotion-service defines them.

export type DiscountType = Static<typeof promotions.DiscountTypeSchema>;
export const DISCOUNT_TYPES = serverEnum<DiscountType>()(['FIXED', 'RATE']);

export type PromotionStatus = Static<typeof promotions.PromotionStatusSchema>;
export const PROMOTION_STATUSES = serverEnum<PromotionStatus>()(['ACTIVE', 'INACTIVE']);

/**
 * `discountValue`: FIXED won off, RATE percent off (1–100); the order's subtotal (before discounts)
 * must be at least `minOrderAmount`; `maxDiscount` caps a RATE discount in won (null: no cap).
 */
export type DiscountTerms = Pick<
  Static<typeof promotions.CouponSchema>,
  'discountType' | 'discountValue' | 'minOrderAmount' | 'maxDiscount'
>;

/** `3,000원 off` or `10% off (up to 5,000원)`. */
export function describeDiscount(
  terms: Pick<DiscountTerms, 'discountType' | 'discountValue' | 'maxDiscount'>,
) {
  if (terms.discountType === 'FIXED') return `${formatWon(terms.discountValue)} off`;
  const cap = terms.maxDiscount === null ? '' : ` (up to ${formatWon(terms.maxDiscount)})`;
  return `${terms.discountValue}% off${cap}`;
}

/** `Orders from 30,000원`, or null when there is no minimum. */
export function describeMinimum(minOrderAmount: number): string | null {
  return minOrderAmount > 0 ? `Orders from ${formatWon(minOrderAmount)}` : null;
}
