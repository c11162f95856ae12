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
  PAID: ['CANCELLED'],
  CANCELLED: [],
};

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

/** Before shipping (there is no shipping yet, so every status but CANCELLED). */
export function isCancellable(status: OrderStatus): boolean {
  return canTransition(status, 'CANCELLED');
}
