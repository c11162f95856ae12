/**
 * Order amounts in integer won. Prices come from product-service and discounts from promotion-service's
 * quote; nothing the client sends about money is ever read.
 */
export interface RequestedItem {
  skuId: number;
  quantity: number;
}

/** The same SKU listed twice becomes one line with the quantities summed, in first-seen order. */
export function mergeItems(items: readonly RequestedItem[]): RequestedItem[] {
  const merged = new Map<number, number>();
  for (const item of items) merged.set(item.skuId, (merged.get(item.skuId) ?? 0) + item.quantity);
  return [...merged].map(([skuId, quantity]) => ({ skuId, quantity }));
}

export interface PricedLine {
  unitPrice: number;
  quantity: number;
}

export function lineTotal(line: PricedLine): number {
  return line.unitPrice * line.quantity;
}

export function subtotalOf(lines: readonly PricedLine[]): number {
  return lines.reduce((sum, line) => sum + lineTotal(line), 0);
}

export interface OrderTotals {
  subtotal: number;
  discountAmount: number;
  pointsUsed: number;
  payableAmount: number;
}

export class TotalsError extends Error {
  override name = 'TotalsError';
  constructor(
    readonly code: 'points-exceed-payable' | 'points-exceed-balance' | 'discount-exceeds-subtotal',
    message: string,
  ) {
    super(message);
  }
}

/**
 * subtotal − discount − points = payable. Points may cover at most what is left after discounts and
 * at most the balance; the balance check is repeated (atomically) by user-service when reserving.
 */
export function orderTotals(input: {
  subtotal: number;
  discountAmount: number;
  pointsToUse: number;
  pointsBalance: number;
}): OrderTotals {
  const { subtotal, discountAmount, pointsToUse, pointsBalance } = input;
  if (discountAmount > subtotal) {
    throw new TotalsError(
      'discount-exceeds-subtotal',
      `A discount of ${discountAmount} exceeds the subtotal ${subtotal}`,
    );
  }
  const afterDiscount = subtotal - discountAmount;
  if (pointsToUse > afterDiscount) {
    throw new TotalsError(
      'points-exceed-payable',
      `At most ${afterDiscount} points can be used on this order`,
    );
  }
  if (pointsToUse > pointsBalance) {
    throw new TotalsError(
      'points-exceed-balance',
      `Only ${pointsBalance} points are available; ${pointsToUse} requested`,
    );
  }
  return { subtotal, discountAmount, pointsUsed: pointsToUse, payableAmount: afterDiscount - pointsToUse };
}

/** The PG window's label: "티셔츠" or "티셔츠 외 2건", at most 100 characters. */
export function orderName(productNames: readonly string[]): string {
  const first = productNames[0] ?? '주문';
  const rest = productNames.length - 1;
  const suffix = rest > 0 ? ` 외 ${rest}건` : '';
  const room = 100 - suffix.length;
  return (first.length > room ? `${first.slice(0, room - 1)}…` : first) + suffix;
}
