// Coupon and discount-policy forms: string values as the inputs hold them, the same rules
// promotion-service checks (so most mistakes are caught before a round trip), and the conversion to
// and from the API's shapes. The server stays the judge: its field errors land next to the inputs.
import { COUPON_ISSUE_LIMIT_MAX, DISCOUNT_AMOUNT_MAX, MIN_ORDER_AMOUNT_MAX } from '@sagamart/contracts/rules';
import type { DiscountType, PromotionStatus } from '../coupons/discount.ts';
import { i18n } from '../i18n/i18n.ts';
import { formatCount, formatWon, parseShopInput, toShopInput } from '../lib/format.ts';
import type { FieldErrors } from '../ui/use-form-fields.ts';
import type { Coupon, CouponInput, Policy, PolicyInput, PolicyTarget } from './admin-promotion-api.ts';

const NAME_MAX_LENGTH = 100;
export const COUPON_CODE_PATTERN = /^[A-Za-z0-9_-]{3,40}$/;

export interface DiscountFormValues extends Record<string, string> {
  name: string;
  discountType: DiscountType;
  discountValue: string;
  minOrderAmount: string;
  maxDiscount: string;
  /** `datetime-local` values on the shop's clock (Seoul), no zone written. */
  validFrom: string;
  validTo: string;
  status: PromotionStatus;
}

export interface CouponFormValues extends DiscountFormValues {
  code: string;
  totalIssueLimit: string;
}

export interface PolicyFormValues extends DiscountFormValues {
  targetType: PolicyTarget;
  targetId: string;
}

const DAY_MS = 86_400_000;

function emptyDiscount(now = new Date()): DiscountFormValues {
  return {
    name: '',
    discountType: 'FIXED',
    discountValue: '',
    minOrderAmount: '',
    maxDiscount: '',
    validFrom: toShopInput(new Date(now.getTime() - (now.getTime() % 60_000))),
    validTo: toShopInput(new Date(now.getTime() - (now.getTime() % 60_000) + 30 * DAY_MS)),
    status: 'ACTIVE',
  };
}

export function emptyCouponForm(): CouponFormValues {
  return { ...emptyDiscount(), code: '', totalIssueLimit: '' };
}

export function emptyPolicyForm(): PolicyFormValues {
  return { ...emptyDiscount(), targetType: 'ORDER', targetId: '' };
}

function discountFormOf(terms: Coupon | Policy): DiscountFormValues {
  return {
    name: terms.name,
    discountType: terms.discountType,
    discountValue: String(terms.discountValue),
    minOrderAmount: terms.minOrderAmount ? String(terms.minOrderAmount) : '',
    maxDiscount: terms.maxDiscount === null ? '' : String(terms.maxDiscount),
    validFrom: toShopInput(new Date(terms.validFrom)),
    validTo: toShopInput(new Date(terms.validTo)),
    status: terms.status,
  };
}

export function couponFormOf(coupon: Coupon): CouponFormValues {
  return {
    ...discountFormOf(coupon),
    code: coupon.code,
    totalIssueLimit: coupon.totalIssueLimit === null ? '' : String(coupon.totalIssueLimit),
  };
}

export function policyFormOf(policy: Policy): PolicyFormValues {
  return {
    ...discountFormOf(policy),
    targetType: policy.targetType,
    targetId: policy.targetId === null ? '' : String(policy.targetId),
  };
}

function validateDiscount(values: DiscountFormValues): FieldErrors<DiscountFormValues> {
  const name = values.name.trim();
  const value = parseWhole(values.discountValue);
  const minimum = parseWhole(values.minOrderAmount);
  const cap = parseWhole(values.maxDiscount);
  const from = parseShopInput(values.validFrom);
  const to = parseShopInput(values.validTo);
  const isRate = values.discountType === 'RATE';
  return {
    name: !name
      ? i18n.t('adminPromotion.validation.nameRequired')
      : name.length > NAME_MAX_LENGTH
        ? i18n.t('adminPromotion.validation.nameTooLong', { max: String(NAME_MAX_LENGTH) })
        : undefined,
    discountValue: discountValueProblem(values.discountType, value),
    // Only digits reach it (a whole-won input): what it refuses is too large, the limit named.
    minOrderAmount:
      values.minOrderAmount.trim() && (minimum === undefined || minimum > MIN_ORDER_AMOUNT_MAX)
        ? i18n.t('adminPromotion.validation.minOrder', { max: formatWon(MIN_ORDER_AMOUNT_MAX) })
        : undefined,
    maxDiscount: !values.maxDiscount.trim()
      ? undefined
      : !isRate
        ? i18n.t('adminPromotion.validation.capRateOnly')
        : cap === undefined || cap > DISCOUNT_AMOUNT_MAX
          ? i18n.t('adminPromotion.validation.capTooMuch', { max: formatWon(DISCOUNT_AMOUNT_MAX) })
          : cap < 1
            ? i18n.t('adminPromotion.validation.cap')
            : undefined,
    validFrom: from ? undefined : i18n.t('adminPromotion.validation.validFrom'),
    validTo: !to
      ? i18n.t('adminPromotion.validation.validTo')
      : from && from.getTime() >= to.getTime()
        ? i18n.t('adminPromotion.validation.endBeforeStart')
        : undefined,
  };
}

function discountValueProblem(type: DiscountType, value: number | undefined): string | undefined {
  if (type === 'RATE') {
    return value === undefined || value < 1 || value > 100
      ? i18n.t('adminPromotion.validation.rate')
      : undefined;
  }
  if (value === undefined || value < 1) return i18n.t('adminPromotion.validation.fixed');
  return value > DISCOUNT_AMOUNT_MAX
    ? i18n.t('adminPromotion.validation.tooMuch', { max: formatWon(DISCOUNT_AMOUNT_MAX) })
    : undefined;
}

/**
 * Whether someone already holds the coupon: then promotion-service keeps its terms (code, discount,
 * minimum, cap, start) and only lets the name, the status, the limit and a later end change
 * (409 COUPON_ISSUED otherwise), so the form does not offer the rest.
 */
export function isIssued(coupon: Coupon | undefined): coupon is Coupon {
  return coupon !== undefined && coupon.issuedCount > 0;
}

/** The end as the form shows it, unchanged: the saved one (to the second), not the minute shown. */
function keepsSavedEnd(coupon: Coupon, values: CouponFormValues): boolean {
  return values.validTo === toShopInput(new Date(coupon.validTo));
}

/** `issued`: the saved coupon when someone holds it; its end may then only move later. */
export function validateCouponForm(values: CouponFormValues, issued?: Coupon): FieldErrors<CouponFormValues> {
  const limit = parseWhole(values.totalIssueLimit);
  const discount = validateDiscount(values);
  const end = parseShopInput(values.validTo);
  const shortened =
    isIssued(issued) &&
    !keepsSavedEnd(issued, values) &&
    end !== undefined &&
    end.getTime() < new Date(issued.validTo).getTime();
  return {
    ...discount,
    validTo:
      discount.validTo ?? (shortened ? i18n.t('adminPromotion.validation.validToShortened') : undefined),
    code: COUPON_CODE_PATTERN.test(values.code.trim())
      ? undefined
      : i18n.t('adminPromotion.couponForm.codeRule'),
    totalIssueLimit:
      values.totalIssueLimit.trim() && (limit === undefined || limit < 1 || limit > COUPON_ISSUE_LIMIT_MAX)
        ? i18n.t('adminPromotion.validation.issueLimit', { max: formatCount(COUPON_ISSUE_LIMIT_MAX) })
        : undefined,
  };
}

export function validatePolicyForm(values: PolicyFormValues): FieldErrors<PolicyFormValues> {
  const targetId = parseWhole(values.targetId);
  return {
    ...validateDiscount(values),
    targetId:
      values.targetType === 'ORDER'
        ? undefined
        : targetId === undefined || targetId < 1
          ? i18n.t(
              values.targetType === 'PRODUCT'
                ? 'adminPromotion.validation.productId'
                : 'adminPromotion.validation.categoryId',
            )
          : undefined,
  };
}

function discountInputOf(values: DiscountFormValues) {
  return {
    name: values.name.trim(),
    discountType: values.discountType,
    discountValue: parseWhole(values.discountValue) ?? 0,
    minOrderAmount: parseWhole(values.minOrderAmount) ?? 0,
    maxDiscount: values.discountType === 'RATE' ? (parseWhole(values.maxDiscount) ?? null) : null,
    validFrom: parseShopInput(values.validFrom)?.toISOString() ?? '',
    validTo: parseShopInput(values.validTo)?.toISOString() ?? '',
    status: values.status,
  };
}

/**
 * Call after `validateCouponForm` found nothing. `issued`: the saved coupon when someone holds it;
 * its terms go back as saved (the inputs show minutes, the server compares to the millisecond).
 */
export function couponInputOf(values: CouponFormValues, issued?: Coupon): CouponInput {
  const input = {
    ...discountInputOf(values),
    code: values.code.trim().toUpperCase(),
    totalIssueLimit: parseWhole(values.totalIssueLimit) ?? null,
  };
  if (!isIssued(issued)) return input;
  return {
    ...input,
    code: issued.code,
    discountType: issued.discountType,
    discountValue: issued.discountValue,
    minOrderAmount: issued.minOrderAmount,
    maxDiscount: issued.maxDiscount,
    validFrom: issued.validFrom,
    validTo: keepsSavedEnd(issued, values) ? issued.validTo : input.validTo,
  };
}

/** Call after `validatePolicyForm` found nothing. */
export function policyInputOf(values: PolicyFormValues): PolicyInput {
  return {
    ...discountInputOf(values),
    targetType: values.targetType,
    targetId: values.targetType === 'ORDER' ? null : (parseWhole(values.targetId) ?? null),
  };
}

/** A whole, non-negative number typed with or without thousands separators; undefined otherwise. */
export function parseWhole(text: string): number | undefined {
  const digits = text.trim().replaceAll(',', '');
  if (!/^\d{1,15}$/.test(digits)) return undefined;
  return Number(digits);
}
