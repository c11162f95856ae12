import { dueIn, type IdleLoop, repeatWhileBusy, type ServiceContext, sql } from '@sagamart/kit';
import { Gauge } from 'prom-client';
import { TRANSIENT_PHASES } from '../domain/saga.ts';
import type { OrderDb } from '../infra/schema.ts';
import type { OrderLifecycle } from './order-lifecycle.ts';
import type { SagaRunner } from './saga-runner.ts';

/**
 * The background half of the saga: resumes every due saga in a transient phase (after a restart,
 * after a transient failure's backoff, or one whose owner crashed and whose lease ran out), and
 * cancels unpaid orders past the payment timeout. It also publishes the stuck-saga gauge.
 *
 * It looks every orders.saga.pollMs while there is work; otherwise it sleeps until the earliest due
 * time the database knows of (a retry's backoff, a lease running out, an unpaid order's timeout), at
 * most orders.saga.idlePollMs (and never longer than the payment timeout, so an order placed meanwhile
 * is seen before it is due), and a saga that this instance leaves for a retry wakes it at once.
 */
export class RecoveryWorker {
  private loop: IdleLoop | undefined;

  constructor(
    private readonly ctx: ServiceContext<OrderDb>,
    private readonly runner: SagaRunner,
    private readonly lifecycle: OrderLifecycle,
  ) {
    const worker = this;
    new Gauge({
      name: 'order_sagas_stuck',
      help: 'Order sagas in a transient phase (reserving, committing, compensating) longer than orders.stuckAfterSeconds',
      registers: [ctx.metrics.registry],
      async collect() {
        try {
          this.set(await worker.stuckCount());
        } catch {
          // Database unavailable: keep the last value; readiness reports the outage.
        }
      },
    });
    runner.onRetryLater(() => this.loop?.wake());
  }

  start(): void {
    this.loop = repeatWhileBusy({
      busyMs: () => this.ctx.config.number('orders.saga.pollMs'),
      // Never longer than the payment timeout: an order placed while it sleeps is seen before it is due.
      idleMs: () =>
        Math.min(
          this.ctx.config.number('orders.saga.idlePollMs'),
          this.ctx.config.number('orders.paymentTimeoutSeconds') * 1000,
        ),
      run: () =>
        this.tick().catch((error) => {
          this.ctx.log.warn({ err: error }, 'saga recovery pass failed');
          return 0;
        }),
    });
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }

  async stuckCount(): Promise<number> {
    const seconds = this.ctx.config.number('orders.stuckAfterSeconds');
    const row = await this.ctx.db
      .selectFrom('sagas')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('phase', 'in', TRANSIENT_PHASES)
      .where('phase_since', '<', sql<Date>`clock_timestamp() - ${seconds} * interval '1 second'`)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * One pass: kick due sagas (up to the concurrency left), then expire unpaid orders. Answers 0 when
   * it found work, else the ms until the earliest known due time (undefined: none).
   */
  async tick(): Promise<number | undefined> {
    const room = this.ctx.config.number('orders.saga.concurrency') - this.runner.active;
    if (room <= 0) return 0;
    const due = await this.ctx.db
      .selectFrom('sagas')
      .select('order_id')
      .where('phase', 'in', TRANSIENT_PHASES)
      .where('next_attempt_at', '<=', sql<Date>`clock_timestamp()`)
      .where((eb) =>
        eb.or([
          eb('lease_owner', 'is', null),
          eb('lease_owner', '=', this.ctx.instanceId),
          eb('lease_until', '<', sql<Date>`clock_timestamp()`),
        ]),
      )
      .orderBy('next_attempt_at')
      .limit(room)
      .execute();
    for (const { order_id } of due) {
      if (!this.runner.isRunning(order_id)) void this.runner.kick(order_id);
    }
    const expired = await this.lifecycle.expireUnpaid(50);
    if (due.length > 0 || expired > 0) return 0;
    return this.nextDueMs();
  }

  /** Ms until the earliest retry, foreign lease end or payment timeout; undefined when there is none. */
  private async nextDueMs(): Promise<number | undefined> {
    const timeoutSeconds = this.ctx.config.number('orders.paymentTimeoutSeconds');
    const { rows } = await sql<{ ms: number | null }>`
      select extract(epoch from least(
        (select min(greatest(next_attempt_at,
                  case when lease_owner <> ${this.ctx.instanceId} then lease_until end))
           from sagas where phase in (${sql.join(TRANSIENT_PHASES)})),
        (select min(placed_at) from orders where status = 'PAYMENT_PENDING')
          + ${timeoutSeconds} * interval '1 second'
      ) - clock_timestamp()) * 1000 as ms`.execute(this.ctx.db);
    return dueIn(rows[0]?.ms);
  }
}
