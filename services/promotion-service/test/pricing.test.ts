import { DISCOUNT_AMOUNT_MAX } from '@sagamart/contracts/rules';
import { describe, expect, it } from 'vitest';
import { discountTermsProblems } from '../src/domain/discount-rules.ts';
import { discountOn, type PolicyTerms, type PricedItem, priceOrder } from '../src/domain/pricing.ts';

const now = new Date('2025-06-15T12:00:00Z');
const day = 86_400_000;

function item(overrides: Partial<PricedItem> = {}): PricedItem {
  return { skuId: 1, productId: 100, categoryIds: [], unitPrice: 10_000, quantity: 1, ...overrides };
}

let nextId = 1;
function policy(overrides: Partial<PolicyTerms> = {}): PolicyTerms {
  return {
    id: nextId++,
    name: 'policy',
    targetType: 'ORDER',
    targetId: null,
    discountType: 'RATE',
    discountValue: 10,
    maxDiscount: null,
    minOrderAmount: 0,
    status: 'ACTIVE',
    validFrom: new Date(now.getTime() - day),
    validTo: new Date(now.getTime() + day),
    ...overrides,
  };
}

function price(
  items: PricedItem[],
  policies: PolicyTerms[] = [],
  coupon?: Parameters<typeof priceOrder>[0]['coupon'],
) {
  const result = priceOrder({ items, policies, coupon, now });
  if (!result.ok) throw new Error(`unexpected ${result.reason}`);
  return result.quote;
}

describe('discountOn', () => {
  it('floors a rate to whole won', () => {
    expect(discountOn(9_999, { discountType: 'RATE', discountValue: 15, maxDiscount: null })).toBe(1_499);
  });

  it('caps a rate by maxDiscount after flooring', () => {
    expect(discountOn(100_000, { discountType: 'RATE', discountValue: 50, maxDiscount: 10_000 })).toBe(
      10_000,
    );
    expect(discountOn(19_999, { discountType: 'RATE', discountValue: 50, maxDiscount: 10_000 })).toBe(9_999);
  });

  it('never takes more than the base', () => {
    expect(discountOn(3_000, { discountType: 'FIXED', discountValue: 5_000, maxDiscount: null })).toBe(3_000);
    expect(discountOn(0, { discountType: 'FIXED', discountValue: 5_000, maxDiscount: null })).toBe(0);
    expect(discountOn(7_000, { discountType: 'RATE', discountValue: 100, maxDiscount: null })).toBe(7_000);
  });

  it('takes off at most DISCOUNT_AMOUNT_MAX, however large the base, the stored amount or the cap', () => {
    // Rate × base passes 2^53 here (computed exactly, then bounded).
    expect(
      discountOn(999_899_015_098_500, { discountType: 'RATE', discountValue: 37, maxDiscount: null }),
    ).toBe(DISCOUNT_AMOUNT_MAX);
    expect(discountOn(500_000_000, { discountType: 'RATE', discountValue: 100, maxDiscount: null })).toBe(
      DISCOUNT_AMOUNT_MAX,
    );
    // Stored before the bound existed.
    expect(
      discountOn(500_000_000, { discountType: 'FIXED', discountValue: 1_000_000_000, maxDiscount: null }),
    ).toBe(DISCOUNT_AMOUNT_MAX);
    expect(
      discountOn(500_000_000, { discountType: 'RATE', discountValue: 50, maxDiscount: 50_000_000 }),
    ).toBe(DISCOUNT_AMOUNT_MAX);
    expect(
      discountOn(DISCOUNT_AMOUNT_MAX - 1, { discountType: 'RATE', discountValue: 100, maxDiscount: null }),
    ).toBe(DISCOUNT_AMOUNT_MAX - 1);
  });
});

describe('priceOrder', () => {
  it('sums lines into the subtotal and charges it all without promotions', () => {
    const quote = price([
      item({ unitPrice: 12_300, quantity: 3 }),
      item({ skuId: 2, unitPrice: 500, quantity: 2 }),
    ]);
    expect(quote).toEqual({
      subtotal: 37_900,
      policyDiscounts: [],
      couponDiscount: 0,
      couponId: null,
      totalDiscount: 0,
      payable: 37_900,
      lines: [
        { skuId: 1, itemDiscount: 0 },
        { skuId: 2, itemDiscount: 0 },
      ],
    });
  });

  it('floors a rate once on the whole amount it applies to, not per line', () => {
    const p = policy({ targetType: 'CATEGORY', targetId: 5, discountValue: 15 });
    const quote = price(
      [
        item({ skuId: 1, unitPrice: 999, categoryIds: [5] }),
        item({ skuId: 2, unitPrice: 999, categoryIds: [5] }),
      ],
      [p],
    );
    // Per line it would be 149 + 149 = 298; on the sum 1,998 × 15 % = 299.7 → 299.
    expect(quote.policyDiscounts).toEqual([{ policyId: p.id, name: 'policy', amount: 299 }]);
    expect(quote.payable).toBe(1_998 - 299);
  });

  it('applies a PRODUCT policy to that product only, and caps a FIXED amount by the targeted lines', () => {
    const p = policy({ targetType: 'PRODUCT', targetId: 7, discountType: 'FIXED', discountValue: 5_000 });
    const quote = price(
      [item({ productId: 7, unitPrice: 3_000 }), item({ skuId: 2, productId: 8, unitPrice: 20_000 })],
      [p],
    );
    expect(quote.policyDiscounts).toEqual([{ policyId: p.id, name: 'policy', amount: 3_000 }]);
    expect(quote.payable).toBe(20_000);
    expect(quote.lines).toEqual([
      { skuId: 1, itemDiscount: 3_000 },
      { skuId: 2, itemDiscount: 0 },
    ]);
  });

  it('applies a CATEGORY policy to its descendants through the ancestors the item carries', () => {
    const top = policy({ targetType: 'CATEGORY', targetId: 1, discountType: 'FIXED', discountValue: 1_000 });
    const quote = price(
      [
        item({ skuId: 1, productId: 10, unitPrice: 10_000, categoryIds: [7, 3, 1] }),
        item({ skuId: 2, productId: 11, unitPrice: 10_000, categoryIds: [8, 4, 2] }),
      ],
      [top],
    );
    expect(quote.policyDiscounts.map((d) => d.amount)).toEqual([1_000]);
    const outside = price([item({ categoryIds: [8, 4, 2] })], [top]);
    expect(outside.policyDiscounts).toEqual([]);
  });

  it('adds item policies up but never discounts a line below zero', () => {
    const a = policy({ targetType: 'PRODUCT', targetId: 100, discountValue: 60 });
    const b = policy({ targetType: 'PRODUCT', targetId: 100, discountValue: 60 });
    const quote = price(
      [item({ unitPrice: 10_000 }), item({ skuId: 2, productId: 200, unitPrice: 5_000 })],
      [b, a],
    );
    // In id order: a takes 6,000, b is left with 4,000 of the targeted line; the other line is untouched.
    expect(quote.policyDiscounts).toEqual([
      { policyId: a.id, name: 'policy', amount: 6_000 },
      { policyId: b.id, name: 'policy', amount: 4_000 },
    ]);
    expect(quote.payable).toBe(5_000);
    expect(quote.lines.map((l) => l.itemDiscount)).toEqual([10_000, 0]);
  });

  it('splits an item policy over its lines by their amounts, whatever their order', () => {
    const half = policy({ targetType: 'PRODUCT', targetId: 7, discountValue: 50 });
    const one = item({ skuId: 1, productId: 7, unitPrice: 100_000 });
    const other = item({ skuId: 2, productId: 7, unitPrice: 100_000 });
    for (const items of [
      [one, other],
      [other, one],
    ]) {
      const quote = price(items, [half]);
      expect(quote.policyDiscounts.map((d) => d.amount)).toEqual([100_000]);
      expect(quote.payable).toBe(100_000);
      expect(quote.lines.map((l) => l.itemDiscount)).toEqual([50_000, 50_000]);
    }
  });

  it('splits a capped policy by line amount, the rounding remainder on the last line', () => {
    const capped = policy({ targetType: 'CATEGORY', targetId: 9, discountValue: 10, maxDiscount: 5_000 });
    const cheap = item({ skuId: 1, productId: 1, categoryIds: [9], unitPrice: 5_000 });
    const dear = item({ skuId: 2, productId: 2, categoryIds: [9], unitPrice: 100_000 });
    // 5,000 over 105,000: 5,000 × 5,000 / 105,000 = 238.1 → 238; the dear line 4,761.9 → 4,761.
    const quote = price([cheap, dear], [capped]);
    expect(quote.policyDiscounts.map((d) => d.amount)).toEqual([5_000]);
    expect(quote.payable).toBe(100_000);
    expect(quote.lines).toEqual([
      { skuId: 1, itemDiscount: 238 },
      { skuId: 2, itemDiscount: 4_762 },
    ]);
    expect(price([dear, cheap], [capped]).lines).toEqual([
      { skuId: 2, itemDiscount: 4_761 },
      { skuId: 1, itemDiscount: 239 },
    ]);
  });

  it('gives what a line cannot take to the other targeted lines, by their amounts', () => {
    const product = policy({ targetType: 'PRODUCT', targetId: 1, discountValue: 90 });
    const category = policy({ targetType: 'CATEGORY', targetId: 9, discountValue: 50 });
    const a = item({ skuId: 1, productId: 1, categoryIds: [9], unitPrice: 10_000 });
    const b = item({ skuId: 2, productId: 2, categoryIds: [9], unitPrice: 10_000 });
    const c = item({ skuId: 3, productId: 3, categoryIds: [9], unitPrice: 30_000 });
    const quote = price([a, b, c], [category, product]);
    // The product policy leaves 1,000 of a. The category's 25,000 would be 5,000 / 5,000 / 15,000;
    // a holds 1,000, and its other 4,000 go to b and c as 1 : 3.
    expect(quote.policyDiscounts.map((d) => d.amount)).toEqual([9_000, 25_000]);
    expect(quote.lines.map((l) => l.itemDiscount)).toEqual([10_000, 6_000, 18_000]);
    expect(quote.payable).toBe(16_000);
  });

  it('prices overlapping item policies the same in any line order', () => {
    const category = policy({
      targetType: 'CATEGORY',
      targetId: 9,
      discountType: 'FIXED',
      discountValue: 10_000,
    });
    const product = policy({ targetType: 'PRODUCT', targetId: 1, discountValue: 100 });
    const a = item({ skuId: 1, productId: 1, categoryIds: [9], unitPrice: 10_000 });
    const b = item({ skuId: 2, productId: 2, categoryIds: [9], unitPrice: 10_000 });
    // The category's 10,000 is 5,000 on each line; the product policy then frees what is left of a.
    for (const items of [
      [a, b],
      [b, a],
    ]) {
      const quote = price(items, [category, product]);
      expect(quote.policyDiscounts.map((d) => d.amount)).toEqual([10_000, 5_000]);
      expect(quote.payable).toBe(5_000);
    }
  });

  it('applies item policies, then ORDER policies on what is left, then the coupon on what is left after that', () => {
    const itemPolicy = policy({ targetType: 'PRODUCT', targetId: 100, discountValue: 10 });
    const orderPolicy = policy({ targetType: 'ORDER', discountValue: 10 });
    const quote = price(
      [item({ productId: 100, unitPrice: 10_000 }), item({ skuId: 2, productId: 200, unitPrice: 10_000 })],
      [orderPolicy, itemPolicy],
      { couponId: 9, discountType: 'RATE', discountValue: 10, maxDiscount: null, minOrderAmount: 0 },
    );
    // 20,000 → item 1,000 → order 10 % of 19,000 = 1,900 → coupon 10 % of 17,100 = 1,710.
    expect(quote).toEqual({
      subtotal: 20_000,
      policyDiscounts: [
        { policyId: itemPolicy.id, name: 'policy', amount: 1_000 },
        { policyId: orderPolicy.id, name: 'policy', amount: 1_900 },
      ],
      couponDiscount: 1_710,
      couponId: 9,
      totalDiscount: 4_610,
      payable: 15_390,
      // Only the item policy is a line's own; the ORDER policy and the coupon are the whole order's.
      lines: [
        { skuId: 1, itemDiscount: 1_000 },
        { skuId: 2, itemDiscount: 0 },
      ],
    });
  });

  it('never lets the payable amount go below zero', () => {
    const quote = price(
      [item({ unitPrice: 8_000 })],
      [
        policy({ discountType: 'FIXED', discountValue: 5_000 }),
        policy({ discountType: 'FIXED', discountValue: 5_000 }),
      ],
      { couponId: 1, discountType: 'FIXED', discountValue: 10_000, maxDiscount: null, minOrderAmount: 0 },
    );
    expect(quote.policyDiscounts.map((d) => d.amount)).toEqual([5_000, 3_000]);
    expect(quote.couponDiscount).toBe(0);
    // Nothing taken off: not applied, so no order uses it up.
    expect(quote.couponId).toBeNull();
    expect(quote.payable).toBe(0);
  });

  it('caps a coupon by its maxDiscount', () => {
    const quote = price([item({ unitPrice: 100_000, quantity: 2 })], [], {
      couponId: 3,
      discountType: 'RATE',
      discountValue: 30,
      maxDiscount: 25_000,
      minOrderAmount: 0,
    });
    expect(quote.couponDiscount).toBe(25_000);
    expect(quote.payable).toBe(175_000);
  });

  it('skips a policy whose minimum order amount the subtotal does not reach (inclusive)', () => {
    const p = policy({ discountType: 'FIXED', discountValue: 3_000, minOrderAmount: 50_000 });
    expect(price([item({ unitPrice: 49_999 })], [p]).policyDiscounts).toEqual([]);
    expect(price([item({ unitPrice: 50_000 })], [p]).policyDiscounts.map((d) => d.amount)).toEqual([3_000]);
  });

  it('compares the coupon minimum with the subtotal before discounts', () => {
    const coupon = {
      couponId: 4,
      discountType: 'FIXED' as const,
      discountValue: 1_000,
      maxDiscount: null,
      minOrderAmount: 30_000,
    };
    const bigPolicy = policy({ discountType: 'FIXED', discountValue: 20_000 });
    const met = price([item({ unitPrice: 30_000 })], [bigPolicy], coupon);
    expect(met.couponDiscount).toBe(1_000);
    const notMet = priceOrder({ items: [item({ unitPrice: 29_999 })], policies: [], coupon, now });
    expect(notMet).toEqual({ ok: false, reason: 'MIN_ORDER_AMOUNT', minOrderAmount: 30_000 });
  });

  it('applies a policy only while ACTIVE and inside its validity window (inclusive)', () => {
    const items = [item({ unitPrice: 10_000 })];
    const fixed = { discountType: 'FIXED' as const, discountValue: 100 };
    const amounts = (p: PolicyTerms) => price(items, [p]).policyDiscounts.map((d) => d.amount);
    expect(amounts(policy({ ...fixed, validFrom: new Date(now.getTime() + 1) }))).toEqual([]);
    expect(amounts(policy({ ...fixed, validTo: new Date(now.getTime() - 1) }))).toEqual([]);
    expect(amounts(policy({ ...fixed, validFrom: now }))).toEqual([100]);
    expect(amounts(policy({ ...fixed, validTo: now }))).toEqual([100]);
    expect(amounts(policy({ ...fixed, status: 'INACTIVE' }))).toEqual([]);
  });

  it('leaves out policies that take nothing (no targeted line)', () => {
    const quote = price([item({ productId: 1 })], [policy({ targetType: 'PRODUCT', targetId: 2 })]);
    expect(quote.policyDiscounts).toEqual([]);
  });
});

describe('discount terms', () => {
  const valid = {
    discountType: 'RATE' as const,
    discountValue: 10,
    maxDiscount: 5_000,
    minOrderAmount: 0,
    validFrom: new Date(now.getTime()),
    validTo: new Date(now.getTime() + day),
  };

  it('accepts valid terms', () => {
    expect(discountTermsProblems(valid)).toEqual([]);
    expect(discountTermsProblems({ ...valid, discountValue: 100 })).toEqual([]);
    expect(discountTermsProblems({ ...valid, discountValue: 1 })).toEqual([]);
    expect(
      discountTermsProblems({ ...valid, discountType: 'FIXED', discountValue: 3_000, maxDiscount: null }),
    ).toEqual([]);
  });

  it('keeps a rate between 1 and 100', () => {
    expect(discountTermsProblems({ ...valid, discountValue: 101 }).map((p) => p.field)).toEqual([
      'discountValue',
    ]);
    expect(discountTermsProblems({ ...valid, discountValue: 0 }).map((p) => p.field)).toEqual([
      'discountValue',
    ]);
  });

  it('caps only RATE discounts, with a positive cap', () => {
    expect(
      discountTermsProblems({ ...valid, discountType: 'FIXED', discountValue: 1_000 }).map((p) => p.field),
    ).toEqual(['maxDiscount']);
    expect(discountTermsProblems({ ...valid, maxDiscount: 0 }).map((p) => p.field)).toEqual(['maxDiscount']);
  });

  it('needs validFrom before validTo', () => {
    expect(discountTermsProblems({ ...valid, validTo: valid.validFrom }).map((p) => p.field)).toEqual([
      'validTo',
    ]);
  });

  it('refuses a negative minimum order amount', () => {
    expect(discountTermsProblems({ ...valid, minOrderAmount: -1 }).map((p) => p.field)).toEqual([
      'minOrderAmount',
    ]);
  });
});
