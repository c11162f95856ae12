import type { OrderCancelReason } from '@sagamart/contracts';

// payment-service's copy of an order, kept from order.placed / order.cancelled. Events may arrive in
// any order and more than once: a change applies only when its version is newer than the copy's,
// and CANCELLED is final (order-service never revives a cancelled order), so a late or replayed
// order.placed can never reopen it.

export type KnownOrderStatus = 'PLACED' | 'CANCELLED';

export interface KnownOrder {
  orderId: string;
  orderNumber: string;
  userId: string;
  payableAmount: number;
  orderName: string;
  status: KnownOrderStatus;
  cancelReason: OrderCancelReason | null;
  version: number;
}

export type OrderChange =
  | {
      kind: 'placed';
      orderId: string;
      orderNumber: string;
      userId: string;
      payableAmount: number;
      orderName: string;
      version: number;
    }
  | {
      kind: 'cancelled';
      orderId: string;
      orderNumber: string;
      userId: string;
      payableAmount: number;
      reason: OrderCancelReason;
      version: number;
    };

/** The copy after an event, or undefined when the event changes nothing (stale or duplicate). */
export function applyOrderChange(
  current: KnownOrder | undefined,
  change: OrderChange,
): KnownOrder | undefined {
  if (current && change.version <= current.version) {
    // Stale, but a cancel is never lost: it is final whatever its version says.
    if (change.kind === 'cancelled' && current.status !== 'CANCELLED') {
      return { ...current, status: 'CANCELLED', cancelReason: change.reason };
    }
    return undefined;
  }
  if (change.kind === 'placed') {
    return {
      orderId: change.orderId,
      orderNumber: change.orderNumber,
      userId: change.userId,
      payableAmount: change.payableAmount,
      orderName: change.orderName,
      status: current?.status === 'CANCELLED' ? 'CANCELLED' : 'PLACED',
      cancelReason: current?.cancelReason ?? null,
      version: change.version,
    };
  }
  return {
    orderId: change.orderId,
    orderNumber: change.orderNumber,
    userId: change.userId,
    payableAmount: change.payableAmount,
    orderName: current?.orderName ?? change.orderNumber,
    status: 'CANCELLED',
    cancelReason: change.reason,
    version: change.version,
  };
}
