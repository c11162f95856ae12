import { DISCOUNT_AMOUNT_MAX } from '@sagamart/contracts/rules';
import { afterEach, describe, expect, it } from 'vitest';
import { i18n, setLanguage } from '../i18n/i18n.ts';
import { toShopInput } from '../lib/format.ts';
import type { Coupon } from './admin-promotion-api.ts';
import {
  couponFormOf,
  couponInputOf,
  emptyPolicyForm,
  validateCouponForm,
  validatePolicyForm,
} from './promotion-form.ts';

/** A coupon saved through the API, its times to the millisecond (the form shows minutes). */
function savedCoupon(overrides: Partial<Coupon> = {}): Coupon {
  return {
    id: 7,
    code: 'WELCOME5000',
    name: '가입 축하 쿠폰',
    discountType: 'FIXED',
    discountValue: 5_000,
    minOrderAmount: 30_000,
    maxDiscount: null,
    validFrom: '2026-12-01T03:04:05.678Z',
    validTo: '2026-12-31T14:59:59.999Z',
    totalIssueLimit: 100,
    issuedCount: 3,
    status: 'ACTIVE',
    createdAt: '2026-12-01T03:04:05.678Z',
    updatedAt: '2026-12-01T03:04:05.678Z',
    ...overrides,
  };
}

describe('the coupon form of an issued coupon', () => {
  it('sends the terms its holders were given back exactly as saved', () => {
    const coupon = savedCoupon();
    const values = {
      ...couponFormOf(coupon),
      name: '새 이름',
      totalIssueLimit: '200',
      status: 'INACTIVE' as const,
    };
    expect(validateCouponForm(values, coupon)).toEqual(
      expect.not.objectContaining({ validTo: expect.any(String) }),
    );
    expect(couponInputOf(values, coupon)).toEqual({
      code: 'WELCOME5000',
      name: '새 이름',
      discountType: 'FIXED',
      discountValue: 5_000,
      minOrderAmount: 30_000,
      maxDiscount: null,
      validFrom: '2026-12-01T03:04:05.678Z',
      validTo: '2026-12-31T14:59:59.999Z',
      totalIssueLimit: 200,
      status: 'INACTIVE',
    });
  });

  it('lets the end move later, never earlier', () => {
    const coupon = savedCoupon();
    const later = { ...couponFormOf(coupon), validTo: '2027-01-31T23:59' };
    expect(validateCouponForm(later, coupon).validTo).toBeUndefined();
    expect(couponInputOf(later, coupon).validTo).toBe(new Date('2027-01-31T23:59:00+09:00').toISOString());
    const earlier = { ...couponFormOf(coupon), validTo: '2026-12-20T00:00' };
    expect(validateCouponForm(earlier, coupon).validTo).toBe(
      i18n.t('adminPromotion.validation.validToShortened'),
    );
  });

  it('leaves every term of a coupon nobody holds to the admin', () => {
    const coupon = savedCoupon({ issuedCount: 0 });
    const values = {
      ...couponFormOf(coupon),
      code: 'welcome10',
      discountType: 'RATE' as const,
      discountValue: '10',
      validTo: '2026-12-20T00:00',
    };
    expect(validateCouponForm(values, coupon).validTo).toBeUndefined();
    expect(couponInputOf(values, coupon)).toMatchObject({
      code: 'WELCOME10',
      discountType: 'RATE',
      discountValue: 10,
      validFrom: new Date(`${toShopInput(new Date(coupon.validFrom))}:00+09:00`).toISOString(),
    });
  });
});

// promotion-service refuses a fixed amount or a rate's cap above DISCOUNT_AMOUNT_MAX (10,000,000원):
// the form says so, with the limit, before sending.
describe('the most a discount may take off', () => {
  afterEach(() => setLanguage('ko'));
  const fixed = (discountValue: string) => ({
    ...couponFormOf(savedCoupon({ issuedCount: 0 })),
    discountValue,
  });

  it('refuses a fixed amount above the maximum and names it, formatted', () => {
    expect(validateCouponForm(fixed('10,000,001')).discountValue).toBe(
      '할인 금액은 10,000,000원 이하로 입력하세요.',
    );
    expect(validateCouponForm(fixed('1000000000')).discountValue).toBe(
      '할인 금액은 10,000,000원 이하로 입력하세요.',
    );
    expect(validateCouponForm(fixed(String(DISCOUNT_AMOUNT_MAX))).discountValue).toBeUndefined();
    expect(
      validatePolicyForm({ ...emptyPolicyForm(), discountValue: String(DISCOUNT_AMOUNT_MAX + 1) })
        .discountValue,
    ).toBe('할인 금액은 10,000,000원 이하로 입력하세요.');
  });

  it('refuses a rate’s cap above it the same way, naming the cap, in English too', async () => {
    const rate = { ...fixed('10'), discountType: 'RATE' as const, maxDiscount: '20,000,000' };
    expect(validateCouponForm(rate).maxDiscount).toBe('최대 할인 금액은 10,000,000원 이하로 입력하세요.');
    expect(validateCouponForm({ ...rate, maxDiscount: '10,000,000' }).maxDiscount).toBeUndefined();
    await setLanguage('en');
    expect(validateCouponForm(rate).maxDiscount).toBe('The maximum discount is at most ₩10,000,000.');
  });
});
