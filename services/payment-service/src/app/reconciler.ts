import { type Periodic, repeatEvery, type ServiceContext } from '@sagamart/kit';
import type { PaymentDb } from '../infra/schema.ts';
import type { ClaimRefunds } from './claim-refunds.ts';
import type { PaymentRow, PaymentWorkflow } from './payment-workflow.ts';
import type { PaymentSettings } from './settings.ts';

/**
 * The reconciler: every interval it settles PENDING payments whose check is due (PG down, timeout,
 * slow approval, a crash between the PENDING row and the PG's answer) and carries out requested
 * refunds. Due rows are claimed with SKIP LOCKED and hidden for a lease, so several instances share
 * the work without asking the PG twice about one payment at the same time.
 */
export class Reconciler {
  private loop: Periodic | undefined;
  private stopped = false;

  constructor(
    private readonly ctx: ServiceContext<PaymentDb>,
    private readonly workflow: PaymentWorkflow,
    private readonly settings: () => PaymentSettings,
    private readonly claimRefunds: ClaimRefunds,
  ) {}

  start(): void {
    this.stopped = false;
    this.loop = repeatEvery(
      () => this.settings().intervalMs,
      () => this.tick().catch((error) => this.ctx.log.warn({ err: error }, 'reconcile tick failed')),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop?.stop();
  }

  /** One pass: due pending payments, then due refunds, then due partial refunds of returns. */
  async tick(): Promise<void> {
    for (const payment of await this.claim('PENDING')) {
      if (this.stopped) return;
      await this.workflow
        .reconcile(payment)
        .catch((error) => this.ctx.log.warn({ err: error, paymentId: payment.id }, 'reconcile failed'));
    }
    for (const payment of await this.claim('REFUND')) {
      if (this.stopped) return;
      await this.workflow
        .refund(payment)
        .catch((error) => this.ctx.log.warn({ err: error, paymentId: payment.id }, 'refund failed'));
    }
    for (const claimId of await this.claimRefunds.claimDue()) {
      if (this.stopped) return;
      await this.claimRefunds
        .refund(claimId)
        .catch((error) => this.ctx.log.warn({ err: error, claimId }, 'claim refund failed'));
    }
  }

  private async claim(kind: 'PENDING' | 'REFUND'): Promise<PaymentRow[]> {
    const { batchSize, leaseMs } = this.settings();
    const now = new Date();
    return this.ctx.db
      .updateTable('payments')
      .set({ next_check_at: new Date(now.getTime() + leaseMs) })
      .where('id', 'in', (eb) => {
        let due = eb
          .selectFrom('payments')
          .select('id')
          .where('next_check_at', '<=', now)
          .orderBy('next_check_at')
          .limit(batchSize)
          .forUpdate()
          .skipLocked();
        due =
          kind === 'PENDING'
            ? due.where('status', '=', 'PENDING')
            : due.where('status', '=', 'APPROVED').where('refund_requested_at', 'is not', null);
        return due;
      })
      .returningAll()
      .execute()
      .then((rows) => rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime()));
  }
}
