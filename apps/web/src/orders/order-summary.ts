import { i18n } from '../i18n/i18n.ts';
import type { Claim } from './after-sale-api.ts';
import type { Order, OrderStatus, OrderSummary } from './orders-api.ts';

// What an order's summary shows beside the server's amounts: its name in the reader's language, what it
// cost when points paid for some or all of it, and which units went back.

/** The statuses an order reaches only once paid: by card, by points alone, or with nothing to pay. */
const PAID_STATUSES: ReadonlySet<OrderStatus> = new Set(['PAID', 'SHIPPING', 'DELIVERED', 'RETURNED']);

export function isPaid(status: OrderStatus): boolean {
  return PAID_STATUSES.has(status);
}

/**
 * "티셔츠 외 2건" / "티셔츠 and 2 more". order-service's `orderName` is the PG's Korean label, so the
 * name is worded here from the first line and the count of the others; an order without lines keeps it.
 */
export function orderTitle(
  order: Pick<OrderSummary, 'orderName' | 'firstProductName' | 'itemCount'>,
): string {
  if (!order.firstProductName) return order.orderName;
  const others = order.itemCount - 1;
  return others > 0
    ? i18n.t('order.nameWithOthers', { name: order.firstProductName, count: others })
    : order.firstProductName;
}

/**
 * What returns got back to the card (the part of the order's `refundedAmount`, everything given back,
 * that its approved payment gave back in part). An order-service from before `returnsRefundedAmount`
 * sends none: its detail's `refundedAmount` was the returns' alone then.
 */
export function returnsRefunded(order: Pick<Order, 'refundedAmount' | 'returnsRefundedAmount'>): number {
  return order.returnsRefundedAmount ?? order.refundedAmount;
}

/** What the order cost after discounts: the card's share and the points' (a points-only order pays 0 by card). */
export function orderTotal(order: Pick<OrderSummary, 'payableAmount' | 'pointsUsed'>): number {
  return order.payableAmount + order.pointsUsed;
}

/** Units of one order line in returns and exchanges: done, and under way (asked for, collecting, re-shipping). */
export interface LineClaims {
  returned: number;
  exchanged: number;
  returning: number;
  exchanging: number;
}

/** By order line id: the units each return or exchange (not rejected) took, done or under way. */
export function claimsByLine(claims: readonly Claim[]): Map<number, LineClaims> {
  const lines = new Map<number, LineClaims>();
  for (const claim of claims) {
    if (claim.status === 'REJECTED') continue;
    const done = claim.status === 'COMPLETED' || claim.status === 'EXCHANGED';
    const kind: keyof LineClaims =
      claim.type === 'RETURN' ? (done ? 'returned' : 'returning') : done ? 'exchanged' : 'exchanging';
    for (const item of claim.items) {
      const line = lines.get(item.orderItemId) ?? { returned: 0, exchanged: 0, returning: 0, exchanging: 0 };
      line[kind] += item.quantity;
      lines.set(item.orderItemId, line);
    }
  }
  return lines;
}
