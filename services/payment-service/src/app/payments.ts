import type { PaymentStatus, PaymentView, TestCard } from '@sagamart/contracts';
import { conflict, fetchPage, likeContains, notFound, Problem, type ServiceContext } from '@sagamart/kit';
import { decideConfirm, settlementOf } from '../domain/payment-rules.ts';
import type { PgClient } from '../infra/pg-client.ts';
import type { PaymentDb } from '../infra/schema.ts';
import type { ClaimRefundRow } from './claim-refunds.ts';
import type { KnownOrders, OrderRow } from './known-orders.ts';
import type { PaymentRow, PaymentWorkflow } from './payment-workflow.ts';
import type { ReconcileSignal } from './reconcile-signal.ts';
import type { PaymentSettings } from './settings.ts';

export function toPaymentView(row: PaymentRow, refunds: ClaimRefundRow[] = []): PaymentView {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    paymentId: row.id,
    orderId: row.order_id,
    orderNumber: row.order_number,
    userId: row.user_id,
    paymentKey: row.payment_key,
    amount: row.amount,
    status: row.status,
    method: row.method,
    failureCode: row.failure_code,
    failureMessage: row.failure_message,
    refundRequested: row.refund_requested_at !== null,
    refundReason: row.refund_reason,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    approvedAt: iso(row.approved_at),
    failedAt: iso(row.failed_at),
    refundedAt: iso(row.refunded_at),
    refundedAmount: row.refunded_amount,
    refunds: refunds
      .filter((r) => r.payment_id === row.id)
      .map((r) => ({
        claimId: r.claim_id,
        amount: r.amount,
        reason: r.reason,
        status: r.status,
        requestedAt: r.created_at.toISOString(),
        refundedAt: iso(r.refunded_at),
      })),
  };
}

export interface ConfirmInput {
  orderNumber: string;
  paymentKey: string;
  amount: number;
}

const noSuchOrder = (orderNumber: string) => notFound(`No order ${orderNumber}`);

/** Confirming payments (the shopper's, and auto-pay through the same path) and reading them. */
export class Payments {
  constructor(
    private readonly ctx: ServiceContext<PaymentDb>,
    private readonly orders: KnownOrders,
    private readonly workflow: PaymentWorkflow,
    private readonly pg: PgClient,
    private readonly settings: () => PaymentSettings,
    private readonly signal: ReconcileSignal,
  ) {}

  /**
   * Confirms a payment for the order's owner. Checked before anything is charged: the order is
   * theirs and not cancelled, it has no other live payment, and the amount equals its payable
   * amount (a mismatch fails the payment, which cancels the order). Then a PENDING payment is
   * stored and the PG is asked; when it cannot answer in time the payment stays PENDING and the
   * reconciler settles it. A repeated paymentKey answers with the payment as it stands.
   */
  async confirm(userId: string, input: ConfirmInput): Promise<PaymentRow> {
    return this.confirmKnown(await this.orders.waitFor(input.orderNumber), userId, input);
  }

  /** confirm, with the order already looked up (auto-pay has just read it). */
  private async confirmKnown(
    order: OrderRow | undefined,
    userId: string,
    input: ConfirmInput,
  ): Promise<PaymentRow> {
    if (!order || order.user_id !== userId) throw noSuchOrder(input.orderNumber);
    const started = await this.ctx.transaction(async (trx) => {
      const locked = await trx
        .selectFrom('orders')
        .selectAll()
        .where('order_id', '=', order.order_id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      // The payment with this key (any order's) and the order's other payments, in one read.
      const related = await trx
        .selectFrom('payments')
        .selectAll()
        .where((eb) =>
          eb.or([eb('payment_key', '=', input.paymentKey), eb('order_id', '=', locked.order_id)]),
        )
        .execute();
      const existing = related.find((p) => p.payment_key === input.paymentKey);
      if (existing) {
        if (existing.order_id !== locked.order_id) {
          throw conflict('This paymentKey belongs to another order', 'PAYMENT_KEY_IN_USE');
        }
        return { charge: false, payment: existing };
      }
      const others = related.map((p) => ({ status: p.status }));
      const decision = decideConfirm(
        { status: locked.status, payableAmount: locked.payable_amount },
        others,
        input.amount,
      );
      if (decision.kind === 'refuse')
        throw new Problem(decision.status, decision.message, { code: decision.code });
      const now = new Date();
      const base = {
        order_id: locked.order_id,
        order_number: locked.order_number,
        user_id: locked.user_id,
        payment_key: input.paymentKey,
        amount: input.amount,
        method: null,
        refund_requested_at: null,
        refund_reason: null,
        refund_error: null,
        version: 1,
        approved_at: null,
        refunded_at: null,
      };
      if (decision.kind === 'fail') {
        const failed = await trx
          .insertInto('payments')
          .values({
            ...base,
            status: 'FAILED',
            failure_code: decision.code,
            failure_message: decision.message,
            failed_at: now,
            next_check_at: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await this.workflow.publishFailed(trx, failed);
        return { charge: false, payment: failed };
      }
      // Hidden from the reconciler while this request asks the PG.
      const checkAt = new Date(now.getTime() + this.settings().leaseMs);
      const pending = await trx
        .insertInto('payments')
        .values({
          ...base,
          status: 'PENDING',
          failure_code: null,
          failure_message: null,
          failed_at: null,
          next_check_at: checkAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      this.signal.dueWritten(trx, checkAt);
      return { charge: true, payment: pending };
    });
    if (!started.charge) return started.payment;
    const { payment } = started;
    const answer = await this.pg.confirm(payment.payment_key, payment.order_number, payment.amount);
    const settlement = settlementOf(answer, new Date());
    return this.workflow.settle(
      payment.id,
      settlement.kind === 'confirm' ? { kind: 'wait', reason: 'PG still READY' } : settlement,
    );
  }

  /**
   * Load tests: what the browser does at the PG (checkout with a test card), then the same confirm
   * as the shopper's, on the owner's behalf and for the order's payable amount.
   */
  async autoPay(orderNumber: string, card: TestCard): Promise<PaymentRow> {
    const order = await this.orders.waitFor(orderNumber);
    if (!order) throw noSuchOrder(orderNumber);
    if (order.status === 'CANCELLED')
      throw conflict('This order was cancelled; nothing was charged', 'ORDER_CANCELLED');
    const paymentKey = await this.pg.testCheckout({
      orderNumber,
      amount: order.payable_amount,
      orderName: order.order_name,
      card,
    });
    return this.confirmKnown(order, order.user_id, { orderNumber, paymentKey, amount: order.payable_amount });
  }

  /** An order's payment state for its owner (or, without userId, for internal callers). */
  async forOrder(orderNumber: string, userId?: string) {
    const order = await this.orders.find(this.ctx.db, orderNumber);
    if (!order || (userId !== undefined && order.user_id !== userId)) throw noSuchOrder(orderNumber);
    const payments = await this.ctx.db
      .selectFrom('payments')
      .selectAll()
      .where('order_id', '=', order.order_id)
      .orderBy('created_at', 'desc')
      .execute();
    return orderPayments(order, payments, await this.refundsOf(payments.map((p) => p.id)));
  }

  private refundsOf(paymentIds: string[]): Promise<ClaimRefundRow[]> {
    if (paymentIds.length === 0) return Promise.resolve([]);
    return this.ctx.db
      .selectFrom('claim_refunds')
      .selectAll()
      .where('payment_id', 'in', paymentIds)
      .orderBy('created_at')
      .execute();
  }

  async list(query: {
    page: number;
    size: number;
    status?: PaymentStatus | undefined;
    orderNumber?: string | undefined;
  }) {
    let base = this.ctx.db.selectFrom('payments');
    if (query.status) base = base.where('status', '=', query.status);
    if (query.orderNumber) {
      base = base.where('order_number', 'ilike', likeContains(query.orderNumber));
    }
    return fetchPage(
      base,
      (q) => q.selectAll().orderBy('created_at', 'desc').orderBy('id'),
      query,
      async (rows) => {
        const refunds = await this.refundsOf(rows.map((r) => r.id));
        return rows.map((row) => toPaymentView(row, refunds));
      },
    );
  }
}

function orderPayments(order: OrderRow, payments: PaymentRow[], refunds: ClaimRefundRow[]) {
  const views = payments.map((payment) => toPaymentView(payment, refunds));
  return {
    orderId: order.order_id,
    orderNumber: order.order_number,
    payableAmount: order.payable_amount,
    orderCancelled: order.status === 'CANCELLED',
    cancelReason: order.cancel_reason,
    /** The latest payment, what a result page shows. */
    payment: views[0] ?? null,
    payments: views,
  };
}
