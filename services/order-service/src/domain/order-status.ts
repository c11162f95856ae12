import { ORDER_STATUSES } from '@sagamart/contracts/http/orders';

/**
 * An order's status as shoppers and admins see it:
 * PENDING (reserving stock, coupon, points) → PAYMENT_PENDING (every reservation held) → PAID,
 * and CANCELLED from any of them. A free order (nothing left to pay) goes PENDING → PAID.
 * CANCELLED is final: nothing, not even a late payment, revives an order.
 */
export { ORDER_STATUSES };
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING: ['PAYMENT_PENDING', 'PAID', 'CANCELLED'],
  PAYMENT_PENDING: ['PAID', 'CANCELLED'],
  // After payment, shipping-service's reports move the order on (a delivery may be the first report).
  PAID: ['CANCELLED', 'SHIPPING', 'DELIVERED'],
  SHIPPING: ['DELIVERED'],
  DELIVERED: ['RETURNED'],
  RETURNED: [],
  CANCELLED: [],
};

/** How far an order has gone after payment: shipping reports only ever move it forward. */
const SHIPPING_RANK: Partial<Record<OrderStatus, number>> = {
  PAID: 0,
  SHIPPING: 1,
  DELIVERED: 2,
  RETURNED: 3,
};

/** The status a shipping report asks for, when it moves the order forward; undefined otherwise. */
export function shippingAdvance(
  from: OrderStatus,
  to: 'SHIPPING' | 'DELIVERED' | 'RETURNED',
): OrderStatus | undefined {
  const rank = SHIPPING_RANK[from];
  if (rank === undefined || rank >= SHIPPING_RANK[to]!) return undefined;
  return canTransition(from, to) ? to : undefined;
}

export class OrderStateError extends Error {
  override name = 'OrderStateError';
  constructor(
    readonly from: OrderStatus,
    readonly to: OrderStatus,
  ) {
    super(`An order cannot go from ${from} to ${to}`);
  }
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}

/** Throws unless `from → to` is allowed. */
export function transition(from: OrderStatus, to: OrderStatus): OrderStatus {
  if (!canTransition(from, to)) throw new OrderStateError(from, to);
  return to;
}

/**
 * Before shipping: an order can be cancelled until it is PAID. A PAID order is cancelled only if
 * shipping-service confirms the courier has not picked the parcel up (asked at cancel time).
 */
export function isCancellable(status: OrderStatus): boolean {
  return canTransition(status, 'CANCELLED');
}
