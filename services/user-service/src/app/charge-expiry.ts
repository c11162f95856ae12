import { dueIn, type IdleLoop, repeatWhileBusy, type ServiceContext, sql } from '@sagamart/kit';
import type { UserDb } from '../infra/schema.ts';
import type { PointCharges } from './point-charges.ts';

/** Charges expired in one transaction each, at most this many per pass. */
const BATCH = 50;

/**
 * Expires points charges not paid within points.chargeTimeoutSeconds (the shopper closed the PG
 * window and never came back), as order-service's recovery worker cancels unpaid orders.
 *
 * It looks every points.chargeExpiry.pollMs while charges are due; otherwise it sleeps until the
 * earliest PENDING charge comes due, at most points.chargeExpiry.idlePollMs (and never longer than the
 * timeout, so a charge another instance creates meanwhile is seen before it is due), and a charge this
 * instance creates wakes it for its due time.
 */
export class ChargeExpiry {
  private loop: IdleLoop | undefined;

  constructor(
    private readonly ctx: ServiceContext<UserDb>,
    private readonly charges: PointCharges,
  ) {
    charges.onCreated(() => this.loop?.wake(this.timeoutSeconds() * 1000));
  }

  start(): void {
    this.loop = repeatWhileBusy({
      busyMs: () => this.ctx.config.number('points.chargeExpiry.pollMs'),
      idleMs: () =>
        Math.min(this.ctx.config.number('points.chargeExpiry.idlePollMs'), this.timeoutSeconds() * 1000),
      run: () =>
        this.tick().catch((error) => {
          this.ctx.log.warn({ err: error }, 'points charge expiry pass failed');
          return 0;
        }),
    });
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }

  /** One pass: expires due charges; 0 when it did, else the ms until the next one is due. */
  async tick(): Promise<number | undefined> {
    const expired = await this.charges.expireUnpaid(BATCH);
    if (expired > 0) return 0;
    const { rows } = await sql<{ ms: number | null }>`
      select extract(epoch from (select min(created_at) from point_charges where status = 'PENDING')
        + ${this.timeoutSeconds()} * interval '1 second' - clock_timestamp()) * 1000 as ms`.execute(
      this.ctx.db,
    );
    return dueIn(rows[0]?.ms);
  }

  private timeoutSeconds(): number {
    return this.ctx.config.number('points.chargeTimeoutSeconds');
  }
}
