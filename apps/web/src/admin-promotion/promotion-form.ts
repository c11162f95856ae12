// Coupon and discount-policy forms: string values as the inputs hold them, the same rules
// promotion-service checks (so most mistakes are caught before a round trip), and the conversion to
// and from the API's shapes. The server stays the judge: its field errors land next to the inputs.
import type { DiscountType, PromotionStatus } from '../coupons/discount.ts';
import type { FieldErrors } from '../ui/use-form-fields.ts';
import type { Coupon, CouponInput, Policy, PolicyInput, PolicyTarget } from './admin-promotion-api.ts';

const MAX_DISCOUNT_VALUE = 1_000_000_000;
const MAX_WON = 1_000_000_000_000;
const MAX_ISSUE_LIMIT = 100_000_000;
const NAME_MAX_LENGTH = 100;
export const COUPON_CODE_PATTERN = /^[A-Za-z0-9_-]{3,40}$/;
export const COUPON_CODE_RULE = 'Code: 3–40 letters, digits, - or _ (stored upper-case).';

export interface DiscountFormValues extends Record<string, string> {
  name: string;
  discountType: DiscountType;
  discountValue: string;
  minOrderAmount: string;
  maxDiscount: string;
  /** `datetime-local` values (local time, no zone). */
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
    validFrom: toLocalInput(new Date(now.getTime() - (now.getTime() % 60_000))),
    validTo: toLocalInput(new Date(now.getTime() - (now.getTime() % 60_000) + 30 * DAY_MS)),
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
    validFrom: toLocalInput(new Date(terms.validFrom)),
    validTo: toLocalInput(new Date(terms.validTo)),
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
  const from = parseLocalInput(values.validFrom);
  const to = parseLocalInput(values.validTo);
  const isRate = values.discountType === 'RATE';
  return {
    name: !name
      ? 'Enter a name.'
      : name.length > NAME_MAX_LENGTH
        ? `Name must be at most ${NAME_MAX_LENGTH} characters.`
        : undefined,
    discountValue: discountValueProblem(values.discountType, value),
    minOrderAmount:
      values.minOrderAmount.trim() && (minimum === undefined || minimum > MAX_WON)
        ? 'Enter a whole amount in won, or leave it empty for no minimum.'
        : undefined,
    maxDiscount: !values.maxDiscount.trim()
      ? undefined
      : !isRate
        ? 'A cap applies to RATE discounts only; leave it empty for FIXED.'
        : cap === undefined || cap < 1 || cap > MAX_DISCOUNT_VALUE
          ? 'Enter at least 1 won, or leave it empty for no cap.'
          : undefined,
    validFrom: from ? undefined : 'Enter when it starts.',
    validTo: !to
      ? 'Enter when it ends.'
      : from && from.getTime() >= to.getTime()
        ? 'The end must be after the start.'
        : undefined,
  };
}

function discountValueProblem(type: DiscountType, value: number | undefined): string | undefined {
  if (type === 'RATE') {
    return value === undefined || value < 1 || value > 100
      ? 'A RATE discount is a percentage between 1 and 100.'
      : undefined;
  }
  if (value === undefined || value < 1) return 'A FIXED discount is at least 1 won.';
  return value > MAX_DISCOUNT_VALUE ? 'That is more than any order could take off.' : undefined;
}

export function validateCouponForm(values: CouponFormValues): FieldErrors<CouponFormValues> {
  const limit = parseWhole(values.totalIssueLimit);
  return {
    ...validateDiscount(values),
    code: COUPON_CODE_PATTERN.test(values.code.trim()) ? undefined : COUPON_CODE_RULE,
    totalIssueLimit:
      values.totalIssueLimit.trim() && (limit === undefined || limit < 1 || limit > MAX_ISSUE_LIMIT)
        ? 'Enter a whole number of at least 1, or leave it empty for no limit.'
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
          ? `Enter the ${values.targetType === 'PRODUCT' ? 'product' : 'category'} id.`
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
    validFrom: parseLocalInput(values.validFrom)?.toISOString() ?? '',
    validTo: parseLocalInput(values.validTo)?.toISOString() ?? '',
    status: values.status,
  };
}

/** Call after `validateCouponForm` found nothing. */
export function couponInputOf(values: CouponFormValues): CouponInput {
  return {
    ...discountInputOf(values),
    code: values.code.trim().toUpperCase(),
    totalIssueLimit: parseWhole(values.totalIssueLimit) ?? null,
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

/** `YYYY-MM-DDTHH:mm` in this browser's time zone, as `<input type="datetime-local">` wants it. */
export function toLocalInput(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A `datetime-local` value read as this browser's local time; undefined when empty or invalid. */
export function parseLocalInput(value: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
