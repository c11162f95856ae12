import { dueIn, type IdleLoop, repeatWhileBusy, type ServiceContext, sql } from '@sagamart/kit';
import type { ShippingDb } from '../infra/schema.ts';
import type { Claims } from './claims.ts';
import type { ShippingSettings } from './settings.ts';

/**
 * The pickup sweep. A pickup booking stays open on its claim while the courier may hold a live
 * waybill nobody tracks: an approval whose answer was lost and whose withdrawal failed, a reject
 * refused with 503. Without the sweep only the admin's next decision on that claim would cancel it,
 * and the courier could collect a parcel for a claim nobody approved. Every pass takes the bookings
 * nobody has taken up for pickupSweep.staleMs (no approval is in flight then) with SKIP LOCKED and
 * a lease (pickup_withdrawing_until), and cancels each at the courier as a reject does. The lease is
 * renewed (compare-and-set) before each courier call, as the tracker does: a booking whose lease ran
 * out while earlier ones were withdrawn may have been taken over by another instance, and is skipped.
 * An approval waits until the pass holding the booking has finished, past its lease too, so no
 * approval books the waybill a late cancel is about to stop.
 */
export class PickupSweep {
  private loop: IdleLoop | undefined;

  constructor(
    private readonly ctx: ServiceContext<ShippingDb>,
    private readonly claims: Claims,
    private readonly settings: () => ShippingSettings,
  ) {}

  /**
   * Passes every pickupSweep.intervalMs while bookings are due, else sleeps until the earliest open
   * booking goes stale, at most idleCheckMs. Every approval of this instance wakes it for the time its
   * booking goes stale (`wake`).
   */
  start(): void {
    this.loop = repeatWhileBusy({
      busyMs: () => this.settings().pickupSweepIntervalMs,
      idleMs: () => this.settings().idleCheckMs,
      run: () =>
        this.sweepDue().catch((error) => {
          this.ctx.log.warn({ err: error }, 'pickup sweep failed');
          return 0;
        }),
    });
  }

  /** A booking that goes stale in `dueInMs` was opened: the sweep looks by then. */
  wake(dueInMs = 0): void {
    this.loop?.wake(dueInMs);
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }

  /**
   * One pass: answers 0 when it took bookings, else the ms until the next open one is due
   * (undefined: none is open). A booking the courier is already collecting waits for the admin.
   */
  async sweepDue(): Promise<number | undefined> {
    const { pickupSweepStaleMs, pickupSweepBatchSize, leaseMs } = this.settings();
    const now = new Date();
    const taken = await this.ctx.db
      .updateTable('claims')
      .set({ pickup_withdrawing_until: new Date(now.getTime() + leaseMs) })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('claims')
          .select('id')
          .where('pickup_booking', '=', true)
          .where('pickup_under_way_at', 'is', null)
          .where('pickup_booked_at', '<=', new Date(now.getTime() - pickupSweepStaleMs))
          .where((w) =>
            w.or([w('pickup_withdrawing_until', 'is', null), w('pickup_withdrawing_until', '<=', now)]),
          )
          .orderBy('pickup_booked_at')
          .limit(pickupSweepBatchSize)
          .forUpdate()
          .skipLocked(),
      )
      .returning(['id', 'pickup_attempt', 'pickup_withdrawing_until'])
      .execute();
    for (const booking of taken) {
      const outcome = await this.claims.withdrawLeftBooking(booking.id, booking.pickup_attempt, {
        until: booking.pickup_withdrawing_until!,
      });
      if (outcome === 'withdrawn') {
        this.ctx.log.info({ claimId: booking.id }, 'cancelled a pickup booking left open at the courier');
      } else if (outcome === 'under-way') {
        this.ctx.log.warn(
          { claimId: booking.id },
          'the courier is collecting a pickup booking left open; it waits for the admin to approve or reject',
        );
      }
    }
    if (taken.length) return 0;
    const { rows } = await sql<{ ms: number | null }>`
      select extract(epoch from min(greatest(
               pickup_booked_at + ${pickupSweepStaleMs} * interval '1 millisecond',
               coalesce(pickup_withdrawing_until, '-infinity'))) - clock_timestamp()) * 1000 as ms
        from claims where pickup_booking and pickup_under_way_at is null`.execute(this.ctx.db);
    return dueIn(rows[0]?.ms);
  }
}
