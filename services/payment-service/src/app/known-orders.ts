import type {
  OrderCancelledPayload,
  OrderPlacedPayload,
  PointChargeCancelledPayload,
  PointChargeRequestedPayload,
} from '@sagamart/contracts';
import {
  ChangeWaiters,
  type Kysely,
  lockForTransaction,
  type Selectable,
  type ServiceContext,
  type Transaction,
} from '@sagamart/kit';
import { applyOrderChange, type KnownOrder, type OrderChange } from '../domain/known-order.ts';
import type { PaymentDb } from '../infra/schema.ts';
import type { ReconcileSignal } from './reconcile-signal.ts';

export type OrderRow = Selectable<PaymentDb['orders']>;

const toKnown = (row: OrderRow): KnownOrder => ({
  orderId: row.order_id,
  orderNumber: row.order_number,
  userId: row.user_id,
  payableAmount: row.payable_amount,
  orderName: row.order_name,
  status: row.status,
  cancelReason: row.cancel_reason,
  version: row.version,
});

/**
 * How often a confirm waiting for an order's order.placed looks again without being woken: the wake
 * comes from this process's consumer, so this only matters when another instance consumed the event.
 */
const UNWOKEN_LOOKUP_MS = 250;

/** payment-service's copy of the orders it may be asked to charge, kept from order events. */
export class KnownOrders {
  /** Confirms waiting for an order number this process has not seen placed yet. */
  private readonly arrivals = new ChangeWaiters();

  constructor(
    private readonly ctx: ServiceContext<PaymentDb>,
    private readonly orderWaitMs: () => number,
    private readonly signal: ReconcileSignal,
  ) {}

  placed(trx: Transaction<PaymentDb>, event: OrderPlacedPayload) {
    return this.apply(trx, {
      kind: 'placed',
      orderId: event.orderId,
      orderNumber: event.orderNumber,
      userId: event.userId,
      payableAmount: event.payableAmount,
      orderName: event.orderName,
      version: event.version,
    });
  }

  /** Records the cancel, and asks for a refund of any approved payment of the order. */
  async cancelled(trx: Transaction<PaymentDb>, event: OrderCancelledPayload) {
    await this.apply(trx, {
      kind: 'cancelled',
      orderId: event.orderId,
      orderNumber: event.orderNumber,
      userId: event.userId,
      payableAmount: event.payableAmount,
      reason: event.reason,
      version: event.version,
    });
    await requestRefund(trx, this.signal, event.orderId, `Order cancelled (${event.reason})`);
  }

  /** A points charge to be paid: kept as an order whose payable amount is the charge's. */
  chargeRequested(trx: Transaction<PaymentDb>, event: PointChargeRequestedPayload) {
    return this.apply(trx, {
      kind: 'placed',
      orderId: event.chargeId,
      orderNumber: event.chargeNumber,
      userId: event.userId,
      payableAmount: event.amount,
      orderName: event.orderName,
      version: event.version,
    });
  }

  /**
   * A charge that failed, expired unpaid, was cancelled by the shopper or is being refunded: no
   * further confirm, and its approved payment (an expired or cancelled charge's approved late, say)
   * refunded.
   */
  async chargeCancelled(trx: Transaction<PaymentDb>, event: PointChargeCancelledPayload) {
    const { reason } = event;
    const refund = reason === 'REFUND_REQUESTED';
    await this.apply(trx, {
      kind: 'cancelled',
      orderId: event.chargeId,
      orderNumber: event.chargeNumber,
      userId: event.userId,
      payableAmount: event.amount,
      reason: reason === 'REFUND_REQUESTED' ? 'USER_CANCELLED' : reason,
      version: event.version,
    });
    await requestRefund(
      trx,
      this.signal,
      event.chargeId,
      refund ? 'Points charge refunded' : `Points charge cancelled (${reason})`,
    );
  }

  private async apply(trx: Transaction<PaymentDb>, change: OrderChange) {
    // Serialises events of one order, including the first two for an order not yet known.
    await lockForTransaction(trx, `payment-order:${change.orderId}`);
    const row = await trx
      .selectFrom('orders')
      .selectAll()
      .where('order_id', '=', change.orderId)
      .forUpdate()
      .executeTakeFirst();
    const next = applyOrderChange(row ? toKnown(row) : undefined, change);
    if (!next) return;
    const values = {
      order_number: next.orderNumber,
      user_id: next.userId,
      payable_amount: next.payableAmount,
      order_name: next.orderName,
      status: next.status,
      cancel_reason: next.cancelReason,
      version: next.version,
      updated_at: new Date(),
    };
    if (row) await trx.updateTable('orders').set(values).where('order_id', '=', next.orderId).execute();
    else
      await trx
        .insertInto('orders')
        .values({ order_id: next.orderId, ...values })
        .execute();
  }

  /**
   * After the commit of an order.placed (or charge requested) for this number: wakes the confirms
   * waiting for it (see waitFor).
   */
  arrived(orderNumber: string): void {
    this.arrivals.changed(orderNumber);
  }

  find(db: Kysely<PaymentDb>, orderNumber: string) {
    return db.selectFrom('orders').selectAll().where('order_number', '=', orderNumber).executeTakeFirst();
  }

  /**
   * The order, waiting briefly for its order.placed when it is not known yet: a shopper (or auto-pay)
   * can come back from the PG before the event has arrived.
   */
  waitFor(orderNumber: string): Promise<OrderRow | undefined> {
    return this.arrivals.readUntil(
      orderNumber,
      () => this.find(this.ctx.db, orderNumber),
      (row) => row !== undefined,
      { waitMs: this.orderWaitMs(), recheckMs: UNWOKEN_LOOKUP_MS },
    );
  }
}

/** Asks the reconciler to refund the approved payment (if any) of a cancelled order or charge. */
async function requestRefund(
  trx: Transaction<PaymentDb>,
  signal: ReconcileSignal,
  orderId: string,
  reason: string,
) {
  const now = new Date();
  signal.dueWritten(trx, now);
  await trx
    .updateTable('payments')
    .set({ refund_requested_at: now, refund_reason: reason, next_check_at: now, updated_at: now })
    .where('order_id', '=', orderId)
    .where('status', '=', 'APPROVED')
    .where('refund_requested_at', 'is', null)
    .execute();
}
