import { type ChangeWaiters, currentTraceId, type ServiceContext, sql, withSpan } from '@sagamart/kit';
import {
  afterRefusal,
  afterSuccess,
  currentAction,
  isTransient,
  retryDelayMs,
  type SagaAction,
  type SagaState,
  settle,
  TRANSIENT_PHASES,
} from '../domain/saga.ts';
import {
  alongside,
  type ItemRow,
  jsonRows,
  loadItems,
  lockOrder,
  type OrderRow,
  type SagaRow,
  type SideWrite,
  StaleOrderState,
  sagaState,
  writeAll,
} from '../infra/order-store.ts';
import { describeFailure, isRefusal } from '../infra/participants.ts';
import type { OrderDb } from '../infra/schema.ts';
import type { OrderTransitions } from './order-transitions.ts';
import type { StepHandler } from './saga-steps.ts';

/** Why a run ended: the saga waits (for payment, or is over), retries later, or this instance stops. */
export type RunOutcome = 'idle' | 'retry-later' | 'stopped';

type Outcome = ({ kind: 'done' } | { kind: 'refused' | 'failed'; detail: string }) & {
  /** The participant call's duration and trace, for the saga's log (none when there was no call). */
  call?: { durationMs: number; traceId: string | null };
};

/**
 * A saga this instance holds the lease of, with what it read of it: from a claim, from the
 * transaction that recorded its last step, or handed over by the transaction that leased it to this
 * instance (placing the order, approving its payment).
 */
export interface Claimed {
  saga: Pick<SagaRow, 'version' | 'attempts'>;
  state: SagaState;
  order: OrderRow;
  /** The order's lines, when the claim read them (they never change after placement). */
  items?: ItemRow[];
}

/** After a recorded outcome: the saga waits or is over, must be claimed again, or is ours to go on with. */
type Recorded = 'idle' | 'next' | 'retry-later' | { claimed: Claimed };

/**
 * Drives sagas: claims one (a lease in the database, so one instance drives it at a time and a
 * crashed instance's sagas are taken over when the lease runs out), makes the current participant
 * call, and records the outcome together with the saga's next state in one transaction — only if
 * the saga did not change meanwhile (a cancel while a call was in flight wins, and the cancel's
 * compensation covers that call). Every call is idempotent by orderId, so re-invoking the current
 * step after a crash never applies it twice.
 */
export class SagaRunner {
  private readonly running = new Map<string, { promise: Promise<RunOutcome>; again: boolean }>();
  private readonly retryListeners: Array<() => void> = [];
  private stopping = false;

  constructor(
    private readonly ctx: ServiceContext<OrderDb>,
    private readonly steps: Record<string, StepHandler>,
    private readonly transitions: OrderTransitions,
    private readonly changes: ChangeWaiters,
  ) {}

  get active(): number {
    return this.running.size;
  }

  isRunning(orderId: string): boolean {
    return this.running.has(orderId);
  }

  /** Called whenever a run ends in 'retry-later': the saga is left for the recovery worker. */
  onRetryLater(listener: () => void): void {
    this.retryListeners.push(listener);
  }

  /**
   * Drives the saga in this process until it waits, must retry later or is over. A kick while it
   * runs makes it look again once the current pass ends (the kick may come from a state change).
   */
  kick(orderId: string, options: { statusChanged?: boolean; claimed?: Claimed } = {}): Promise<RunOutcome> {
    // Every kick follows a committed change of the order (placed, paid, cancelled, …). The long-poll
    // readers wait for its status: a caller that knows the status stayed as it was spares them a read.
    if (options.statusChanged !== false) this.changes.changed(orderId);
    if (this.stopping) return Promise.resolve('stopped');
    const current = this.running.get(orderId);
    if (current) {
      current.again = true;
      return current.promise;
    }
    const entry = { again: false, promise: Promise.resolve<RunOutcome>('idle') };
    entry.promise = (async () => {
      try {
        let outcome: RunOutcome;
        let handed = options.claimed;
        do {
          entry.again = false;
          outcome = await this.drive(orderId, handed);
          handed = undefined;
        } while (entry.again && outcome !== 'stopped');
        return outcome;
      } catch (error) {
        // Database trouble: the recovery worker resumes the saga later.
        this.ctx.log.warn({ err: error, orderId }, 'saga run failed');
        return 'retry-later' as const;
      } finally {
        this.running.delete(orderId);
      }
    })();
    void entry.promise.then((outcome) => {
      if (outcome === 'retry-later') for (const listener of this.retryListeners) listener();
    });
    this.running.set(orderId, entry);
    return entry.promise;
  }

  /** Stops starting calls, waits for the ones in flight to be recorded, and gives up this instance's leases. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running.values()].map((r) => r.promise));
    await this.ctx.db
      .updateTable('sagas')
      .set({ lease_owner: null, lease_until: null })
      .where('lease_owner', '=', this.ctx.instanceId)
      .execute()
      .catch((error) => this.ctx.log.warn({ err: error }, 'could not release saga leases'));
  }

  private async drive(orderId: string, handed: Claimed | undefined): Promise<RunOutcome> {
    let claimed = handed;
    for (;;) {
      if (this.stopping) return 'stopped';
      claimed ??= await this.claim(orderId);
      if (!claimed) return 'idle';
      const action = currentAction(claimed.state);
      const outcome = action ? await this.invoke(action, claimed) : ({ kind: 'done' } as const);
      const recorded = await this.record(claimed, action, outcome);
      if (recorded === 'retry-later' || recorded === 'idle') return recorded;
      claimed = recorded === 'next' ? undefined : recorded.claimed;
    }
  }

  private get leaseMs(): number {
    return this.ctx.config.number('orders.saga.leaseMs');
  }

  /**
   * Takes the lease of a due saga in a transient phase (free, expired, or already ours), and reads
   * its order in the same statement (the steps use only what an order never changes).
   */
  private async claim(orderId: string): Promise<Claimed | undefined> {
    const row = await this.ctx.db
      .updateTable('sagas')
      .from('orders')
      .set({
        lease_owner: this.ctx.instanceId,
        lease_until: sql<Date>`clock_timestamp() + ${this.leaseMs} * interval '1 millisecond'`,
      })
      .whereRef('orders.id', '=', 'sagas.order_id')
      .where('sagas.order_id', '=', orderId)
      .where('sagas.phase', 'in', TRANSIENT_PHASES)
      .where('sagas.next_attempt_at', '<=', sql<Date>`clock_timestamp()`)
      .where((eb) =>
        eb.or([
          eb('sagas.lease_owner', 'is', null),
          eb('sagas.lease_owner', '=', this.ctx.instanceId),
          eb('sagas.lease_until', '<', sql<Date>`clock_timestamp()`),
        ]),
      )
      .returningAll('orders')
      .returning((eb) => [
        'sagas.phase',
        'sagas.steps',
        'sagas.cursor',
        'sagas.compensations',
        'sagas.version as saga_version',
        'sagas.attempts as saga_attempts',
        // The lines too, for a stock reservation (one statement instead of a claim and a read).
        jsonRows<ItemRow>(
          eb.selectFrom('order_items as i').selectAll('i').whereRef('i.order_id', '=', 'orders.id'),
          'line_no',
        ).as('saga_items'),
      ])
      .executeTakeFirst();
    if (!row) return undefined;
    const { phase, steps, cursor, compensations, saga_version, saga_attempts, saga_items, ...order } = row;
    return {
      saga: { version: saga_version, attempts: saga_attempts },
      state: { phase, steps, cursor, compensations },
      order,
      items: saga_items,
    };
  }

  /** One participant call, in its own span `saga <step> <action>` (a child of whatever started the run). */
  private invoke(action: SagaAction, claimed: Claimed): Promise<Outcome> {
    const started = performance.now();
    return withSpan(
      this.ctx.tracing.tracer,
      `saga ${action.step} ${action.kind}`,
      {
        attributes: {
          'saga.step': action.step,
          'saga.action': action.kind,
          'saga.attempt': claimed.saga.attempts + 1,
          'order.id': claimed.order.id,
        },
      },
      async (span) => {
        const outcome = await this.call(action, claimed);
        span.setAttribute('saga.outcome', outcome.kind);
        if (outcome.kind !== 'done') span.setAttribute('saga.detail', outcome.detail);
        return {
          ...outcome,
          call: { durationMs: Math.round(performance.now() - started), traceId: currentTraceId() ?? null },
        };
      },
    );
  }

  private async call(action: SagaAction, claimed: Claimed): Promise<Outcome> {
    try {
      // Only reserving stock needs the lines; committing and releasing go by the order's id.
      const items =
        action.step === 'stock' && action.kind === 'reserve'
          ? (claimed.items ?? (await loadItems(this.ctx.db, claimed.order.id)))
          : [];
      await this.steps[action.step]![action.kind]({ order: claimed.order, items });
      return { kind: 'done' };
    } catch (error) {
      const detail = describeFailure(error);
      if (isRefusal(error)) {
        if (action.kind === 'reserve') return { kind: 'refused', detail };
        // Nothing held for the order there: nothing to release.
        if (action.kind === 'compensate' && error.status === 404) return { kind: 'done' };
      }
      return { kind: 'failed', detail };
    }
  }

  /**
   * Records the outcome and moves the saga on, unless it changed while the call was in flight. A
   * saga moved on to another transient phase or step stays claimed by this instance in the same
   * transaction (the lease renewed, when it is still ours or free), so the next step needs no claim.
   */
  private async record(
    claimed: Claimed,
    action: SagaAction | undefined,
    outcome: Outcome,
  ): Promise<Recorded> {
    const recorded =
      (outcome.kind === 'done' ? await this.recordAsClaimed(claimed, action, outcome) : undefined) ??
      (await this.recordInTransaction(claimed, action, outcome));
    // Committed: the order may have moved on (PAYMENT_PENDING, PAID, …).
    this.changes.changed(claimed.order.id);
    return recorded;
  }

  /**
   * A step done, as it usually goes: recorded without locking the order first, by writes that hold
   * only if the order and saga are still as claimed (their versions, the lease ours or free).
   * Undefined when they changed meanwhile (nothing written): the locked path looks again.
   */
  private async recordAsClaimed(
    claimed: Claimed,
    action: SagaAction | undefined,
    outcome: Outcome,
  ): Promise<Recorded | undefined> {
    const { order } = claimed;
    const amounts = { payableAmount: order.payable_amount };
    const next = action ? afterSuccess(claimed.state, amounts) : settle(claimed.state, amounts);
    const owner = this.ctx.instanceId;
    const transient = isTransient(next.phase);
    try {
      return await this.ctx.transaction(async (trx): Promise<Recorded> => {
        const advanced = await this.transitions.advance(
          trx,
          order,
          { phase: claimed.state.phase, version: claimed.saga.version },
          next,
          {
            writes: this.logEntry(order.id, action, outcome, claimed.saga.attempts),
            items: claimed.items,
            expect: { leaseOwner: owner },
            // Waiting (for payment) or over: nothing to claim. Else the next step stays ours.
            ...(transient ? { lease: { owner, ms: this.leaseMs } } : {}),
          },
        );
        if (!transient) return 'idle';
        return { claimed: this.continued(claimed, next, advanced) };
      });
    } catch (error) {
      if (error instanceof StaleOrderState) return undefined;
      throw error;
    }
  }

  /** The saga as this instance goes on with it after recording a step in the same transaction. */
  private continued(claimed: Claimed, next: SagaState, order: OrderRow): Claimed {
    return {
      saga: { version: claimed.saga.version + 1, attempts: 0 },
      state: next,
      order,
      ...(claimed.items ? { items: claimed.items } : {}),
    };
  }

  /** The call's entry in the saga's log, written in the statement that records what follows from it. */
  private logEntry(
    orderId: string,
    action: SagaAction | undefined,
    outcome: Outcome,
    attempts: number,
  ): SideWrite[] {
    if (!action) return [];
    return [
      {
        table: 'saga_log',
        row: {
          order_id: orderId,
          action: action.kind,
          step: action.step,
          outcome: outcome.kind === 'done' ? 'DONE' : outcome.kind === 'refused' ? 'REFUSED' : 'FAILED',
          attempt: attempts + 1,
          detail: outcome.kind === 'done' ? null : outcome.detail,
          duration_ms: outcome.call?.durationMs ?? null,
          trace_id: outcome.call?.traceId ?? null,
        },
      },
    ];
  }

  private recordInTransaction(
    claimed: Claimed,
    action: SagaAction | undefined,
    outcome: Outcome,
  ): Promise<Recorded> {
    return this.ctx.transaction(async (trx) => {
      const locked = await lockOrder(trx, claimed.order.id);
      const { order, saga } = locked!;
      const log = this.logEntry(order.id, action, outcome, saga.attempts);
      // Changed meanwhile (a cancel, another instance): look again from the new state.
      if (saga.version !== claimed.saga.version) {
        await writeAll(trx, log);
        return 'next';
      }
      const state = sagaState(saga);
      switch (outcome.kind) {
        case 'done': {
          const amounts = { payableAmount: order.payable_amount };
          const next = action ? afterSuccess(state, amounts) : settle(state, amounts);
          // Waiting (for payment) or over: nothing to claim. A change that makes it transient again kicks it.
          if (!isTransient(next.phase)) {
            await this.transitions.advance(trx, order, saga, next, { writes: log, items: claimed.items });
            return 'idle';
          }
          if (saga.lease_owner !== null && saga.lease_owner !== this.ctx.instanceId) {
            // Another instance took the lease after ours ran out: claim (or not) as usual.
            await this.transitions.advance(trx, order, saga, next, { writes: log, items: claimed.items });
            return 'next';
          }
          const lease = { owner: this.ctx.instanceId, ms: this.leaseMs };
          const advanced = await this.transitions.advance(trx, order, saga, next, {
            lease,
            writes: log,
            items: claimed.items,
          });
          return { claimed: this.continued({ ...claimed, saga }, next, advanced) };
        }
        case 'refused': {
          const refusal = afterRefusal(state);
          await writeAll(trx, log);
          await this.transitions.cancel(trx, order, saga, refusal.reason, refusal.state);
          return 'next';
        }
        case 'failed': {
          const attempts = saga.attempts + 1;
          const delay = retryDelayMs(
            attempts,
            this.ctx.config.number('orders.saga.retryBaseMs'),
            this.ctx.config.number('orders.saga.retryMaxMs'),
          );
          await alongside(trx, log)
            .updateTable('sagas')
            .set({
              attempts,
              last_error: outcome.detail,
              next_attempt_at: sql<Date>`clock_timestamp() + ${delay} * interval '1 millisecond'`,
              lease_owner: null,
              lease_until: null,
              updated_at: sql<Date>`clock_timestamp()`,
            })
            .where('order_id', '=', order.id)
            .execute();
          this.ctx.log.warn(
            { orderId: order.id, action, attempts, error: outcome.detail },
            'saga step failed; will retry',
          );
          return 'retry-later';
        }
      }
    });
  }
}
