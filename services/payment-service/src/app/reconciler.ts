import { dueIn, type IdleLoop, repeatWhileBusy, type ServiceContext, sql } from '@sagamart/kit';
import type { PaymentDb } from '../infra/schema.ts';
import type { ClaimRefunds } from './claim-refunds.ts';
import type { PaymentRow, PaymentWorkflow } from './payment-workflow.ts';
import type { ReconcileSignal } from './reconcile-signal.ts';
import type { PaymentSettings } from './settings.ts';

/**
 * The reconciler settles PENDING payments whose check is due (PG down, timeout, slow approval, a crash
 * between the PENDING row and the PG's answer) and carries out requested refunds. Due rows are claimed
 * with SKIP LOCKED and hidden for a lease, so several instances share the work without asking the PG
 * twice about one payment at the same time. It passes every intervalMs while there is work, else
 * sleeps until the earliest due time, at most idleMs; every commit of this instance that writes a due
 * time wakes it (ReconcileSignal), so only work another instance left behind waits idleMs.
 */
export class Reconciler {
  private loop: IdleLoop | undefined;
  private stopped = false;

  constructor(
    private readonly ctx: ServiceContext<PaymentDb>,
    private readonly workflow: PaymentWorkflow,
    private readonly settings: () => PaymentSettings,
    private readonly claimRefunds: ClaimRefunds,
    signal: ReconcileSignal,
  ) {
    signal.listen((dueInMs) => this.loop?.wake(dueInMs));
  }

  start(): void {
    this.stopped = false;
    this.loop = repeatWhileBusy({
      busyMs: () => this.settings().intervalMs,
      idleMs: () => this.settings().idleMs,
      run: () =>
        this.tick().catch((error) => {
          this.ctx.log.warn({ err: error }, 'reconcile tick failed');
          return 0;
        }),
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop?.stop();
  }

  /**
   * One pass: due pending payments, then due refunds, then due partial refunds of returns. Answers 0
   * when it worked on some, else the ms until the earliest due time (undefined: none).
   */
  async tick(): Promise<number | undefined> {
    let worked = false;
    for (const payment of await this.claim('PENDING')) {
      if (this.stopped) return 0;
      worked = true;
      await this.workflow
        .reconcile(payment)
        .catch((error) => this.ctx.log.warn({ err: error, paymentId: payment.id }, 'reconcile failed'));
    }
    for (const payment of await this.claim('REFUND')) {
      if (this.stopped) return 0;
      worked = true;
      await this.workflow
        .refund(payment)
        .catch((error) => this.ctx.log.warn({ err: error, paymentId: payment.id }, 'refund failed'));
    }
    for (const claimId of await this.claimRefunds.claimDue()) {
      if (this.stopped) return 0;
      worked = true;
      await this.claimRefunds
        .refund(claimId)
        .catch((error) => this.ctx.log.warn({ err: error, claimId }, 'claim refund failed'));
    }
    return worked ? 0 : this.nextDueIn();
  }

  /** Milliseconds until the earliest check the claims above would take (undefined: none is planned). */
  private async nextDueIn(): Promise<number | undefined> {
    const { rows } = await sql<{ ms: number | null }>`
      select extract(epoch from least(
        (select min(next_check_at) from payments where status = 'PENDING'),
        (select min(next_check_at) from payments where status = 'APPROVED' and refund_requested_at is not null),
        (select min(next_check_at) from claim_refunds where status = 'PENDING')
      ) - clock_timestamp()) * 1000 as ms`.execute(this.ctx.db);
    return dueIn(rows[0]?.ms);
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
