import { type ServiceContext, sql } from '@sagamart/kit';
import { Gauge } from 'prom-client';
import { TRANSIENT_PHASES } from '../domain/saga.ts';
import type { OrderDb } from '../infra/schema.ts';
import type { OrderLifecycle } from './order-lifecycle.ts';
import type { SagaRunner } from './saga-runner.ts';

/**
 * The background half of the saga: resumes every due saga in a transient phase (after a restart,
 * after a transient failure's backoff, or one whose owner crashed and whose lease ran out), and
 * cancels unpaid orders past the payment timeout. It also publishes the stuck-saga gauge.
 */
export class RecoveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;

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
  }

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
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

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick()
        .catch((error) => this.ctx.log.warn({ err: error }, 'saga recovery pass failed'))
        .finally(() => this.schedule(this.ctx.config.number('orders.saga.pollMs')));
    }, delayMs);
    this.timer.unref();
  }

  /** One pass: kick due sagas (up to the concurrency left), then expire unpaid orders. */
  async tick(): Promise<void> {
    const room = this.ctx.config.number('orders.saga.concurrency') - this.runner.active;
    if (room > 0) {
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
        if (this.stopped) return;
        if (!this.runner.isRunning(order_id)) void this.runner.kick(order_id);
      }
    }
    if (!this.stopped) await this.lifecycle.expireUnpaid(50);
  }
}
