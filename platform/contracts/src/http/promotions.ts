import { Type } from 'typebox';
import { Int32Id } from '../numbers.ts';
import {
  COUPON_CODE_MAX_LENGTH,
  COUPON_ISSUE_LIMIT_MAX,
  DISCOUNT_AMOUNT_MAX,
  MIN_ORDER_AMOUNT_MAX,
} from '../rules.ts';

const Won = Type.Integer({ minimum: 0, maximum: MIN_ORDER_AMOUNT_MAX });

/**
 * An integer or null as one `type: [integer, null]` rather than anyOf: with the kit's coerceTypes,
 * an anyOf would let an out-of-range 0 be coerced to null and pass.
 */
const nullableInteger = (options: { minimum: number; maximum?: number; description?: string }) =>
  Type.Unsafe<number | null>({ type: ['integer', 'null'], ...options });
const Timestamp = Type.String({ format: 'date-time' });
export const DiscountTypeSchema = Type.Enum(['FIXED', 'RATE']);
export const PromotionStatusSchema = Type.Enum(['ACTIVE', 'INACTIVE']);
export const PolicyTargetSchema = Type.Enum(['PRODUCT', 'CATEGORY', 'ORDER']);
export const CouponDisplayStatusSchema = Type.Enum(['ISSUED', 'RESERVED', 'USED', 'RESTORED', 'EXPIRED']);

/** The amount rules shared by coupons and policies (cross-field rules are checked in the domain). */
const discountTerms = {
  discountType: DiscountTypeSchema,
  discountValue: Type.Integer({
    minimum: 1,
    maximum: DISCOUNT_AMOUNT_MAX,
    description: `FIXED: won off, at most ${DISCOUNT_AMOUNT_MAX} (DISCOUNT_AMOUNT_MAX); RATE: percent off (1–100). A quote never takes off more than is left to pay`,
  }),
  minOrderAmount: Type.Optional(Won),
  maxDiscount: Type.Optional(
    nullableInteger({
      minimum: 1,
      maximum: DISCOUNT_AMOUNT_MAX,
      description: `RATE only: the most it takes off, in won (at most ${DISCOUNT_AMOUNT_MAX}); null for no cap`,
    }),
  ),
  validFrom: Timestamp,
  validTo: Timestamp,
  status: Type.Optional(PromotionStatusSchema),
};

export const CouponInputSchema = Type.Object(
  {
    code: Type.String({ pattern: '^\\s*[A-Za-z0-9_-]{3,40}\\s*$', description: 'Stored upper-case; unique' }),
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    ...discountTerms,
    totalIssueLimit: Type.Optional(
      nullableInteger({
        minimum: 1,
        maximum: COUPON_ISSUE_LIMIT_MAX,
        description: 'How many users may claim it in total; null for no limit (each user may hold one)',
      }),
    ),
  },
  { additionalProperties: false },
);

/** `POST /api/promotion/coupons/claim`: a shopper claims a coupon by its code (any case, spaces trimmed). */
export const CouponClaimBody = Type.Object(
  { couponCode: Type.String({ minLength: 1, maxLength: COUPON_CODE_MAX_LENGTH, pattern: '\\S' }) },
  { additionalProperties: false },
);

export const PolicyInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    targetType: PolicyTargetSchema,
    targetId: Type.Optional(
      nullableInteger({ minimum: 1, description: 'Product or category id; none for ORDER' }),
    ),
    ...discountTerms,
  },
  { additionalProperties: false },
);

const NullableWon = Type.Union([Type.Integer(), Type.Null()]);

export const CouponSchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  discountType: DiscountTypeSchema,
  discountValue: Type.Integer(),
  minOrderAmount: Type.Integer(),
  maxDiscount: NullableWon,
  validFrom: Type.String(),
  validTo: Type.String(),
  totalIssueLimit: NullableWon,
  issuedCount: Type.Integer(),
  status: PromotionStatusSchema,
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const PolicySchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  targetType: PolicyTargetSchema,
  targetId: NullableWon,
  discountType: DiscountTypeSchema,
  discountValue: Type.Integer(),
  minOrderAmount: Type.Integer(),
  maxDiscount: NullableWon,
  validFrom: Type.String(),
  validTo: Type.String(),
  status: PromotionStatusSchema,
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const NullableTimestamp = Type.Union([Type.String(), Type.Null()]);

export const MyCouponSchema = Type.Object({
  couponId: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  discountType: DiscountTypeSchema,
  discountValue: Type.Integer(),
  minOrderAmount: Type.Integer(),
  maxDiscount: NullableWon,
  validFrom: Type.String(),
  validTo: Type.String(),
  status: CouponDisplayStatusSchema,
  usable: Type.Boolean(),
  orderId: Type.Union([Type.String(), Type.Null()]),
  issuedAt: Type.String(),
  reservedAt: NullableTimestamp,
  usedAt: NullableTimestamp,
  restoredAt: NullableTimestamp,
});

/** Coupons and policies are keyed by `serial`. */
export const IdParams = Type.Object({ id: Int32Id() });
