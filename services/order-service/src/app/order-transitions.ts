import {
  OrderCancelled,
  type OrderCancelReason,
  OrderPaid,
  type OrderPaidPayload,
  OrderPlaced,
} from '@sagamart/contracts';
import { type ServiceContext, sql } from '@sagamart/kit';
import { transition } from '../domain/order-status.ts';
import { afterCancel, isTransient, type SagaPhase, type SagaState } from '../domain/saga.ts';
import {
  alongside,
  type ItemRow,
  json,
  loadItems,
  type OrderRow,
  type SagaRow,
  type SideWrite,
  sagaState,
  type Trx,
  timelineRow,
  writeAll,
} from '../infra/order-store.ts';
import type { OrderDb } from '../infra/schema.ts';

const now = sql<Date>`clock_timestamp()`;

/**
 * Every change of an order's state, inside the caller's transaction with the order and its saga
 * locked (see lockOrder): the saga's next state, the order status that goes with its phase, the
 * timeline, and the order event in the outbox. The only place that publishes order.* events.
 */
export class OrderTransitions {
  constructor(private readonly ctx: ServiceContext<OrderDb>) {}

  /**
   * Saves the saga's next state; entering a phase updates the order (and publishes) as it implies.
   */
  async advance(
    trx: Trx,
    order: OrderRow,
    saga: SagaRow,
    next: SagaState,
    options: {
      /** The saga runner going on to the next step: a transient saga's lease renewed for its owner. */
      lease?: { owner: string; ms: number } | undefined;
      /** Rows the caller writes with this change (a saga-log entry): in the same statement. */
      writes?: readonly SideWrite[];
      /** The order's lines, when the caller has them (they never change after placement): not read again. */
      items?: ItemRow[] | undefined;
    } = {},
  ): Promise<OrderRow> {
    const { lease, writes = [], items } = options;
    const entering = next.phase !== saga.phase;
    const leased = isTransient(next.phase);
    const leaseChange = !leased
      ? { lease_owner: null, lease_until: null }
      : lease
        ? {
            lease_owner: lease.owner,
            lease_until: sql<Date>`clock_timestamp() + ${lease.ms} * interval '1 millisecond'`,
          }
        : {};
    const sagaWrite: SideWrite = {
      table: 'sagas',
      orderId: order.id,
      set: {
        phase: next.phase,
        steps: json(next.steps),
        cursor: next.cursor,
        compensations: json(next.compensations),
        version: saga.version + 1,
        attempts: 0,
        last_error: null,
        next_attempt_at: now,
        ...(entering ? { phase_since: now } : {}),
        ...leaseChange,
        updated_at: now,
      },
    };
    // The saga's next state goes with the order change its phase implies, in one statement.
    if (!entering) {
      await writeAll(trx, [...writes, sagaWrite]);
      return order;
    }
    return this.enter(trx, order, next.phase, [...writes, sagaWrite], items);
  }

  /**
   * Cancels the order (CANCELLED is final) and starts compensating what its saga may have reserved:
   * by default everything it touched; after a refusal, the steps before the refused one.
   * False when the order was already cancelled.
   */
  async cancel(
    trx: Trx,
    order: OrderRow,
    saga: SagaRow,
    reason: OrderCancelReason,
    next: SagaState | undefined = afterCancel(sagaState(saga)),
    options: { note?: string | null } = {},
  ): Promise<boolean> {
    if (order.status === 'CANCELLED' || !next) return false;
    const wasPaid = order.status === 'PAID' || saga.phase === 'COMMITTING';
    const cancelled = await this.setStatus(
      trx,
      order,
      'CANCELLED',
      { cancel_reason: reason, cancel_note: options.note ?? null, cancelled_at: now },
      [timelineRow(order.id, 'CANCELLED', 'CANCELLED', reason)],
    );
    await this.ctx.publish(trx, OrderCancelled, {
      ...this.ref(cancelled),
      reason,
      payableAmount: cancelled.payable_amount,
      wasPaid,
      cancelledAt: cancelled.cancelled_at!.toISOString(),
    });
    await this.advance(trx, cancelled, saga, next);
    return true;
  }

  /** A status shipping-service's reports imply (SHIPPING, DELIVERED, RETURNED): no order event. */
  async shippingStatus(trx: Trx, order: OrderRow, status: OrderRow['status']): Promise<OrderRow> {
    return this.setStatus(trx, order, status, {}, []);
  }

  /** Enters the phase: the order change it implies, made with `writes` (the saga's next state) in one statement. */
  private async enter(
    trx: Trx,
    order: OrderRow,
    phase: SagaPhase,
    writes: readonly SideWrite[],
    items: ItemRow[] | undefined,
  ): Promise<OrderRow> {
    switch (phase) {
      case 'AWAITING_PAYMENT': {
        const placed = await this.setStatus(trx, order, 'PAYMENT_PENDING', { placed_at: now }, [
          ...writes,
          timelineRow(order.id, 'PAYMENT_PENDING', 'PAYMENT_PENDING'),
        ]);
        await this.ctx.publish(trx, OrderPlaced, {
          ...this.ref(placed),
          subtotal: placed.subtotal,
          discountAmount: placed.discount_amount,
          pointsUsed: placed.points_used,
          payableAmount: placed.payable_amount,
          orderName: placed.order_name,
          placedAt: placed.placed_at!.toISOString(),
        });
        return placed;
      }
      case 'COMPLETED': {
        const paid = await this.setStatus(trx, order, 'PAID', { paid_at: now }, [
          ...writes,
          timelineRow(order.id, 'PAID', 'PAID'),
        ]);
        await this.ctx.publish(
          trx,
          OrderPaid,
          this.paidPayload(paid, items ?? (await loadItems(trx, paid.id))),
        );
        return paid;
      }
      case 'COMPENSATED':
        await writeAll(trx, [...writes, timelineRow(order.id, 'RESERVATIONS_RELEASED', order.status)]);
        return order;
      default:
        await writeAll(trx, writes);
        return order;
    }
  }

  /** order.paid: what shipping and the after-sale flow need, so nobody reads this service's tables. */
  private paidPayload(paid: OrderRow, items: readonly ItemRow[]): OrderPaidPayload {
    return {
      ...this.ref(paid),
      payableAmount: paid.payable_amount,
      // A free order (nothing to pay) has no payment; it is paid (and shipped) all the same.
      paymentId: paid.payment_id,
      paidAt: paid.paid_at!.toISOString(),
      subtotal: paid.subtotal,
      discountAmount: paid.discount_amount,
      pointsUsed: paid.points_used,
      couponId: paid.coupon_id,
      items: items.map((i) => ({
        orderItemId: i.id,
        skuId: i.sku_id,
        productId: i.product_id,
        productName: i.product_name,
        skuCode: i.sku_code,
        optionLabel: i.option_label,
        quantity: i.quantity,
        unitPrice: i.unit_price,
        lineAmount: i.line_total,
        discountShare: i.discount_share,
        pointsShare: i.points_share,
        payableShare: i.payable_share,
      })),
      receiver: {
        name: paid.receiver_name,
        phone: paid.receiver_phone,
        zipCode: paid.zipcode,
        address: paid.address,
        addressDetail: paid.address_detail,
        memo: paid.delivery_memo,
      },
    };
  }

  /** The order's new status, with `writes` (its timeline row, …) in the same statement. */
  private setStatus(
    trx: Trx,
    order: OrderRow,
    status: OrderRow['status'],
    extra: Partial<Record<'placed_at' | 'paid_at' | 'cancelled_at', typeof now>> & {
      cancel_reason?: OrderCancelReason;
      cancel_note?: string | null;
    },
    writes: readonly SideWrite[],
  ): Promise<OrderRow> {
    transition(order.status, status);
    return alongside(trx, writes)
      .updateTable('orders')
      .set({ status, version: order.version + 1, updated_at: now, ...extra })
      .where('id', '=', order.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  private ref(order: OrderRow) {
    return {
      orderId: order.id,
      orderNumber: order.order_number,
      userId: order.user_id,
      version: order.version,
    };
  }
}
