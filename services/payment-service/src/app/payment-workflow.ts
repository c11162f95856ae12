import { PaymentApproved, PaymentFailed, PaymentRefunded } from '@sagamart/contracts';
import type { Selectable, ServiceContext, Transaction } from '@sagamart/kit';
import {
  cancelledRefundReason,
  refundNotDoneReason,
  retryDelayMs,
  type Settlement,
  settlementOf,
} from '../domain/payment-rules.ts';
import type { PgClient } from '../infra/pg-client.ts';
import type { PaymentDb } from '../infra/schema.ts';
import type { ReconcileSignal } from './reconcile-signal.ts';
import type { PaymentSettings } from './settings.ts';

export type PaymentRow = Selectable<PaymentDb['payments']>;
type Trx = Transaction<PaymentDb>;

/**
 * Moves payments through their states and publishes each change (payment.approved / failed /
 * refunded) in the same transaction. Every move is conditional on the state it starts from, so the
 * request path and the reconciler may race on one payment and still publish each change once.
 * Locks are taken order row first, then payment rows (the order.cancelled handler does the same).
 */
export class PaymentWorkflow {
  constructor(
    private readonly ctx: ServiceContext<PaymentDb>,
    private readonly pg: PgClient,
    private readonly settings: () => PaymentSettings,
    private readonly signal: ReconcileSignal,
  ) {}

  /** Asks the PG about a PENDING payment (lookup, then confirm if it never got one) and settles it. */
  async reconcile(payment: PaymentRow): Promise<PaymentRow> {
    let settlement = settlementOf(await this.pg.lookup(payment.payment_key), new Date());
    if (settlement.kind === 'confirm') {
      // The PG never received (or never finished receiving) a confirm: send it; the PG dedupes by key.
      settlement = settlementOf(
        await this.pg.confirm(payment.payment_key, payment.order_number, payment.amount),
        new Date(),
      );
    }
    return this.settle(payment.id, settlement);
  }

  /** Applies a PG verdict to a PENDING payment; a payment no longer PENDING is left as it is. */
  async settle(paymentId: string, settlement: Settlement): Promise<PaymentRow> {
    const row = await this.ctx.transaction(async (trx) => {
      const { order, payment } = await this.lock(trx, paymentId);
      if (payment.status !== 'PENDING') return payment;
      const now = new Date();
      switch (settlement.kind) {
        case 'confirm':
        case 'wait': {
          const attempts = payment.attempts + 1;
          const { retryBaseMs, retryMaxMs } = this.settings();
          return this.update(trx, paymentId, {
            attempts,
            next_check_at: new Date(now.getTime() + retryDelayMs(attempts, retryBaseMs, retryMaxMs)),
          });
        }
        case 'fail': {
          const failed = await this.update(trx, paymentId, {
            status: 'FAILED',
            version: payment.version + 1,
            failure_code: settlement.code,
            failure_message: settlement.message,
            failed_at: now,
            next_check_at: null,
          });
          await this.publishFailed(trx, failed);
          return failed;
        }
        case 'approve': {
          // Approved for an order cancelled meanwhile (a late approval): refund it at once.
          const refund = settlement.refund || order.status === 'CANCELLED';
          const approved = await this.update(trx, paymentId, {
            status: 'APPROVED',
            version: payment.version + 1,
            method: settlement.method,
            approved_at: settlement.approvedAt,
            attempts: 0,
            next_check_at: refund ? now : null,
            ...(refund
              ? {
                  refund_requested_at: now,
                  refund_reason: cancelledRefundReason(payment.order_number, order.cancel_reason),
                }
              : {}),
          });
          await this.ctx.publish(trx, PaymentApproved, {
            paymentId: approved.id,
            orderId: approved.order_id,
            orderNumber: approved.order_number,
            userId: approved.user_id,
            paymentKey: approved.payment_key,
            version: approved.version,
            amount: approved.amount,
            method: approved.method ?? '카드',
            approvedAt: (approved.approved_at ?? now).toISOString(),
          });
          return approved;
        }
      }
    });
    if (row.status === 'APPROVED' && row.refund_requested_at && !row.refunded_at) {
      // Best effort now; the reconciler retries until it succeeds.
      this.refund(row).catch((error) =>
        this.ctx.log.warn({ err: error, paymentId }, 'refund failed; will retry'),
      );
    }
    return row;
  }

  /** Refunds an APPROVED payment whose order was cancelled: PG cancel (idempotent), then REFUNDED. */
  async refund(payment: PaymentRow): Promise<PaymentRow> {
    const answer = await this.pg.cancel(payment.payment_key, payment.refund_reason ?? 'Order cancelled');
    return this.ctx.transaction(async (trx) => {
      const { payment: current } = await this.lock(trx, payment.id);
      if (current.status !== 'APPROVED' || !current.refund_requested_at) return current;
      const now = new Date();
      if (answer.kind === 'payment' && answer.status === 'CANCELED') {
        const refunded = await this.update(trx, payment.id, {
          status: 'REFUNDED',
          version: current.version + 1,
          refunded_at: now,
          refunded_amount: current.amount,
          refund_error: null,
          next_check_at: null,
        });
        await this.ctx.publish(trx, PaymentRefunded, {
          paymentId: refunded.id,
          orderId: refunded.order_id,
          orderNumber: refunded.order_number,
          userId: refunded.user_id,
          paymentKey: refunded.payment_key,
          version: refunded.version,
          // What was left after any partial refunds of returns.
          amount: refunded.amount - current.refunded_amount,
          reason: refunded.refund_reason ?? 'Order cancelled',
          refundedAt: now.toISOString(),
          claimId: null,
          refundedTotal: refunded.amount,
        });
        return refunded;
      }
      const attempts = current.attempts + 1;
      const { retryBaseMs, retryMaxMs } = this.settings();
      const reason = refundNotDoneReason(answer);
      this.ctx.log.warn({ paymentId: payment.id, reason, attempts }, 'refund not done yet');
      return this.update(trx, payment.id, {
        attempts,
        refund_error: reason.slice(0, 500),
        next_check_at: new Date(now.getTime() + retryDelayMs(attempts, retryBaseMs, retryMaxMs)),
      });
    });
  }

  /** A payment created FAILED (amount mismatch), inside the confirm's transaction. */
  async publishFailed(trx: Trx, failed: PaymentRow) {
    await this.ctx.publish(trx, PaymentFailed, {
      paymentId: failed.id,
      orderId: failed.order_id,
      orderNumber: failed.order_number,
      userId: failed.user_id,
      paymentKey: failed.payment_key,
      version: failed.version,
      amount: failed.amount,
      code: failed.failure_code ?? 'PAYMENT_FAILED',
      message: failed.failure_message ?? '',
      failedAt: (failed.failed_at ?? new Date()).toISOString(),
    });
  }

  /**
   * Locks the payment's order and then the payment (FROM order: the order's row first) in one
   * statement, and reads the payment with what settling needs of the order.
   */
  private async lock(trx: Trx, paymentId: string) {
    const { order_status, order_cancel_reason, ...payment } = await trx
      .selectFrom('orders as o')
      .innerJoin('payments as p', 'p.order_id', 'o.order_id')
      .selectAll('p')
      .select(['o.status as order_status', 'o.cancel_reason as order_cancel_reason'])
      .where('p.id', '=', paymentId)
      .forUpdate(['o', 'p'])
      .executeTakeFirstOrThrow();
    return { order: { status: order_status, cancel_reason: order_cancel_reason }, payment };
  }

  private update(trx: Trx, paymentId: string, changes: Partial<Omit<PaymentRow, 'id' | 'created_at'>>) {
    if (changes.next_check_at) this.signal.dueWritten(trx, changes.next_check_at);
    return trx
      .updateTable('payments')
      .set({ ...changes, updated_at: new Date() })
      .where('id', '=', paymentId)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
