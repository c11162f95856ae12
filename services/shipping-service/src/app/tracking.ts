import type { TrackingInfo } from '@sagamart/contracts/http/courier';
import {
  afterCommit,
  conflict,
  dueIn,
  type IdleLoop,
  notFound,
  repeatWhileBusy,
  ServiceCallError,
  type ServiceContext,
  sql,
} from '@sagamart/kit';
import { applyCourierStatus, isPickedUp, pollBackoffMs } from '../domain/shipment-rules.ts';
import { type CourierClient, CourierRejected } from '../infra/courier-client.ts';
import type { ShippingDb } from '../infra/schema.ts';
import type { Claims } from './claims.ts';
import { publishCancelled, publishDelivered, publishInTransit } from './events.ts';
import type { ShippingSettings } from './settings.ts';
import type { ShipmentRow, Trx } from './store.ts';

/**
 * The tracking poller. Every tick it claims the waybills whose poll is due with SKIP LOCKED, pushing
 * their next_poll_at out by a lease, and renews that lease (compare-and-set on next_poll_at) right
 * before each courier call, so several instances share the work and never ask about one waybill at
 * the same time, however long a batch takes. An answer (or a failure) counts only while that lease
 * is still this instance's, and only for the waybill it is about: one that comes back late, after
 * another instance took the waybill over and maybe replaced it, is dropped. Each courier event is
 * recorded once (shipment, seq); the status moves only forward and each change is announced once.
 * A courier that cannot answer (down, timeout, 408, 429, 5xx) backs the waybill off exponentially;
 * with the courier's circuit open the tick stops at once, and polling resumes by itself when the
 * breaker lets calls through again; so does one that refuses the whole request (our account key, our
 * courier code: every waybill alike), until it is fixed. A courier that says it does not know this
 * waybill has its tracking marked failed for an admin, who can resume it at once; it is asked about
 * again every refusedRecheckMs, and a poll that succeeds clears the mark.
 */
/**
 * The courier's codes of a refusal that is about the waybill asked for, not the request: only these
 * mark a waybill's tracking failed. Any other refusal (400 INVALID_REQUEST for a courier code it does
 * not know, 401 and 403 for our account key, a 404 without a waybill's code) is the same for every
 * waybill until an operator fixes the settings: backed off like a courier that cannot answer.
 */
const WAYBILL_REFUSALS: ReadonlySet<string> = new Set(['NOT_FOUND_WAYBILL']);
const refusesThisWaybill = (refusal: CourierRejected) => WAYBILL_REFUSALS.has(refusal.code);

export class Tracker {
  private loop: IdleLoop | undefined;
  private stopped = false;

  constructor(
    private readonly ctx: ServiceContext<ShippingDb>,
    private readonly courier: CourierClient,
    private readonly claims: Claims,
    private readonly settings: () => ShippingSettings,
    /** A parcel waits for a new waybill, due in `dueInMs`: the dispatcher looks by then. */
    private readonly wakeDispatcher: (dueInMs: number) => void,
  ) {}

  /**
   * Ticks every pollTickMs while waybills are due, else sleeps until the earliest next_poll_at, at
   * most idleCheckMs. Every commit of this instance that records a waybill wakes it (`wake`), so the
   * pass after it sees the new due time (docs/performance.md, changes 13 and 28).
   */
  start(): void {
    this.stopped = false;
    this.loop = repeatWhileBusy({
      busyMs: () => this.settings().pollTickMs,
      idleMs: () => this.settings().idleCheckMs,
      run: () =>
        this.tick().catch((error) => {
          this.ctx.log.warn({ err: error }, 'tracking tick failed');
          return 0;
        }),
    });
  }

  /** A waybill to poll in `dueInMs` was committed: the poller looks by then. */
  wake(dueInMs = 0): void {
    this.loop?.wake(dueInMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop?.stop();
  }

  /** One tick; answers 0 when it polled waybills, else the ms until the next is due (undefined: none). */
  async tick(): Promise<number | undefined> {
    const due = await this.claimDue();
    if (due.length === 0) {
      const { rows } = await sql<{ ms: number | null }>`
        select extract(epoch from min(next_poll_at) - clock_timestamp()) * 1000 as ms
          from shipments where next_poll_at is not null and tracking_number is not null`.execute(this.ctx.db);
      return dueIn(rows[0]?.ms);
    }
    for (const [index, claimed] of due.entries()) {
      if (this.stopped) return 0;
      // The batch's lease may have run out while earlier waybills were polled: renew it just before
      // the call, and only if it is still ours (another instance may have claimed the waybill since).
      const shipment = await this.renew(claimed);
      if (!shipment) continue;
      let info: TrackingInfo;
      try {
        info = await this.courier.track(shipment.tracking_number!);
      } catch (error) {
        if (error instanceof CourierRejected && refusesThisWaybill(error)) {
          await this.refused(shipment, error);
          continue;
        }
        if (!(error instanceof CourierRejected) && !(error instanceof ServiceCallError)) throw error;
        await this.backOff(shipment, error);
        // The courier is down (circuit open): leave the rest of the batch for later, backed off too.
        if (error instanceof ServiceCallError && error.kind === 'circuit-open') {
          for (const rest of due.slice(index + 1)) await this.backOff(rest, error);
          return 0;
        }
        continue;
      }
      await this.apply(shipment, info).catch((error) =>
        this.ctx.log.warn({ err: error, shipmentId: shipment.id }, 'could not apply tracking'),
      );
    }
    return 0;
  }

  private async claimDue(): Promise<ShipmentRow[]> {
    const { pollBatchSize, leaseMs } = this.settings();
    const now = new Date();
    return this.ctx.db
      .updateTable('shipments')
      .set({ next_poll_at: new Date(now.getTime() + leaseMs) })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('shipments')
          .select('id')
          .where('next_poll_at', '<=', now)
          .where('tracking_number', 'is not', null)
          .orderBy('next_poll_at')
          .limit(pollBatchSize)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute();
  }

  /** Extends this instance's lease on a claimed waybill; undefined when the lease is no longer ours. */
  private async renew(shipment: ShipmentRow): Promise<ShipmentRow | undefined> {
    if (!shipment.next_poll_at) return undefined;
    return this.ctx.db
      .updateTable('shipments')
      .set({ next_poll_at: new Date(Date.now() + this.settings().leaseMs) })
      .where('id', '=', shipment.id)
      .where('next_poll_at', '=', shipment.next_poll_at)
      .returningAll()
      .executeTakeFirst();
  }

  private async backOff(shipment: ShipmentRow, error: Error): Promise<void> {
    const { retryBaseMs, retryMaxMs, refusedRecheckMs } = this.settings();
    const failures = shipment.poll_failures + 1;
    const backoffMs = pollBackoffMs(failures, retryBaseMs, retryMaxMs);
    await this.ctx.db
      .updateTable('shipments')
      .set({
        poll_failures: failures,
        last_poll_error: `${error.name}: ${error.message}`.slice(0, 500),
        // A waybill marked failed stays on its slow schedule while the courier cannot answer.
        next_poll_at: new Date(
          Date.now() + (shipment.tracking_failed_at ? Math.max(backoffMs, refusedRecheckMs) : backoffMs),
        ),
      })
      .where('id', '=', shipment.id)
      // Only while the lease is still ours: another instance may have polled it since.
      .where('next_poll_at', '=', shipment.next_poll_at)
      .execute();
  }

  /**
   * The courier does not know this waybill: asked again soon it would most likely refuse again. Its
   * tracking is marked failed with the courier's reason, for the admin, and asked about again only
   * every refusedRecheckMs (a fresh waybill the courier had not registered yet resumes by itself;
   * a poll that succeeds clears the mark), only while the lease is still ours. Logged when marked.
   */
  private async refused(shipment: ShipmentRow, refusal: CourierRejected): Promise<void> {
    const marked = await this.ctx.db
      .updateTable('shipments')
      .set((eb) => ({
        next_poll_at: new Date(Date.now() + this.settings().refusedRecheckMs),
        poll_failures: shipment.poll_failures + 1,
        last_poll_error: `${refusal.name}: ${refusal.message}`.slice(0, 500),
        tracking_error_code: refusal.code.slice(0, 100),
        tracking_error: refusal.message.slice(0, 1_000),
        // Since when it has been refused: a re-check refused again keeps the first time.
        tracking_failed_at: eb.fn.coalesce('tracking_failed_at', eb.val(new Date())),
      }))
      .where('id', '=', shipment.id)
      .where('next_poll_at', '=', shipment.next_poll_at)
      .returning(['id', 'order_id', 'role', 'tracking_number'])
      .executeTakeFirst();
    if (!marked || shipment.tracking_failed_at) return;
    this.ctx.log.warn(
      {
        shipmentId: marked.id,
        orderId: marked.order_id,
        role: marked.role,
        trackingNumber: marked.tracking_number,
        code: refusal.code,
        refusal: refusal.message,
      },
      'the courier does not know a waybill; it is asked about again only every refusedRecheckMs, or when an admin resumes it',
    );
  }

  /**
   * The admin resumes a waybill's tracking now (the courier knows it again, or the cause was fixed):
   * its failure mark is cleared and it is due at once. Only a parcel still being tracked (a waybill,
   * not delivered nor cancelled) can be resumed: 404 for no shipment, 409 otherwise.
   */
  async resume(shipmentId: string): Promise<void> {
    const resumed = await this.ctx.db
      .updateTable('shipments')
      .set({
        next_poll_at: new Date(),
        poll_failures: 0,
        tracking_error_code: null,
        tracking_error: null,
        tracking_failed_at: null,
      })
      .where('id', '=', shipmentId)
      .where('tracking_number', 'is not', null)
      .where((eb) => eb.or([eb('next_poll_at', 'is not', null), eb('tracking_failed_at', 'is not', null)]))
      .returning('id')
      .executeTakeFirst();
    if (resumed) {
      this.wake(0);
      return;
    }
    const shipment = await this.ctx.db
      .selectFrom('shipments')
      .select('id')
      .where('id', '=', shipmentId)
      .executeTakeFirst();
    if (!shipment) throw notFound('배송을 찾을 수 없습니다.');
    throw conflict('배송 조회 중인 송장이 아니라 다시 조회할 수 없습니다.', 'not-tracked');
  }

  /**
   * Records the courier's answer: new events once, the status forward, each change announced once.
   * Only an answer about the shipment's waybill still, while this poll's lease (next_poll_at as
   * renewed for it) holds: an answer that comes back late, after another instance took the waybill
   * over and may have replaced it, is about what the shipment no longer is, and is dropped (the
   * waybill is asked about again).
   */
  private async apply(polled: ShipmentRow, info: TrackingInfo): Promise<void> {
    const { pollIntervalMs } = this.settings();
    await this.ctx.transaction(async (trx) => {
      const shipment = await trx
        .selectFrom('shipments')
        .selectAll()
        .where('id', '=', polled.id)
        .where('tracking_number', '=', polled.tracking_number)
        .where('next_poll_at', '=', polled.next_poll_at)
        .forUpdate()
        .executeTakeFirst();
      if (!shipment) {
        this.ctx.log.debug(
          { shipmentId: polled.id, trackingNumber: polled.tracking_number },
          'a tracking answer came back after its lease: dropped',
        );
        return;
      }
      if (info.trackingDetails.length) {
        await trx
          .insertInto('tracking_events')
          .values(
            info.trackingDetails.map((e) => ({
              shipment_id: shipment.id,
              seq: e.seq,
              status: e.kind,
              location: e.where,
              remark: e.remark,
              at: new Date(e.time),
            })),
          )
          .onConflict((oc) => oc.columns(['shipment_id', 'seq']).doNothing())
          .execute();
      }
      const cancelAsked =
        info.status === 'CANCELLED' &&
        (await trx
          .selectFrom('cancelled_orders')
          .select('order_id')
          .where('order_id', '=', shipment.order_id)
          .executeTakeFirst()) !== undefined;
      const outcome = applyCourierStatus(
        { role: shipment.role, status: shipment.status, courierStatus: shipment.courier_status, cancelAsked },
        info.status,
      );
      const at = (kind: string) =>
        new Date(info.trackingDetails.find((e) => e.kind === kind)?.time ?? info.lastDetail.time);
      if (outcome.effects.includes('waybill-cancelled')) {
        await this.awaitNewWaybill(trx, shipment);
        return;
      }
      const finished = outcome.status === 'DELIVERED' || outcome.status === 'CANCELLED' || info.complete;
      const pickedUpAt =
        shipment.picked_up_at ?? (isPickedUp(outcome.courierStatus) ? at('PICKED_UP') : null);
      const updated = await trx
        .updateTable('shipments')
        .set((eb) => ({
          status: outcome.status,
          courier_status: outcome.courierStatus,
          poll_failures: 0,
          last_poll_error: null,
          tracking_error_code: null,
          tracking_error: null,
          tracking_failed_at: null,
          next_poll_at: finished ? null : new Date(Date.now() + pollIntervalMs),
          picked_up_at: pickedUpAt,
          delivered_at:
            outcome.status === 'DELIVERED'
              ? (shipment.delivered_at ?? at('DELIVERED'))
              : shipment.delivered_at,
          cancelled_at:
            outcome.status === 'CANCELLED' ? (shipment.cancelled_at ?? new Date()) : shipment.cancelled_at,
          dispatch_due_at: outcome.status === 'CANCELLED' ? null : shipment.dispatch_due_at,
          version: outcome.effects.length ? eb('version', '+', 1) : eb.ref('version'),
        }))
        .where('id', '=', shipment.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      for (const effect of outcome.effects) {
        switch (effect) {
          case 'in-transit':
            await publishInTransit(this.ctx, trx, updated, at('IN_TRANSIT'));
            break;
          case 'delivered': {
            const deliveredAt = updated.delivered_at ?? new Date();
            await publishDelivered(this.ctx, trx, updated, deliveredAt);
            if (updated.role === 'ORIGINAL') {
              await trx
                .updateTable('orders')
                .set({ delivered_at: deliveredAt })
                .where('order_id', '=', updated.order_id)
                .where('delivered_at', 'is', null)
                .execute();
            } else if (updated.claim_id) {
              await this.claims.reshipDelivered(trx, updated.claim_id, updated.tracking_number!, deliveredAt);
            }
            break;
          }
          case 'collecting':
            await this.claims.collecting(trx, updated.claim_id!, updated.tracking_number!, at('PICKED_UP'));
            break;
          case 'collected':
            await this.claims.collected(trx, updated.claim_id!, at('DELIVERED'));
            break;
          case 'cancelled':
            await publishCancelled(this.ctx, trx, updated);
            break;
          case 'pickup-cancelled':
            await this.claims.pickupCancelled(
              trx,
              updated.claim_id!,
              updated.tracking_number!,
              at('CANCELLED'),
            );
            break;
        }
      }
    });
  }

  /**
   * The courier cancelled a parcel's waybill by itself (nobody asked to stop the parcel): the
   * shipment waits for a new one, issued by the dispatcher or an admin like any other, under the next
   * key (the courier answers the cancelled waybill to the old one). The cancelled waybill's events
   * go with it: the new waybill numbers its own from the start.
   */
  private async awaitNewWaybill(trx: Trx, shipment: ShipmentRow): Promise<void> {
    const { autoDispatch, autoDispatchDelayMs } = this.settings();
    await trx.deleteFrom('tracking_events').where('shipment_id', '=', shipment.id).execute();
    await trx
      .updateTable('shipments')
      .set((eb) => ({
        courier_status: 'NOT_SENT',
        courier_code: null,
        tracking_number: null,
        upload_sent_at: null,
        waybill_attempt: eb('waybill_attempt', '+', 1),
        dispatched_at: null,
        next_poll_at: null,
        poll_failures: 0,
        last_poll_error: null,
        tracking_error_code: null,
        tracking_error: null,
        tracking_failed_at: null,
        dispatch_due_at: autoDispatch ? new Date(Date.now() + autoDispatchDelayMs) : null,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', shipment.id)
      .execute();
    if (autoDispatch) afterCommit(trx, () => this.wakeDispatcher(autoDispatchDelayMs));
  }
}
