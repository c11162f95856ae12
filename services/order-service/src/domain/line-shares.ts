/**
 * Each order line's share of the order's discounts and points, fixed when the order is placed, so a
 * later return refunds exactly what the shopper paid for the returned units (see issue 10, "Refund
 * amounts are exact"). Integer won throughout. Stored shares are never recomputed: orders placed
 * before item discounts stayed on their lines keep the whole discount spread by line amount.
 */

export interface LineShare {
  /** unitPrice × quantity. */
  lineAmount: number;
  discountShare: number;
  pointsShare: number;
  /** lineAmount − discountShare − pointsShare: what the PG was paid for this line. */
  payableShare: number;
}

/**
 * Splits `total` over `weights` in proportion, each share rounded down and the rounding remainder on
 * the last line. No share ever exceeds its weight: when the last line cannot hold the remainder (tiny
 * last lines), the excess moves to the lines before it, nearest first. Requires 0 ≤ total ≤ Σ weights.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, w) => a + w, 0);
  if (!Number.isSafeInteger(total) || total < 0 || total > sum) {
    throw new RangeError(`Cannot split ${total} over lines worth ${sum}`);
  }
  if (weights.length === 0) return [];
  // BigInt: total × weight can pass 2^53 for large orders.
  const shares = weights.map((w) => (sum === 0 ? 0 : Number((BigInt(total) * BigInt(w)) / BigInt(sum))));
  const last = weights.length - 1;
  shares[last] = total - shares.slice(0, last).reduce((a, s) => a + s, 0);
  let excess = shares[last]! - weights[last]!;
  if (excess > 0) shares[last] = weights[last]!;
  for (let i = last - 1; excess > 0 && i >= 0; i--) {
    const room = weights[i]! - shares[i]!;
    const moved = Math.min(room, excess);
    shares[i]! += moved;
    excess -= moved;
  }
  return shares;
}

/**
 * Each line's shares. `discountAmount` is the order's whole discount; a line's `itemDiscount` (its own
 * PRODUCT and CATEGORY policies, from the quote) stays on that line, and the rest (ORDER policies,
 * the coupon) is split by what each line has left after its item discount. The points are split by
 * what is left of each line after its whole discount (points pay for discounted amounts only). The
 * shares add up exactly to the order's totals.
 */
export function lineShares(
  lines: readonly { unitPrice: number; quantity: number; itemDiscount?: number }[],
  discountAmount: number,
  pointsUsed: number,
): LineShare[] {
  const amounts = lines.map((l) => l.unitPrice * l.quantity);
  const own = lines.map((l) => l.itemDiscount ?? 0);
  const ownTotal = own.reduce((a, d) => a + d, 0);
  if (own.some((d, i) => !Number.isSafeInteger(d) || d < 0 || d > amounts[i]!) || ownTotal > discountAmount) {
    throw new RangeError(
      `Item discounts ${own.join(', ')} do not fit the lines or the discount ${discountAmount}`,
    );
  }
  const afterOwn = amounts.map((a, i) => a - own[i]!);
  const orderWide = allocate(discountAmount - ownTotal, afterOwn);
  const discounts = own.map((d, i) => d + orderWide[i]!);
  const afterDiscount = amounts.map((a, i) => a - discounts[i]!);
  const points = allocate(pointsUsed, afterDiscount);
  return amounts.map((lineAmount, i) => ({
    lineAmount,
    discountShare: discounts[i]!,
    pointsShare: points[i]!,
    payableShare: afterDiscount[i]! - points[i]!,
  }));
}

/** "블랙 / L": the option values in the product's order; empty for a product without options. */
export function optionLabel(options: Readonly<Record<string, string>>): string {
  return Object.values(options).join(' / ');
}
