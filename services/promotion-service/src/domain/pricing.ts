import { DISCOUNT_AMOUNT_MAX } from '@sagamart/contracts/rules';
import { type Discount, withinValidity } from './discount-rules.ts';

// Pricing: the single source of truth for what an order costs after promotions.
//
// Rules (also in docs/adr/0004-order-saga.md):
// - A line is unitPrice × quantity; the subtotal is the sum of the lines.
// - Discounts apply in three stages, each on what the previous stages left:
//   1. item policies (PRODUCT, CATEGORY) on the lines they target: each computed on the targeted
//      lines' full amount, so two item policies add up (10 % + 20 % = 30 %);
//   2. ORDER policies on the amount left after stage 1, adding up the same way;
//   3. the coupon (at most one) on the amount left after every policy.
// - Rounding: a RATE discount is floored to whole won once per discount, on the whole amount it
//   applies to (not per line), before its maxDiscount cap. FIXED is taken as is.
// - Caps: a discount never exceeds its maxDiscount, DISCOUNT_AMOUNT_MAX (contracts' rules.ts: an
//   uncapped RATE one, and one stored above the bound before it existed, included) nor what is left of
//   the amount it applies to (policies in policy id order), so the payable amount never goes below
//   zero and a line is never discounted below zero.
// - A coupon that takes nothing off (the policies left nothing, or its rate floors to 0) is not
//   applied: the quote's couponId is null, so an order placed from it does not use the coupon up.
// - An item policy is split over its targeted lines in proportion to their amounts (rounded down, the
//   remainder on the last line); a line that has less left than its part (an earlier policy took it)
//   keeps what it has and the rest goes to the other targeted lines the same way. Line order never
//   decides which line is discounted.
// - The quote names each line's item discount (stage 1, what it took from that line); stages 2 and 3
//   belong to the whole order. Refunds of returned lines depend on that split.
// - Minimum order amounts are compared with the subtotal (before any discount); a policy whose
//   minimum is not met is skipped, a coupon whose minimum is not met is unavailable.
// - Validity: a policy applies when ACTIVE and validFrom ≤ now ≤ validTo (inclusive).
// - A CATEGORY policy applies to an item whose categoryIds (the leaf categories and all their
//   ancestors, as the caller passes them) contain the policy's category: so to all descendants.

export interface PricedItem {
  skuId: number;
  productId: number;
  /** Leaf categories and all their ancestors. */
  categoryIds: number[];
  unitPrice: number;
  quantity: number;
}

export type PolicyTarget = 'PRODUCT' | 'CATEGORY' | 'ORDER';

export interface PolicyTerms extends Discount {
  id: number;
  name: string;
  targetType: PolicyTarget;
  /** Product or category id; null for ORDER. */
  targetId: number | null;
  minOrderAmount: number;
  status: 'ACTIVE' | 'INACTIVE';
  validFrom: Date;
  validTo: Date;
}

export interface CouponTerms extends Discount {
  couponId: number;
  minOrderAmount: number;
}

export interface PolicyDiscount {
  policyId: number;
  name: string;
  amount: number;
}

/** One item of the request, with what its item policies (PRODUCT, CATEGORY) took off it. */
export interface QuoteLine {
  skuId: number;
  itemDiscount: number;
}

export interface Quote {
  subtotal: number;
  policyDiscounts: PolicyDiscount[];
  couponDiscount: number;
  couponId: number | null;
  totalDiscount: number;
  payable: number;
  /** The items in request order: order-service keeps each line's own discount on that line. */
  lines: QuoteLine[];
}

export type PriceResult =
  | { ok: true; quote: Quote }
  | { ok: false; reason: 'MIN_ORDER_AMOUNT'; minOrderAmount: number };

/**
 * What a discount takes off `base` before the "what is left" cap: floored, then capped by maxDiscount
 * and by DISCOUNT_AMOUNT_MAX.
 */
export function discountOn(base: number, discount: Discount): number {
  if (base <= 0) return 0;
  const raw =
    discount.discountType === 'FIXED'
      ? discount.discountValue
      : // BigInt: base × rate may pass 2^53 for large orders.
        Number((BigInt(base) * BigInt(discount.discountValue)) / 100n);
  const cap = Math.min(discount.maxDiscount ?? DISCOUNT_AMOUNT_MAX, DISCOUNT_AMOUNT_MAX);
  return Math.max(0, Math.min(raw, cap, base));
}

export function policyApplies(policy: PolicyTerms, item: PricedItem): boolean {
  switch (policy.targetType) {
    case 'PRODUCT':
      return item.productId === policy.targetId;
    case 'CATEGORY':
      return policy.targetId !== null && item.categoryIds.includes(policy.targetId);
    case 'ORDER':
      return true;
  }
}

/** Prices items with every live policy and, optionally, one coupon whose ownership and state were checked. */
export function priceOrder(input: {
  items: PricedItem[];
  policies: PolicyTerms[];
  coupon?: CouponTerms | undefined;
  now: Date;
}): PriceResult {
  const lines = input.items.map((item) => {
    const amount = item.unitPrice * item.quantity;
    return { item, amount, left: amount };
  });
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  if (input.coupon && subtotal < input.coupon.minOrderAmount) {
    return { ok: false, reason: 'MIN_ORDER_AMOUNT', minOrderAmount: input.coupon.minOrderAmount };
  }
  const live = input.policies
    .filter((p) => p.status === 'ACTIVE' && withinValidity(p, input.now) && subtotal >= p.minOrderAmount)
    .sort((a, b) => a.id - b.id);

  const policyDiscounts: PolicyDiscount[] = [];
  for (const policy of live.filter((p) => p.targetType !== 'ORDER')) {
    const targeted = lines.filter((line) => policyApplies(policy, line.item));
    const base = targeted.reduce((sum, line) => sum + line.amount, 0);
    const room = targeted.reduce((sum, line) => sum + line.left, 0);
    const amount = Math.min(discountOn(base, policy), room);
    if (amount <= 0) continue;
    policyDiscounts.push({ policyId: policy.id, name: policy.name, amount });
    const parts = splitByAmount(
      amount,
      targeted.map((line) => line.amount),
      targeted.map((line) => line.left),
    );
    targeted.forEach((line, i) => {
      line.left -= parts[i]!;
    });
  }

  const afterItems = lines.reduce((sum, line) => sum + line.left, 0);
  let left = afterItems;
  for (const policy of live.filter((p) => p.targetType === 'ORDER')) {
    const amount = Math.min(discountOn(afterItems, policy), left);
    if (amount <= 0) continue;
    policyDiscounts.push({ policyId: policy.id, name: policy.name, amount });
    left -= amount;
  }

  const couponDiscount = input.coupon ? Math.min(discountOn(left, input.coupon), left) : 0;
  const totalDiscount = subtotal - left + couponDiscount;
  return {
    ok: true,
    quote: {
      subtotal,
      policyDiscounts,
      couponDiscount,
      couponId: input.coupon && couponDiscount > 0 ? input.coupon.couponId : null,
      totalDiscount,
      payable: subtotal - totalDiscount,
      lines: lines.map((line) => ({ skuId: line.item.skuId, itemDiscount: line.amount - line.left })),
    },
  };
}

/**
 * Splits `total` over lines in proportion to `amounts`, each part rounded down and the remainder on
 * the last line, with no line given more than its `room`: what a full line cannot take is split again
 * the same way over the lines that still have room. Requires 0 ≤ total ≤ Σ room and room ≤ amounts.
 */
function splitByAmount(total: number, amounts: readonly number[], room: readonly number[]): number[] {
  const parts = amounts.map(() => 0);
  let rest = total;
  // Each round either places all of `rest` or fills at least one line, so it ends.
  while (rest > 0) {
    const open = amounts.flatMap((_, i) => (room[i]! - parts[i]! > 0 ? [i] : []));
    if (open.length === 0)
      throw new RangeError(`Cannot split ${total} over lines with room ${room.join(', ')}`);
    const weight = open.reduce((sum, i) => sum + amounts[i]!, 0);
    let given = 0;
    let placed = 0;
    open.forEach((i, k) => {
      // BigInt: rest × amount can pass 2^53 for large orders.
      const share =
        k === open.length - 1 ? rest - given : Number((BigInt(rest) * BigInt(amounts[i]!)) / BigInt(weight));
      given += share;
      const take = Math.min(share, room[i]! - parts[i]!);
      parts[i]! += take;
      placed += take;
    });
    rest -= placed;
  }
  return parts;
}
