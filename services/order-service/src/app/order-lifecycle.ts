import {
  isPointChargeNumber,
  type OrderCancelReason,
  type PaymentApprovedPayload,
  type PaymentFailedPayload,
  type PaymentRefundedPayload,
} from '@sagamart/contracts';
import { conflict, notFound, Problem, type ServiceContext, sql } from '@sagamart/kit';
import { isCancellable } from '../domain/order-status.ts';
import { afterPaymentApproved } from '../domain/saga.ts';
import {
  lockOrder,
  paymentLogRow,
  sagaState,
  type Trx,
  timelineRow,
  writeAll,
} from '../infra/order-store.ts';
import type { Participants } from '../infra/participants.ts';
import type { CancelRequest, OrderDb } from '../infra/schema.ts';
import type { OrderTransitions } from './order-transitions.ts';
import type { SagaRunner } from './saga-runner.ts';

/** Past PAID: the courier has (or had) the parcel. */
const isShipped = (status: string) =>
  status === 'SHIPPING' || status === 'DELIVERED' || status === 'RETURNED';

/** The cancel after pickup: a clear reason, and the way out (a return). */
const pickedUp = () =>
  new Problem(
    409,
    '택배사가 이미 상품을 가져가 주문을 취소할 수 없습니다. 배송 완료 후 반품을 신청해 주세요.',
    {
      code: 'picked-up',
    },
  );

/** A cancel of an unpaid attempt (`unpaidOnly`) that met a paid order: it stays paid. */
const alreadyPaid = () =>
  new Problem(409, '이미 결제가 완료된 주문이라 취소하지 않았습니다.', { code: 'order-paid' });

type PaymentChange =
  | { status: 'APPROVED'; event: PaymentApprovedPayload }
  | { status: 'FAILED'; event: PaymentFailedPayload }
  | { status: 'REFUNDED'; event: PaymentRefundedPayload };

/** Schedules work for after the handler's transaction commits. */
type AfterCommit = (fn: () => void) => void;

/**
 * What happens to a placed order from outside its saga: the payment's outcome (events from
 * payment-service), a cancel by its owner or an admin, and the unpaid timeout. Each decides under
 * the order's row lock, so the first of them wins and the others find the order already moved on;
 * none of them ever revives a cancelled order.
 */
export class OrderLifecycle {
  constructor(
    private readonly ctx: ServiceContext<OrderDb>,
    private readonly transitions: OrderTransitions,
    private readonly runner: SagaRunner,
    private readonly participants: Participants,
  ) {}

  /** Owner (USER_CANCELLED) or admin (ADMIN_CANCELLED) cancel; a repeat of a done cancel is a no-op. */
  /** `note`: an admin's reason, in their words (required of admins by the route; shown to the shopper). */
  async cancel(
    orderId: string,
    by: { userId: string; admin: boolean; note?: string | undefined; unpaidOnly?: boolean },
  ): Promise<void> {
    const askShipping = this.ctx.config.boolean('orders.cancel.askShipping', true);
    const before = await this.ctx.db
      .selectFrom('orders')
      .select(['status', 'user_id'])
      .where('id', '=', orderId)
      .executeTakeFirst();
    if (!before || (!by.admin && before.user_id !== by.userId))
      throw notFound(`Order ${orderId} does not exist`);
    if (isShipped(before.status)) throw pickedUp();
    if (by.unpaidOnly && before.status === 'PAID') throw alreadyPaid();
    // A paid order may have a parcel: shipping-service stops it first, or says it is too late.
    let shippingStopped = false;
    const request: CancelRequest = {
      reason: by.admin ? 'ADMIN_CANCELLED' : 'USER_CANCELLED',
      note: by.note?.trim() || null,
      at: new Date().toISOString(),
    };
    if (before.status === 'PAID' && askShipping) {
      await this.stopShipment(orderId, request);
      shippingStopped = true;
    }
    for (;;) {
      const outcome = await this.ctx.transaction(async (trx) => {
        const locked = await lockOrder(trx, orderId);
        if (!locked || (!by.admin && locked.order.user_id !== by.userId))
          throw notFound(`Order ${orderId} does not exist`);
        const { order, saga } = locked;
        if (order.status === 'CANCELLED') return 'unchanged';
        if (isShipped(order.status)) throw pickedUp();
        // Approved while this waited (committing, or PAID): the caller let go of an attempt it thought unpaid.
        if (by.unpaidOnly && (order.status === 'PAID' || saga.phase === 'COMMITTING')) throw alreadyPaid();
        if (!isCancellable(order.status))
          throw conflict(`A ${order.status} order cannot be cancelled`, 'not-cancellable');
        // Paid since it was read (order.paid is on its way to shipping-service): ask first, then decide
        // again under the lock. PAID is the last status before SHIPPING, so this happens at most once.
        if (order.status === 'PAID' && askShipping && !shippingStopped) return 'ask-shipping';
        const changed = await this.transitions.cancel(trx, order, saga, request.reason, undefined, {
          note: request.note,
        });
        return changed ? 'cancelled' : 'unchanged';
      });
      if (outcome === 'ask-shipping') {
        await this.stopShipment(orderId, request);
        shippingStopped = true;
        continue;
      }
      if (outcome === 'cancelled') await this.settleBriefly(orderId);
      return;
    }
  }

  /**
   * Asks shipping-service to stop a paid order's parcel: a 409 when it is too late, a 503 when it
   * cannot say. The request is recorded first: shipping-service may stop the parcel after this call
   * gave up on its answer (a slow courier), and its shipment.cancelled then finishes the cancel.
   */
  private async stopShipment(orderId: string, request: CancelRequest): Promise<void> {
    await this.recordCancelRequest(orderId, request);
    let answer: 'cancelled' | 'picked-up';
    try {
      answer = await this.participants.cancelShipment(orderId);
    } catch (error) {
      this.ctx.log.warn({ err: error, orderId }, 'shipping-service could not stop the parcel');
      throw new Problem(
        503,
        '배송 상태를 확인하지 못해 지금은 주문을 취소할 수 없습니다. 잠시 후 다시 시도해 주세요.',
        { code: 'shipping-unavailable' },
      );
    }
    if (answer === 'picked-up') {
      // A definite no: nothing may finish this cancel later.
      await this.recordCancelRequest(orderId, null);
      throw pickedUp();
    }
  }

  private async recordCancelRequest(orderId: string, request: CancelRequest | null): Promise<void> {
    await this.ctx.db
      .updateTable('orders')
      .set({ cancel_request: request && (JSON.stringify(request) as never) })
      .where('id', '=', orderId)
      .where('status', '=', 'PAID')
      .execute();
  }

  /**
   * shipment.cancelled: shipping-service stopped the parcel of a cancel it was asked for. An order
   * still PAID lost that cancel's answer (order-service gave up waiting, the shopper saw a 503):
   * the parcel will not go, so the cancel is finished as it was asked, and the payment refunded.
   * Only within orders.cancel.requestHoldSeconds of the ask, and never after a definite refusal.
   */
  async parcelStopped(trx: Trx, orderId: string, afterCommit: AfterCommit): Promise<void> {
    const locked = await lockOrder(trx, orderId);
    if (!locked) return;
    const { order, saga } = locked;
    const request = order.cancel_request;
    if (order.status !== 'PAID' || !request) return;
    const holdMs = this.ctx.config.number('orders.cancel.requestHoldSeconds') * 1000;
    if (Date.now() - Date.parse(request.at) > holdMs) {
      this.ctx.log.warn({ orderId, request }, 'parcel stopped long after its cancel was asked; order kept');
      return;
    }
    const changed = await this.transitions.cancel(trx, order, saga, request.reason, undefined, {
      note: request.note,
    });
    if (changed) afterCommit(() => void this.runner.kick(order.id));
  }

  async paymentApproved(trx: Trx, event: PaymentApprovedPayload, afterCommit: AfterCommit): Promise<void> {
    // The lines too: the stock commit's step publishes them with order.paid.
    const locked = await this.lockForPayment(trx, { status: 'APPROVED', event }, { items: true });
    if (!locked) return;
    const { order, saga, items } = locked;
    const payment = { amount: event.amount, method: event.method };
    // The timeline and the saga's log, in the same statement as the next change (or on their own).
    const recorded = [
      timelineRow(order.id, 'PAYMENT_APPROVED', order.status, { facts: payment }),
      paymentLogRow(order.id, { action: 'pay', outcome: 'DONE', facts: payment }),
    ];
    // Cancelled meanwhile: payment-service refunds the approval on order.cancelled; the order stays CANCELLED.
    if (saga.phase !== 'AWAITING_PAYMENT') return writeAll(trx, recorded);
    if (event.amount !== order.payable_amount) {
      await writeAll(trx, recorded);
      await this.transitions.cancel(trx, order, saga, 'PAYMENT_FAILED');
      // After commit: a claim made now would read the phase from before this transaction.
      afterCommit(() => void this.runner.kick(order.id));
      return;
    }
    // Committing is leased to this instance in the same statement, which drives it once this commits.
    const next = afterPaymentApproved(sagaState(saga))!;
    const paid = await this.transitions.advance(trx, order, saga, next, {
      writes: recorded,
      set: { payment_id: event.paymentId },
      lease: { owner: this.ctx.instanceId, ms: this.ctx.config.number('orders.saga.leaseMs') },
    });
    const claimed = { saga: { version: saga.version + 1, attempts: 0 }, state: next, order: paid, items };
    // Approved, the order stays PAYMENT_PENDING until the last commit step records PAID (which wakes
    // the order's long-poll readers).
    afterCommit(() => void this.runner.kick(order.id, { statusChanged: false, claimed }));
  }

  async paymentFailed(trx: Trx, event: PaymentFailedPayload, afterCommit: AfterCommit): Promise<void> {
    const locked = await this.lockForPayment(trx, { status: 'FAILED', event });
    if (!locked) return;
    const { order, saga } = locked;
    await writeAll(trx, [
      timelineRow(order.id, 'PAYMENT_FAILED', order.status, { facts: { code: event.code } }),
      // The PG's own message stays in the log, as it said it, for an operator to look up.
      paymentLogRow(order.id, {
        action: 'pay',
        outcome: 'REFUSED',
        facts: { code: event.code },
        detail: `${event.code}: ${event.message}`,
      }),
    ]);
    if (saga.phase !== 'AWAITING_PAYMENT') return;
    await this.transitions.cancel(trx, order, saga, 'PAYMENT_FAILED');
    afterCommit(() => void this.runner.kick(order.id));
  }

  async paymentRefunded(trx: Trx, event: PaymentRefundedPayload): Promise<void> {
    const locked = await this.lockForPayment(trx, { status: 'REFUNDED', event });
    if (!locked) return;
    await writeAll(trx, [
      timelineRow(locked.order.id, 'PAYMENT_REFUNDED', locked.order.status, {
        facts: { amount: event.amount },
      }),
      paymentLogRow(locked.order.id, {
        action: 'compensate',
        outcome: 'DONE',
        facts: { amount: event.amount },
      }),
    ]);
  }

  /** Cancels PAYMENT_PENDING orders placed longer ago than orders.paymentTimeoutSeconds. */
  async expireUnpaid(limit: number): Promise<number> {
    const seconds = this.ctx.config.number('orders.paymentTimeoutSeconds');
    const due = await this.ctx.db
      .selectFrom('orders')
      .select('id')
      .where('status', '=', 'PAYMENT_PENDING')
      .where('placed_at', '<', sql<Date>`clock_timestamp() - ${seconds} * interval '1 second'`)
      .orderBy('placed_at')
      .limit(limit)
      .execute();
    let expired = 0;
    for (const { id } of due) {
      const changed = await this.ctx.transaction(async (trx) => {
        const locked = await lockOrder(trx, id);
        // Paid (or cancelled) since the scan: leave it.
        if (locked?.saga.phase !== 'AWAITING_PAYMENT') return false;
        return this.transitions.cancel(
          trx,
          locked.order,
          locked.saga,
          'PAYMENT_TIMEOUT' satisfies OrderCancelReason,
        );
      });
      if (changed) {
        expired++;
        void this.runner.kick(id);
      }
    }
    return expired;
  }

  /** Runs the compensations now and waits a moment, so the answer usually shows them done. */
  private async settleBriefly(orderId: string): Promise<void> {
    const wait = this.ctx.config.number('orders.placeWaitMs');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.runner.kick(orderId),
      new Promise((resolve) => {
        timer = setTimeout(resolve, wait);
      }),
    ]);
    clearTimeout(timer);
  }

  /**
   * Locks the order and records the payment's new state; undefined when the order is unknown here
   * or the event is not newer than what was recorded (a repeat or an overtaken delivery).
   */
  private async lockForPayment(trx: Trx, change: PaymentChange, options: { items?: boolean } = {}) {
    const { event } = change;
    // Payments of points charges (PNT-…) are user-service's business.
    if (isPointChargeNumber(event.orderNumber)) return undefined;
    const locked = await lockOrder(trx, event.orderId, options);
    if (!locked) {
      this.ctx.log.warn(
        { orderId: event.orderId, paymentId: event.paymentId },
        'payment event for an unknown order',
      );
      return undefined;
    }
    const at = new Date(
      change.status === 'APPROVED'
        ? change.event.approvedAt
        : change.status === 'FAILED'
          ? change.event.failedAt
          : change.event.refundedAt,
    );
    const row = {
      payment_id: event.paymentId,
      order_id: event.orderId,
      payment_key: event.paymentKey,
      status: change.status,
      amount: event.amount,
      method: change.status === 'APPROVED' ? change.event.method : null,
      code: change.status === 'FAILED' ? change.event.code : null,
      message:
        change.status === 'FAILED'
          ? change.event.message
          : change.status === 'REFUNDED'
            ? change.event.reason
            : null,
      version: event.version,
      approved_at: change.status === 'APPROVED' ? at : null,
      failed_at: change.status === 'FAILED' ? at : null,
      refunded_at: change.status === 'REFUNDED' ? at : null,
    };
    const applied = await trx
      .insertInto('order_payments')
      .values(row)
      .onConflict((oc) =>
        oc
          .column('payment_id')
          .doUpdateSet((eb) => ({
            status: eb.ref('excluded.status'),
            amount: eb.ref('excluded.amount'),
            method: sql`coalesce(excluded.method, order_payments.method)`,
            code: eb.ref('excluded.code'),
            message: eb.ref('excluded.message'),
            version: eb.ref('excluded.version'),
            approved_at: sql`coalesce(excluded.approved_at, order_payments.approved_at)`,
            failed_at: sql`coalesce(excluded.failed_at, order_payments.failed_at)`,
            refunded_at: sql`coalesce(excluded.refunded_at, order_payments.refunded_at)`,
            updated_at: sql`clock_timestamp()`,
          }))
          .where('order_payments.version', '<', (eb) => eb.ref('excluded.version')),
      )
      .returning('payment_id')
      .executeTakeFirst();
    return applied ? locked : undefined;
  }
}
