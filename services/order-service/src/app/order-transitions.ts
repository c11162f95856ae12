import {
  OrderCancelled,
  type OrderCancelReason,
  OrderPaid,
  type OrderPaidPayload,
  OrderPlaced,
} from '@sagamart/contracts';
import { type MessagingTables, type ServiceContext, sql, type UpdateObject } from '@sagamart/kit';
import { transition } from '../domain/order-status.ts';
import { afterCancel, isTransient, type SagaPhase, type SagaState } from '../domain/saga.ts';
import {
  alongside,
  expectationsMet,
  type ItemRow,
  json,
  loadItems,
  type OrderRow,
  type SagaRow,
  type SideWrite,
  StaleOrderState,
  sagaState,
  type Trx,
  timelineRow,
  writeAll,
} from '../infra/order-store.ts';
import type { OrderDb } from '../infra/schema.ts';

const now = sql<Date>`clock_timestamp()`;

/** Columns of the order that a change sets besides what its phase implies (the approved payment). */
export type OrderChange = Partial<Pick<OrderRow, 'payment_id'>>;

/** The order's columns to set: values, or SQL (`clock_timestamp()`). */
type OrderUpdate = UpdateObject<OrderDb & MessagingTables, 'orders'>;

/**
 * Every change of an order's state, inside the caller's transaction with the order and its saga
 * locked (see lockOrder), or as read unlocked and checked by the write itself (`expect`): the saga's
 * next state, the order status that goes with its phase, the timeline, and the order event in the
 * outbox. The only place that publishes order.* events.
 */
export class OrderTransitions {
  constructor(private readonly ctx: ServiceContext<OrderDb>) {}

  /**
   * Saves the saga's next state; entering a phase updates the order (and publishes) as it implies.
   * With `expect`, `order` and `saga` were read without a lock: the writes are made only if both are
   * still at the versions read and the saga is leased to that owner or to no one, else the call throws
   * StaleOrderState (and the caller's transaction rolls back).
   */
  async advance(
    trx: Trx,
    order: OrderRow,
    saga: Pick<SagaRow, 'phase' | 'version'>,
    next: SagaState,
    options: {
      /** The saga runner going on to the next step: a transient saga's lease renewed for its owner. */
      lease?: { owner: string; ms: number } | undefined;
      /** Rows the caller writes with this change (a saga-log entry): in the same statement. */
      writes?: readonly SideWrite[];
      /** The order's lines, when the caller has them (they never change after placement): not read again. */
      items?: ItemRow[] | undefined;
      /** Order columns to set in the same statement. */
      set?: OrderChange;
      /** Unlocked: the saga's lease holder (or no one) that the read found. */
      expect?: { leaseOwner: string };
    } = {},
  ): Promise<OrderRow> {
    const { lease, writes = [], items, set, expect } = options;
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
      expect: expect && { version: saga.version, leaseOwner: expect.leaseOwner },
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
    if (!entering) return this.writeWith(trx, order, set, [...writes, sagaWrite]);
    return this.enter(trx, order, next.phase, [...writes, sagaWrite], items, set ?? {});
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
      [timelineRow(order.id, 'CANCELLED', 'CANCELLED', { note: reason })],
    );
    await this.ctx.publish(trx, OrderCancelled, {
      ...this.ref(cancelled),
      reason,
      payableAmount: cancelled.payable_amount,
      wasPaid,
      // The points come back when the saga took them (or may have): its points release is to come.
      pointsRefund: next.compensations.includes('points') ? cancelled.points_used : 0,
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
    set: OrderChange,
  ): Promise<OrderRow> {
    switch (phase) {
      case 'AWAITING_PAYMENT': {
        const placed = await this.setStatus(trx, order, 'PAYMENT_PENDING', { ...set, placed_at: now }, [
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
        const paid = await this.setStatus(trx, order, 'PAID', { ...set, paid_at: now }, [
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
        return this.writeWith(trx, order, set, [
          ...writes,
          timelineRow(order.id, 'RESERVATIONS_RELEASED', order.status),
        ]);
      default:
        return this.writeWith(trx, order, set, writes);
    }
  }

  /** `writes` on their own, or with the order's `set` columns when there are any. */
  private async writeWith(
    trx: Trx,
    order: OrderRow,
    set: OrderChange | undefined,
    writes: readonly SideWrite[],
  ): Promise<OrderRow> {
    if (set && Object.keys(set).length > 0) return this.updateOrder(trx, order, set, writes);
    await writeAll(trx, writes);
    return order;
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
    extra: Partial<Record<'placed_at' | 'paid_at' | 'cancelled_at', typeof now>> &
      OrderChange & {
        cancel_reason?: OrderCancelReason;
        cancel_note?: string | null;
      },
    writes: readonly SideWrite[],
  ): Promise<OrderRow> {
    transition(order.status, status);
    return this.updateOrder(trx, order, { status, version: order.version + 1, ...extra }, writes);
  }

  /**
   * The order's columns, with `writes` in the same statement, if the order is still at the version
   * read (always, when locked) and the writes' expectations held; else StaleOrderState.
   */
  private async updateOrder(
    trx: Trx,
    order: OrderRow,
    set: OrderUpdate,
    writes: readonly SideWrite[],
  ): Promise<OrderRow> {
    const row = await alongside(trx, writes)
      .updateTable('orders')
      .set({ ...set, updated_at: now })
      .where('id', '=', order.id)
      .where('version', '=', order.version)
      .returningAll()
      .returning(expectationsMet(writes).as('expectations_met'))
      .executeTakeFirst();
    if (!row?.expectations_met) throw new StaleOrderState(order.id);
    const { expectations_met: _met, ...updated } = row;
    return updated;
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
