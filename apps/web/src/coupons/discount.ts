import type * as promotions from '@sagamart/contracts/http/promotions';
import type { Static } from 'typebox';
import { serverEnum } from '../api/server-enum.ts';
import { i18n } from '../i18n/i18n.ts';
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
  if (terms.discountType === 'FIXED')
    return i18n.t('discount.fixed', { amount: formatWon(terms.discountValue) });
  return terms.maxDiscount === null
    ? i18n.t('discount.rate', { rate: terms.discountValue })
    : i18n.t('discount.rateCapped', { rate: terms.discountValue, cap: formatWon(terms.maxDiscount) });
}

/** `Orders from 30,000원`, or null when there is no minimum. */
export function describeMinimum(minOrderAmount: number): string | null {
  return minOrderAmount > 0 ? i18n.t('discount.minimum', { amount: formatWon(minOrderAmount) }) : null;
}
