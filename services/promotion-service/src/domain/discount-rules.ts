// Amount rules shared by coupons and discount policies.

export const DISCOUNT_TYPES = ['FIXED', 'RATE'] as const;
export type DiscountType = (typeof DISCOUNT_TYPES)[number];
export const PROMOTION_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type PromotionStatus = (typeof PROMOTION_STATUSES)[number];

/** How much a coupon or policy takes off: FIXED won, or RATE percent capped by maxDiscount. */
export interface Discount {
  discountType: DiscountType;
  discountValue: number;
  /** RATE only: the most it may take off, in won; null for no cap. */
  maxDiscount: number | null;
}

export interface DiscountTerms extends Discount {
  /** The order's subtotal (before any discount) must be at least this. */
  minOrderAmount: number;
  validFrom: Date;
  validTo: Date;
}

export interface RuleProblem {
  field: string;
  message: string;
}

/** Cross-field rules the schema cannot express; empty when the terms are valid. */
export function discountTermsProblems(terms: DiscountTerms): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (terms.discountType === 'RATE' && (terms.discountValue < 1 || terms.discountValue > 100)) {
    problems.push({ field: 'discountValue', message: 'A RATE discount is a percentage between 1 and 100' });
  }
  if (terms.discountType === 'FIXED' && terms.discountValue < 1) {
    problems.push({ field: 'discountValue', message: 'A FIXED discount is at least 1 won' });
  }
  if (terms.maxDiscount !== null && terms.discountType === 'FIXED') {
    problems.push({
      field: 'maxDiscount',
      message: 'maxDiscount caps RATE discounts only; leave it empty for FIXED',
    });
  }
  if (terms.maxDiscount !== null && terms.maxDiscount < 1) {
    problems.push({ field: 'maxDiscount', message: 'maxDiscount is at least 1 won (or empty for no cap)' });
  }
  if (terms.minOrderAmount < 0) {
    problems.push({ field: 'minOrderAmount', message: 'minOrderAmount cannot be negative' });
  }
  if (!(terms.validFrom.getTime() < terms.validTo.getTime())) {
    problems.push({ field: 'validTo', message: 'validTo must be after validFrom' });
  }
  return problems;
}

/** Whether `now` falls in [validFrom, validTo]. */
export function withinValidity(terms: { validFrom: Date; validTo: Date }, now: Date): boolean {
  return terms.validFrom.getTime() <= now.getTime() && now.getTime() <= terms.validTo.getTime();
}
