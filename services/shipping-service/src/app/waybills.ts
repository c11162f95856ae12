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
import { publishDispatched } from './events.ts';
import type { ShippingSettings } from './settings.ts';
import { fullAddress, type ShipmentRow } from './store.ts';

type Result = IssueWaybillsResult['results'][number];
type Refusal = { code: string; message: string };

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

  /** Uploads the shipments in one bulk call and records each waybill; answers per shipment id. */
  private async upload(rows: ShipmentRow[]): Promise<Map<string, Omit<Result, 'shipmentId'>>> {
    const outcomes = new Map<string, Omit<Result, 'shipmentId'>>();
    const sendable: ShipmentRow[] = [];
    for (const row of rows) {
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
      sendable.push(row);
    }
    if (!sendable.length) return outcomes;
    let answer: Awaited<ReturnType<CourierClient['upload']>>;
    try {
      answer = await this.courier.upload(
        sendable.map((row) => ({
          reference: waybillReference(row),
          receiverName: row.receiver.name,
          receiverPhone: row.receiver.phone,
          zipCode: row.receiver.zipCode,
          address: fullAddress(row.receiver),
          goodsName: row.goods_name,
          quantity: row.quantity,
        })),
      );
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
        await this.refused([row], error);
        outcomes.set(row.id, { trackingNumber: null, error });
        continue;
      }
      const recorded = await this.record(row.id, result.trackingNumber);
      outcomes.set(
        row.id,
        recorded
          ? { trackingNumber: result.trackingNumber, error: null }
          : {
              trackingNumber: null,
              error: { code: 'NOT_READY', message: '발급 중에 배송이 취소되었습니다.' },
            },
      );
    }
    return outcomes;
  }

  /**
   * The courier (or, for an exchange's parcel, product-service's stock) refused these parcels for
   * good: sent again they would be refused again, every lease, forever. Each is marked failed with the
   * reason and left out of the dispatcher's passes (dispatch_due_at null) for an admin, who issues it
   * again once the cause is fixed. Logged once.
   */
  private async refused(rows: ShipmentRow[], refusal: Refusal): Promise<void> {
    const marked = await this.updateWaiting(rows)
      .set({
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

  /** Records the waybill on a shipment still waiting for one; a shipment cancelled meanwhile gets it cancelled. */
  private async record(shipmentId: string, trackingNumber: string): Promise<boolean> {
    const { courierCode, pollIntervalMs } = this.settings();
    const now = new Date();
    const recorded = await this.ctx.transaction(async (trx) => {
      const row = await trx
        .updateTable('shipments')
        .set((eb) => ({
          tracking_number: trackingNumber,
          courier_code: courierCode,
          courier_status: 'ACCEPTED',
          dispatched_at: now,
          dispatch_due_at: null,
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
      return row !== undefined;
    });
    if (recorded) {
      this.wakeTracker(pollIntervalMs);
      return true;
    }
    const row = await this.ctx.db
      .selectFrom('shipments')
      .select(['status', 'tracking_number'])
      .where('id', '=', shipmentId)
      .executeTakeFirst();
    // Another issuer recorded this very waybill first: issued all the same.
    if (row?.tracking_number === trackingNumber) return true;
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
    return false;
  }
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
