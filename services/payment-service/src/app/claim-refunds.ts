import { PaymentRefunded, type ReturnCompletedPayload } from '@sagamart/contracts';
import type { MessagingTables, Selectable, ServiceContext, Transaction } from '@sagamart/kit';
import { refundNotDoneReason, retryDelayMs } from '../domain/payment-rules.ts';
import type { PgClient } from '../infra/pg-client.ts';
import type { PaymentDb } from '../infra/schema.ts';
import type { ReconcileSignal } from './reconcile-signal.ts';
import type { PaymentSettings } from './settings.ts';

export type ClaimRefundRow = Selectable<PaymentDb['claim_refunds']>;
type Trx = Transaction<PaymentDb & MessagingTables>;

/**
 * Partial refunds of completed returns (issue 10): one per claim, recorded when return.completed
 * arrives and carried out through the PG as a partial cancel keyed by the claim id, so however often
 * it is asked (a retry after a timeout, a second instance), the PG pays it once. A failure is retried
 * with backoff by the reconciler until the PG has done it; then payment.refunded (with the claim id and
 * the payment's refunded total) is published once.
 */
export class ClaimRefunds {
  constructor(
    private readonly ctx: ServiceContext<PaymentDb>,
    private readonly pg: PgClient,
    private readonly settings: () => PaymentSettings,
    private readonly signal: ReconcileSignal,
  ) {}

  /** Records the refund a completed return asks for (nothing when it asks for none); idempotent by claim. */
  async returnCompleted(trx: Trx, event: ReturnCompletedPayload): Promise<boolean> {
    if (event.refundAmount <= 0) return false;
    const payment = await trx
      .selectFrom('payments')
      .select(['id', 'amount', 'refunded_amount'])
      .where('order_id', '=', event.orderId)
      .where('status', '=', 'APPROVED')
      .executeTakeFirst();
    if (!payment) {
      // A free order (paid with points alone) or an order this service never charged: nothing for the PG.
      this.ctx.log.warn(
        { claimId: event.claimId, orderId: event.orderId },
        'return refund without a payment',
      );
      return false;
    }
    const inserted = await trx
      .insertInto('claim_refunds')
      .values({
        claim_id: event.claimId,
        payment_id: payment.id,
        order_id: event.orderId,
        amount: event.refundAmount,
        reason: `반품 환불 (${event.orderNumber})`,
        status: 'PENDING',
        next_check_at: new Date(),
        error: null,
        refunded_at: null,
      })
      .onConflict((oc) => oc.column('claim_id').doNothing())
      .returning('claim_id')
      .executeTakeFirst();
    if (inserted) this.signal.dueWritten(trx, new Date());
    return inserted !== undefined;
  }

  /** Asks the PG for one pending refund, then records it (or when to ask again). */
  async refund(claimId: string): Promise<void> {
    const pending = await this.ctx.db
      .selectFrom('claim_refunds as r')
      .innerJoin('payments as p', 'p.id', 'r.payment_id')
      .select(['r.claim_id', 'r.amount', 'r.reason', 'r.status', 'p.payment_key'])
      .where('r.claim_id', '=', claimId)
      .executeTakeFirst();
    if (pending?.status !== 'PENDING') return;
    const answer = await this.pg.partialCancel(pending.payment_key, {
      cancelReason: pending.reason,
      cancelAmount: pending.amount,
      idempotencyKey: claimId,
    });
    const done =
      answer.kind === 'payment' && (answer.status === 'PARTIAL_CANCELED' || answer.status === 'CANCELED');
    await this.ctx.transaction(async (trx) => {
      const refund = await trx
        .selectFrom('claim_refunds')
        .selectAll()
        .where('claim_id', '=', claimId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (refund.status !== 'PENDING') return;
      const now = new Date();
      if (!done) {
        const attempts = refund.attempts + 1;
        const { retryBaseMs, retryMaxMs } = this.settings();
        const reason = refundNotDoneReason(answer);
        this.ctx.log.warn({ claimId, reason, attempts }, 'claim refund not done yet');
        const dueAt = new Date(now.getTime() + retryDelayMs(attempts, retryBaseMs, retryMaxMs));
        await trx
          .updateTable('claim_refunds')
          .set({ attempts, error: reason.slice(0, 500), next_check_at: dueAt })
          .where('claim_id', '=', claimId)
          .execute();
        this.signal.dueWritten(trx, dueAt);
        return;
      }
      await trx
        .updateTable('claim_refunds')
        .set({ status: 'DONE', refunded_at: now, error: null, next_check_at: null })
        .where('claim_id', '=', claimId)
        .execute();
      const payment = await trx
        .updateTable('payments')
        .set((eb) => ({
          refunded_amount: eb('refunded_amount', '+', refund.amount),
          version: eb('version', '+', 1),
          updated_at: now,
        }))
        .where('id', '=', refund.payment_id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.ctx.publish(trx, PaymentRefunded, {
        paymentId: payment.id,
        orderId: payment.order_id,
        orderNumber: payment.order_number,
        userId: payment.user_id,
        paymentKey: payment.payment_key,
        version: payment.version,
        amount: refund.amount,
        reason: refund.reason,
        refundedAt: now.toISOString(),
        claimId,
        refundedTotal: payment.refunded_amount,
      });
    });
  }

  /** Due pending refunds, leased (SKIP LOCKED) so several instances never ask the PG about one at once. */
  async claimDue(): Promise<string[]> {
    const { batchSize, leaseMs } = this.settings();
    const now = new Date();
    const rows = await this.ctx.db
      .updateTable('claim_refunds')
      .set({ next_check_at: new Date(now.getTime() + leaseMs) })
      .where('claim_id', 'in', (eb) =>
        eb
          .selectFrom('claim_refunds')
          .select('claim_id')
          .where('status', '=', 'PENDING')
          .where('next_check_at', '<=', now)
          .orderBy('next_check_at')
          .limit(batchSize)
          .forUpdate()
          .skipLocked(),
      )
      .returning('claim_id')
      .execute();
    return rows.map((r) => r.claim_id);
  }
}
