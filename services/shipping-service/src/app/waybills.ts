import type { CourierStatus } from '@sagamart/contracts';
import type { CourierUploadItem } from '@sagamart/contracts/http/courier';
import type { IssueWaybillsResult } from '@sagamart/contracts/http/shipping';
import {
  dueIn,
  type IdleLoop,
  repeatWhileBusy,
  ServiceCallError,
  type ServiceContext,
  sql,
} from '@sagamart/kit';
import { type CourierClient, CourierRejected } from '../infra/courier-client.ts';
import { type ProductClient, StockRefused, StockUnavailable } from '../infra/product-client.ts';
import type { ShippingDb } from '../infra/schema.ts';
import { publishCancelled, publishDispatched } from './events.ts';
import type { ShippingSettings } from './settings.ts';
import { cancelAsked, fullAddress, lockOrderShipping, type ShipmentRow } from './store.ts';

type Result = IssueWaybillsResult['results'][number];
type Outcome = Omit<Result, 'shipmentId'>;
type Refusal = { code: string; message: string };

/**
 * What stopping a cancelled order's sent upload came to: no waybill under its key is live, or the
 * courier had already picked the parcel up (its waybill is then the shipment's, tracked like any).
 */
export type StoppedUpload =
  | { stopped: true }
  | { stopped: false; trackingNumber: string; courierStatus: CourierStatus | null };

const CANCELLED_MEANWHILE: Outcome = {
  trackingNumber: null,
  error: { code: 'NOT_READY', message: '발급 중에 배송이 취소되었습니다.' },
};

/** The code of a dispatch failure that is product-service's refusal to sell an exchange's stock. */
const STOCK_REFUSED = 'STOCK_REFUSED';
/** An exchange parcel's options could not be reserved again: out of stock or no longer sold. */
const EXCHANGE_OUT_OF_STOCK = 'EXCHANGE_OUT_OF_STOCK';

/**
 * Waybills: issued at the courier for READY shipments, by an admin (one or many) or by the dispatcher
 * (shipping.autoDispatch). The courier keys each upload by the shipment id (and attempt), so issuing
 * twice (an admin and the dispatcher at once, a retry after a lost answer) yields one waybill; the
 * shipment records it, and announces shipment.dispatched, once. A waybill the courier cancels by
 * itself sends the shipment back to waiting for one (tracking.ts), under the next attempt's key.
 * A parcel the courier refuses for good (a 4xx but 408 and 429), or an exchange's whose stock
 * product-service refuses to sell for good, is marked failed with its reason and left to an admin;
 * one that cannot get through (down, timeout, 408, 429, 5xx) is simply tried again after the lease.
 * An admin's issue of an exchange parcel whose stock was refused reserves its options again under the
 * next key first (stockKey), so it can ship; while they are sold out the admin is told so.
 * Each upload is marked sent (upload_sent_at) before the courier hears of it, and the mark is cleared
 * only by the courier's word on that parcel: a cancel that finds it stops the waybill the courier may
 * have made (stopSentUpload), and so does the dispatcher for an order whose cancel was asked meanwhile.
 * A sent upload is due for the dispatcher after the lease, an admin's too when autoDispatch is off, so
 * one whose answer was lost is finished (its waybill recorded and tracked) without anyone issuing it
 * again.
 */
export class Waybills {
  private loop: IdleLoop | undefined;

  constructor(
    private readonly ctx: ServiceContext<ShippingDb>,
    private readonly courier: CourierClient,
    private readonly products: ProductClient,
    private readonly settings: () => ShippingSettings,
    /** A waybill was recorded, first polled in `dueInMs`: the tracking poller has a new due time. */
    private readonly wakeTracker: (dueInMs: number) => void,
  ) {}

  /**
   * The dispatcher looks every dispatchIntervalMs while shipments are due, else sleeps until the
   * earliest dispatch_due_at, at most idleCheckMs. Every commit of this instance that makes a
   * shipment to dispatch wakes it (`wake`), so the pass after it sees the new due time
   * (docs/performance.md, changes 13 and 28).
   */
  start(): void {
    this.loop = repeatWhileBusy({
      busyMs: () => this.settings().dispatchIntervalMs,
      idleMs: () => this.settings().idleCheckMs,
      run: () =>
        this.dispatchDue().catch((error) => {
          this.ctx.log.warn({ err: error }, 'dispatch tick failed');
          return 0;
        }),
    });
  }

  /** A shipment to dispatch in `dueInMs` was committed: the dispatcher looks by then. */
  wake(dueInMs = 0): void {
    this.loop?.wake(dueInMs);
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }

  /** The admin's bulk issue: one result per id, in order. */
  async issue(shipmentIds: string[]): Promise<IssueWaybillsResult> {
    const ids = [...new Set(shipmentIds)];
    const rows = await this.ctx.db.selectFrom('shipments').selectAll().where('id', 'in', ids).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const ready = rows.filter(
      (r) => r.status === 'READY' && r.courier_status === 'NOT_SENT' && r.role !== 'PICKUP',
    );
    const reserved = await this.reserveAgain(ready.filter((r) => r.dispatch_error_code === STOCK_REFUSED));
    const sendable = ready.filter((r) => !reserved.has(r.id));
    await this.retryRefused(sendable.filter((r) => r.dispatch_failed_at !== null));
    const issued = new Map([...reserved, ...(await this.upload(sendable))]);
    const results: Result[] = shipmentIds.map((shipmentId) => {
      const row = byId.get(shipmentId);
      if (!row)
        return {
          shipmentId,
          trackingNumber: null,
          error: { code: 'NOT_FOUND', message: '배송을 찾을 수 없습니다.' },
        };
      const outcome = issued.get(shipmentId);
      if (outcome) return { shipmentId, ...outcome };
      return {
        shipmentId,
        trackingNumber: row.tracking_number,
        error: {
          code: 'NOT_READY',
          message:
            row.status === 'CANCELLED'
              ? '취소된 배송이라 송장을 발급할 수 없습니다.'
              : row.tracking_number
                ? '이미 송장이 발급되었습니다.'
                : '지금은 송장을 발급할 수 없는 상태입니다.',
        },
      };
    });
    const failed = results.filter((r) => r.error).length;
    return { results, summary: { total: results.length, issued: results.length - failed, failed } };
  }

  /**
   * One dispatcher pass: READY shipments whose dispatch is due, claimed with SKIP LOCKED and a lease.
   * Answers 0 when it dispatched some, else the ms until the next one is due (undefined: none).
   */
  async dispatchDue(): Promise<number | undefined> {
    const { dispatchBatchSize, leaseMs } = this.settings();
    const now = new Date();
    const due = await this.ctx.db
      .updateTable('shipments')
      .set({ dispatch_due_at: new Date(now.getTime() + leaseMs) })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('shipments')
          .select('id')
          .where('status', '=', 'READY')
          .where('courier_status', '=', 'NOT_SENT')
          .where('dispatch_due_at', '<=', now)
          .orderBy('dispatch_due_at')
          .limit(dispatchBatchSize)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute();
    if (due.length) {
      await this.upload(due);
      return 0;
    }
    const { rows } = await sql<{ ms: number | null }>`
      select extract(epoch from min(dispatch_due_at) - clock_timestamp()) * 1000 as ms
        from shipments where courier_status = 'NOT_SENT' and status = 'READY'`.execute(this.ctx.db);
    return dueIn(rows[0]?.ms);
  }

  /**
   * Uploads the shipments in one bulk call and records each waybill; answers per shipment id. A parcel
   * whose order's cancel was asked is not sent on: the waybill a lost answer may have left is stopped.
   */
  private async upload(rows: ShipmentRow[]): Promise<Map<string, Outcome>> {
    const outcomes = new Map<string, Outcome>();
    const uploadable: ShipmentRow[] = [];
    const cancelled = await this.cancelAskedOf(rows);
    for (const row of rows) {
      if (cancelled.has(row.id)) {
        outcomes.set(row.id, await this.stopForCancel(row));
        continue;
      }
      // The new option of an exchange leaves the warehouse now: its reservation becomes a sale.
      if (row.role === 'EXCHANGE' && row.claim_id) {
        try {
          await this.products.commit(stockKey(row));
        } catch (error) {
          const outcome = failure(error);
          if (error instanceof StockRefused) await this.stockRefused(row, outcome);
          outcomes.set(row.id, { trackingNumber: null, error: outcome });
          continue;
        }
      }
      uploadable.push(row);
    }
    const sendable = await this.markSent(uploadable);
    for (const row of uploadable) {
      if (!sendable.some((sent) => sent.id === row.id)) outcomes.set(row.id, CANCELLED_MEANWHILE);
    }
    if (!sendable.length) return outcomes;
    let answer: Awaited<ReturnType<CourierClient['upload']>>;
    try {
      answer = await this.courier.upload(sendable.map(uploadItem));
    } catch (error) {
      const outcome = failure(error);
      // The courier refused the whole call (a 4xx): sending it again would be refused again.
      if (error instanceof CourierRejected) await this.refused(sendable, outcome);
      for (const row of sendable) outcomes.set(row.id, { trackingNumber: null, error: outcome });
      return outcomes;
    }
    for (const result of answer.results) {
      const row = sendable[result.index];
      if (!row) continue;
      if (!result.trackingNumber) {
        // The courier judged this parcel and refused it (e.g. an address it does not take).
        const error = result.error ?? { code: 'REJECTED', message: 'rejected' };
        await this.refused([row], error, { itemRefused: true });
        outcomes.set(row.id, { trackingNumber: null, error });
        continue;
      }
      const recorded = await this.record(row, result.trackingNumber);
      outcomes.set(
        row.id,
        recorded === 'cancel-asked'
          ? await this.stopForCancel(row, result.trackingNumber)
          : recorded === 'recorded'
            ? { trackingNumber: result.trackingNumber, error: null }
            : CANCELLED_MEANWHILE,
      );
    }
    return outcomes;
  }

  /** The ORIGINAL parcels among these whose order's cancel was asked (cancelled_orders). */
  private async cancelAskedOf(rows: ShipmentRow[]): Promise<Set<string>> {
    const originals = rows.filter((r) => r.role === 'ORIGINAL');
    if (!originals.length) return new Set();
    const marks = await this.ctx.db
      .selectFrom('cancelled_orders')
      .select('order_id')
      .where(
        'order_id',
        'in',
        originals.map((r) => r.order_id),
      )
      .execute();
    const orders = new Set(marks.map((m) => m.order_id));
    return new Set(originals.filter((r) => orders.has(r.order_id)).map((r) => r.id));
  }

  /**
   * Marks these parcels sent before the courier hears of them, and answers those still waiting for a
   * waybill: a parcel cancelled meanwhile is not sent (the cancel locks the row, so it either sees
   * the mark and stops the upload at the courier, or cancels the parcel first).
   * Each is also due for the dispatcher after the lease, with autoDispatch or not: an upload whose
   * answer is lost (or whose instance stopped mid-call) is sent again under the same key, which names
   * the waybill the courier made (or makes it), and recorded like any. The courier's word on the parcel
   * (a waybill, a refusal, a cancel) clears that due time; an admin's issue is so never left at the
   * courier untracked.
   */
  private async markSent(rows: ShipmentRow[]): Promise<ShipmentRow[]> {
    if (!rows.length) return [];
    const { leaseMs } = this.settings();
    const marked = await this.updateWaiting(rows)
      .set((eb) => ({
        upload_sent_at: eb.fn.coalesce('upload_sent_at', eb.val(new Date())),
        dispatch_due_at: new Date(Date.now() + leaseMs),
      }))
      .returningAll()
      .execute();
    if (marked.length) this.wake(leaseMs);
    const byId = new Map(marked.map((r) => [r.id, r]));
    // In the order given: the courier's results name each item by its index.
    return rows.flatMap((r) => byId.get(r.id) ?? []);
  }

  /**
   * The order's cancel was asked while an upload of this parcel was out and its answer lost: the
   * courier may hold a live waybill under the parcel's key that nobody tracks. The same upload again
   * names it (or makes it, if the first never arrived; `trackingNumber` when already known), and it is
   * cancelled; the shipment is then CANCELLED and announced (shipment.cancelled finishes the order's
   * cancel at order-service). A courier that has already picked the parcel up keeps it: its waybill
   * is recorded and tracked like any. Throws when the courier cannot tell (not reached, or the whole
   * call refused).
   */
  async stopSentUpload(row: ShipmentRow, trackingNumber?: string): Promise<StoppedUpload> {
    let waybill = trackingNumber;
    if (!waybill) {
      if (!row.upload_sent_at) {
        await this.markCancelled(row, null); // never sent: nothing at the courier
        return { stopped: true };
      }
      const result = (await this.courier.upload([uploadItem(row)])).results[0];
      if (!result?.trackingNumber) {
        if (!result?.error) throw new Error('the courier answered the upload without its result');
        // This item refused: no waybill was made under its key.
        await this.markCancelled(row, null);
        return { stopped: true };
      }
      waybill = result.trackingNumber;
    }
    const result = (await this.courier.cancel([waybill])).results[0];
    // A waybill the courier no longer knows cannot be picked up either.
    if (result?.cancelled || result?.error?.code === 'NOT_FOUND_WAYBILL') {
      await this.markCancelled(row, waybill);
      return { stopped: true };
    }
    await this.record(row, waybill, { adopt: true });
    return { stopped: false, trackingNumber: waybill, courierStatus: result?.status ?? null };
  }

  /**
   * The dispatcher's (or an admin's issue's) part of stopSentUpload: a courier that cannot tell now
   * leaves the parcel to the dispatcher's next pass (stopLater).
   */
  private async stopForCancel(row: ShipmentRow, trackingNumber?: string): Promise<Outcome> {
    let stopped: StoppedUpload;
    try {
      stopped = await this.stopSentUpload(row, trackingNumber);
    } catch (error) {
      await this.stopLater(row);
      const outcome = failure(error);
      this.ctx.log.warn(
        { err: error, shipmentId: row.id, orderId: row.order_id },
        'could not stop the waybill of a cancelled order at the courier; the dispatcher tries again',
      );
      return { trackingNumber: null, error: outcome };
    }
    if (!stopped.stopped) return { trackingNumber: stopped.trackingNumber, error: null };
    return {
      trackingNumber: null,
      error: { code: 'NOT_READY', message: '주문이 취소되어 송장을 발급하지 않았습니다.' },
    };
  }

  /**
   * A cancelled order's sent upload the courier could not answer about: the dispatcher stops it after
   * the lease, issuing waybills by itself (autoDispatch) or not, so that its cancel finishes by itself.
   */
  async stopLater(row: ShipmentRow): Promise<void> {
    const { leaseMs } = this.settings();
    await this.updateWaiting([row])
      .set({ dispatch_due_at: new Date(Date.now() + leaseMs) })
      .execute();
    this.wake(leaseMs);
  }

  /** The parcel never leaves: CANCELLED (with the waybill cancelled at the courier, if one was made), announced once. */
  private async markCancelled(row: ShipmentRow, cancelledWaybill: string | null): Promise<void> {
    const { courierCode } = this.settings();
    await this.ctx.transaction(async (trx) => {
      const cancelled = await trx
        .updateTable('shipments')
        .set((eb) => ({
          status: 'CANCELLED',
          ...(cancelledWaybill
            ? { courier_status: 'CANCELLED', courier_code: courierCode, tracking_number: cancelledWaybill }
            : {}),
          upload_sent_at: null,
          cancelled_at: new Date(),
          dispatch_due_at: null,
          next_poll_at: null,
          version: eb('version', '+', 1),
        }))
        .where('id', '=', row.id)
        .where('status', '=', 'READY')
        .where('courier_status', '=', 'NOT_SENT')
        .returningAll()
        .executeTakeFirst();
      if (cancelled) await publishCancelled(this.ctx, trx, cancelled);
    });
  }

  /**
   * The courier (or, for an exchange's parcel, product-service's stock) refused these parcels for
   * good: sent again they would be refused again, every lease, forever. Each is marked failed with the
   * reason and left out of the dispatcher's passes (dispatch_due_at null) for an admin, who issues it
   * again once the cause is fixed. Logged once.
   */
  private async refused(rows: ShipmentRow[], refusal: Refusal, { itemRefused = false } = {}): Promise<void> {
    const marked = await this.updateWaiting(rows)
      .set({
        // Only the courier's refusal of this item says it made no waybill under its key; a whole call
        // refused (our account key, the request) says nothing of an earlier upload's lost answer.
        ...(itemRefused ? { upload_sent_at: null } : {}),
        dispatch_due_at: null,
        dispatch_error_code: refusal.code.slice(0, 100),
        dispatch_error: refusal.message.slice(0, 1_000),
        dispatch_failed_at: new Date(),
      })
      .returning(['id', 'order_id'])
      .execute();
    for (const row of marked) {
      this.ctx.log.warn(
        { shipmentId: row.id, orderId: row.order_id, code: refusal.code, refusal: refusal.message },
        refusal.code === STOCK_REFUSED
          ? 'product-service refused to sell an exchange parcel’s stock; it waits for an admin to issue its waybill again'
          : 'the courier refused a parcel; it waits for an admin to issue its waybill again',
      );
    }
  }

  /**
   * An admin issues exchange parcels whose stock product-service refused to sell: their options are
   * reserved again under the current key (stockKey; a retry after a lost answer gets the same
   * reservation), so the commit before the upload can sell them. Answers an outcome for each parcel
   * that cannot go on: sold out (said in words; it stays marked for the admin), refused again, or
   * product-service unreachable.
   */
  private async reserveAgain(rows: ShipmentRow[]): Promise<Map<string, Omit<Result, 'shipmentId'>>> {
    const outcomes = new Map<string, Omit<Result, 'shipmentId'>>();
    for (const row of rows) {
      if (row.role !== 'EXCHANGE' || !row.claim_id) continue;
      const [items, order] = await Promise.all([
        this.ctx.db
          .selectFrom('claim_items')
          .select(['new_sku_id', 'quantity'])
          .where('claim_id', '=', row.claim_id)
          .execute(),
        this.ctx.db
          .selectFrom('orders')
          .select('order_number')
          .where('order_id', '=', row.order_id)
          .executeTakeFirstOrThrow(),
      ]);
      try {
        await this.products.reserveAgain(
          stockKey(row),
          items.map((i) => ({ skuId: i.new_sku_id!, quantity: i.quantity })),
          order.order_number,
        );
      } catch (error) {
        const outcome =
          error instanceof StockUnavailable
            ? {
                code: EXCHANGE_OUT_OF_STOCK,
                message:
                  '교환할 옵션이 품절되었거나 판매 중이 아니어서 재고를 다시 잡지 못했습니다. 재고를 채운 뒤 다시 발급해 주세요.',
              }
            : failure(error);
        if (error instanceof StockRefused) await this.stockRefused(row, outcome);
        outcomes.set(row.id, { trackingNumber: null, error: outcome });
      }
    }
    return outcomes;
  }

  /**
   * product-service refused to sell this exchange parcel's reservation: marked failed like any
   * refusal, and its stock is reserved under the next key when an admin issues it again (only once
   * per refused key, should two issuers be refused at once).
   */
  private async stockRefused(row: ShipmentRow, refusal: Refusal): Promise<void> {
    await this.refused([row], refusal);
    await this.updateWaiting([row])
      .set((eb) => ({ stock_attempt: eb('stock_attempt', '+', 1) }))
      .where('stock_attempt', '=', row.stock_attempt)
      .execute();
  }

  /**
   * An admin issues refused parcels again: they go back to the dispatcher's way first, so a courier
   * that cannot be reached this time leaves them to be tried again after the lease, as any parcel.
   */
  private async retryRefused(rows: ShipmentRow[]): Promise<void> {
    if (!rows.length) return;
    const { autoDispatch, leaseMs } = this.settings();
    await this.updateWaiting(rows)
      .set({
        dispatch_due_at: autoDispatch ? new Date(Date.now() + leaseMs) : null,
        dispatch_error_code: null,
        dispatch_error: null,
        dispatch_failed_at: null,
      })
      .execute();
    if (autoDispatch) this.wake(leaseMs);
  }

  /** An update of these parcels that leaves out any no longer waiting for a waybill (cancelled or sent). */
  private updateWaiting(rows: ShipmentRow[]) {
    return this.ctx.db
      .updateTable('shipments')
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .where('status', '=', 'READY')
      .where('courier_status', '=', 'NOT_SENT');
  }

  /**
   * Records the waybill on a shipment still waiting for one; a shipment cancelled meanwhile gets it
   * cancelled. Not for an order whose cancel was asked ('cancel-asked': the caller stops it), unless
   * `adopt`: the courier has that parcel already, and it goes on.
   */
  private async record(
    shipment: ShipmentRow,
    trackingNumber: string,
    { adopt = false } = {},
  ): Promise<'recorded' | 'cancel-asked' | 'not-ready'> {
    const { courierCode, pollIntervalMs } = this.settings();
    const shipmentId = shipment.id;
    const now = new Date();
    const recorded = await this.ctx.transaction(async (trx) => {
      if (!adopt && shipment.role === 'ORIGINAL') {
        // Under the order's lock a cancel either has marked the order, or finds the waybill recorded.
        await lockOrderShipping(trx, shipment.order_id);
        if (await cancelAsked(trx, shipment.order_id)) return 'cancel-asked' as const;
      }
      const row = await trx
        .updateTable('shipments')
        .set((eb) => ({
          tracking_number: trackingNumber,
          courier_code: courierCode,
          courier_status: 'ACCEPTED',
          dispatched_at: now,
          dispatch_due_at: null,
          upload_sent_at: null,
          dispatch_error_code: null,
          dispatch_error: null,
          dispatch_failed_at: null,
          tracking_error_code: null,
          tracking_error: null,
          tracking_failed_at: null,
          next_poll_at: new Date(now.getTime() + pollIntervalMs),
          version: eb('version', '+', 1),
        }))
        .where('id', '=', shipmentId)
        .where('status', '=', 'READY')
        .where('courier_status', '=', 'NOT_SENT')
        .returningAll()
        .executeTakeFirst();
      if (row) await publishDispatched(this.ctx, trx, row, courierCode);
      return row ? ('recorded' as const) : ('not-ready' as const);
    });
    if (recorded === 'recorded') this.wakeTracker(pollIntervalMs);
    if (recorded !== 'not-ready') return recorded;
    const row = await this.ctx.db
      .selectFrom('shipments')
      .select(['status', 'tracking_number'])
      .where('id', '=', shipmentId)
      .executeTakeFirst();
    // Another issuer recorded this very waybill first: issued all the same.
    if (row?.tracking_number === trackingNumber) return 'recorded';
    if (row?.status === 'CANCELLED') {
      await this.courier
        .cancel([trackingNumber])
        .catch((error) =>
          this.ctx.log.warn(
            { err: error, trackingNumber },
            'could not cancel the waybill of a cancelled shipment',
          ),
        );
    }
    return 'not-ready';
  }
}

/** The courier's item for a parcel's waybill, under its current key. */
function uploadItem(row: ShipmentRow): CourierUploadItem {
  return {
    reference: waybillReference(row),
    receiverName: row.receiver.name,
    receiverPhone: row.receiver.phone,
    zipCode: row.receiver.zipCode,
    address: fullAddress(row.receiver),
    goodsName: row.goods_name,
    quantity: row.quantity,
  };
}

/**
 * The courier's key of a shipment's waybill: the shipment id, with the attempt after the courier
 * cancelled an earlier waybill by itself (the old key would answer the cancelled waybill).
 */
function waybillReference(row: ShipmentRow): string {
  return row.waybill_attempt > 1 ? `${row.id}-${row.waybill_attempt}` : row.id;
}

/**
 * The key of the reservation an exchange parcel sells: the claim id's, made at approval, until
 * product-service refused to sell it; then the claim id with the attempt, reserved again.
 */
function stockKey(row: ShipmentRow): string {
  return row.stock_attempt > 1 ? `${row.claim_id}-${row.stock_attempt}` : row.claim_id!;
}

/**
 * A failed upload as a per-shipment result (anything but a refusal or an absence of the courier or
 * product-service is thrown).
 */
function failure(error: unknown): { code: string; message: string } {
  if (error instanceof CourierRejected) return { code: error.code, message: error.message };
  if (error instanceof StockRefused) return { code: STOCK_REFUSED, message: error.message };
  if (error instanceof ServiceCallError) {
    return { code: 'UNAVAILABLE', message: `${error.target}: ${error.message}` };
  }
  throw error;
}
