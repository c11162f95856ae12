import { formatWon } from '../lib/format.ts';

// The discount terms coupons and discount policies share, as promotion-service defines them.

export const DISCOUNT_TYPES = ['FIXED', 'RATE'] as const;
export type DiscountType = (typeof DISCOUNT_TYPES)[number];

export const PROMOTION_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type PromotionStatus = (typeof PROMOTION_STATUSES)[number];

export interface DiscountTerms {
  discountType: DiscountType;
  /** FIXED: won off; RATE: percent off (1–100). */
  discountValue: number;
  /** The order's subtotal (before discounts) must be at least this. */
  minOrderAmount: number;
  /** RATE only: the most it takes off, in won; null for no cap. */
  maxDiscount: number | null;
}

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
