import { afterCommit } from '@sagamart/kit';

/**
 * How the reconciler hears of new due work. Every write of a due time (`next_check_at` of a payment or
 * a return's refund) calls `dueWritten(trx)`; once that transaction commits the reconciler looks
 * again, so it can sleep until the earliest due time instead of polling (docs/performance.md, change 28).
 */
export class ReconcileSignal {
  private wake: ((dueInMs: number) => void) | undefined;

  /** The reconciler's loop: woken after each commit that wrote a due time, for that time. */
  listen(wake: (dueInMs: number) => void): void {
    this.wake = wake;
  }

  /** `trx` (or the database) wrote a check due at `dueAt`: the reconciler looks by then once it commits. */
  dueWritten(trx: object, dueAt: Date): void {
    afterCommit(trx, () => this.wake?.(dueAt.getTime() - Date.now()));
  }
}
