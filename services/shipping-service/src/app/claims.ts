import {
  type ClaimReason,
  type ClaimType,
  ExchangeApproved,
  ExchangeCollected,
  ExchangeCollecting,
  ExchangeCompleted,
  ExchangePickupCancelled,
  ExchangeRejected,
  ExchangeRequested,
  ReturnApproved,
  ReturnCollecting,
  ReturnCompleted,
  ReturnPickupCancelled,
  ReturnRejected,
  ReturnRequested,
} from '@sagamart/contracts';
import type { CourierUploadItem } from '@sagamart/contracts/http/courier';
import type { ExchangeRequestBody, ReturnRequestBody } from '@sagamart/contracts/http/shipping';
import {
  afterCommit,
  conflict,
  type Identity,
  isUniqueViolation,
  notFound,
  Problem,
  ServiceCallError,
  type ServiceContext,
} from '@sagamart/kit';
import { checkClaimRequest, checkDecision, checkExchangeTarget, claimFee } from '../domain/claim-rules.ts';
import { type LineShares, returnRefund } from '../domain/refunds.ts';
import { type CourierClient, CourierRejected } from '../infra/courier-client.ts';
import type { ProductClient } from '../infra/product-client.ts';
import type { ShippingDb } from '../infra/schema.ts';
import type { ShippingSettings } from './settings.ts';
import {
  type ClaimItemRow,
  type ClaimRow,
  type Db,
  fullAddress,
  goodsLabel,
  hasOpenClaim,
  type LineRow,
  type OrderRow,
  orderLines,
  ownOrder,
  type Trx,
  waitingShipment,
} from './store.ts';

type RequestItem = { orderItemId: number; quantity: number; newSkuId?: number };

/** A pickup as the courier is asked for it, less its key. */
type PickupItem = Omit<CourierUploadItem, 'reference' | 'pickup'>;

/**
 * The courier's key of a claim's pickup booking: the first is `pickup-{claimId}`, each booking after a
 * cancelled one gets its own (the courier answers an old key with its cancelled waybill).
 */
const pickupReference = (claimId: string, attempt: number) =>
  attempt > 1 ? `pickup-${claimId}-${attempt}` : `pickup-${claimId}`;

/** A claim's booking closed: no waybill of it is live and unrecorded, nothing to withdraw or show. */
const BOOKING_CLOSED = {
  pickup_booking: false,
  pickup_withdrawing_until: null,
  pickup_under_way_tracking_number: null,
  pickup_under_way_courier_status: null,
  pickup_under_way_at: null,
};

/**
 * A sweep pass is cancelling this claim's open booking at the courier. Past its lease too: its cancel
 * may still be on the way, and the mark is cleared only by a pass that has finished (a lapsed lease
 * lets another pass take the booking over, not an approval book its waybill).
 */
const withdrawing = (claim: ClaimRow) => claim.pickup_withdrawing_until !== null;

/**
 * A sweep pass's hold on the booking it withdraws: pickup_withdrawing_until as this pass last set it.
 * Renewed (compare-and-set) before each courier call; no longer this pass's once another pass took
 * the booking over, or it was closed.
 */
export interface WithdrawalLease {
  until: Date;
}

/**
 * The courier refused this pickup item itself (its result names the error): no waybill was made under
 * its key. Unlike a whole call refused (CourierRejected: our account key, the request), which says
 * nothing about the booking.
 */
class PickupRefused extends Error {
  override name = 'PickupRefused';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const shares = (line: LineRow): LineShares => ({
  orderItemId: line.order_item_id,
  quantity: line.quantity,
  payableShare: line.payable_share,
  pointsShare: line.points_share,
  returnedQuantity: line.returned_quantity,
  refundedAmount: line.refunded_amount,
  pointsRefunded: line.points_refunded,
});

/**
 * Returns and exchanges: REQUESTED → APPROVED (pickup waybill) → COLLECTING → COMPLETED (return) or
 * RESHIPPING → EXCHANGED (exchange); REQUESTED → REJECTED; APPROVED → REQUESTED when the courier
 * cancels the pickup. Every transition is published.
 */
export class Claims {
  constructor(
    private readonly ctx: ServiceContext<ShippingDb>,
    private readonly courier: CourierClient,
    private readonly products: ProductClient,
    private readonly settings: () => ShippingSettings,
    /**
     * Who to tell once a commit made work: a pickup waybill to poll, an exchange to dispatch, a
     * pickup booking the sweep withdraws if it is still open when it goes stale.
     */
    private readonly wake: {
      tracker: (dueInMs: number) => void;
      dispatcher: (dueInMs: number) => void;
      pickupSweep: (dueInMs: number) => void;
    },
  ) {}

  requestReturn(identity: Identity, orderRef: string, body: ReturnRequestBody): Promise<string> {
    return this.request(identity, orderRef, 'RETURN', body.reason, body.detail ?? null, body.items);
  }

  async requestExchange(identity: Identity, orderRef: string, body: ExchangeRequestBody): Promise<string> {
    // The options are product-service's: check them before anything is written.
    const order = await ownOrder(this.ctx.db, identity, orderRef);
    const lines = new Map((await orderLines(this.ctx.db, order.order_id)).map((l) => [l.order_item_id, l]));
    const skus = new Map(
      (await this.products.skus([...new Set(body.items.map((i) => i.newSkuId))])).map((s) => [s.skuId, s]),
    );
    for (const item of body.items) {
      const line = lines.get(item.orderItemId);
      if (!line) continue; // refused with the other line checks below
      checkExchangeTarget({
        orderedSku: { skuId: line.sku_id, productId: line.product_id, unitPrice: line.unit_price },
        newSku: skus.get(item.newSkuId),
      });
    }
    return this.request(identity, orderRef, 'EXCHANGE', body.reason, body.detail ?? null, body.items);
  }

  private async request(
    identity: Identity,
    orderRef: string,
    type: ClaimType,
    reason: ClaimReason,
    detail: string | null,
    items: RequestItem[],
  ): Promise<string> {
    const { returnWindowDays, returnFee } = this.settings();
    try {
      return await this.ctx.transaction(async (trx) => {
        const order = await ownOrder(trx, identity, orderRef, true);
        const lines = await orderLines(trx, order.order_id, true);
        checkClaimRequest(
          {
            deliveredAt: order.delivered_at,
            confirmedAt: order.confirmed_at,
            hasOpenClaim: await hasOpenClaim(trx, order.order_id),
          },
          lines.map((l) => ({
            orderItemId: l.order_item_id,
            quantity: l.quantity,
            claimedQuantity: l.returned_quantity + l.exchanged_quantity,
            // A refusal names the line as the shopper knows it, never by its id.
            productName: l.product_name,
            ...(l.option_label ? { optionLabel: l.option_label } : {}),
          })),
          items,
          new Date(),
          returnWindowDays,
        );
        const fee = claimFee(type, reason, returnFee);
        // The refund as it stands now (only one claim is open at a time, so it is also the final one).
        const estimate =
          type === 'RETURN'
            ? returnRefund(lines.map(shares), new Map(items.map((i) => [i.orderItemId, i.quantity])), fee)
            : undefined;
        const claim = await trx
          .insertInto('claims')
          .values({
            order_id: order.order_id,
            user_id: order.user_id,
            type,
            status: 'REQUESTED',
            reason,
            detail,
            fee_amount: estimate?.feeAmount ?? fee,
            refund_amount: estimate?.refundAmount ?? 0,
            points_refund: estimate?.pointsRefund ?? 0,
            reject_reason: null,
            approved_at: null,
            rejected_at: null,
            collected_at: null,
            completed_at: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        const byId = new Map(lines.map((l) => [l.order_item_id, l]));
        const refunds = new Map(estimate?.lines.map((l) => [l.orderItemId, l]) ?? []);
        await trx
          .insertInto('claim_items')
          .values(
            items.map((i) => ({
              claim_id: claim.id,
              order_item_id: i.orderItemId,
              sku_id: byId.get(i.orderItemId)!.sku_id,
              new_sku_id: i.newSkuId ?? null,
              quantity: i.quantity,
              refund_amount: refunds.get(i.orderItemId)?.refundAmount ?? 0,
              points_refund: refunds.get(i.orderItemId)?.pointsRefund ?? 0,
            })),
          )
          .execute();
        const payload = {
          ...this.ref(claim, order),
          reason,
          detail,
          requestedAt: claim.created_at.toISOString(),
        };
        const lineOf = (i: RequestItem) => ({
          orderItemId: i.orderItemId,
          skuId: byId.get(i.orderItemId)!.sku_id,
          quantity: i.quantity,
        });
        if (type === 'RETURN') {
          await this.ctx.publish(trx, ReturnRequested, { ...payload, items: items.map(lineOf) });
        } else {
          await this.ctx.publish(trx, ExchangeRequested, {
            ...payload,
            items: items.map((i) => ({ ...lineOf(i), newSkuId: i.newSkuId! })),
          });
        }
        return claim.id;
      });
    } catch (error) {
      // Two requests at once: the one-open-claim index lets one through.
      if (isUniqueViolation(error, 'claims_one_open')) {
        throw conflict('이미 진행 중인 반품 또는 교환이 있습니다.', 'claim-in-progress');
      }
      throw error;
    }
  }

  /**
   * The admin approves: for an exchange the new options are reserved first (409 when out of stock),
   * then the pickup waybill is issued at the courier, then the claim is APPROVED and announced.
   * Approving an approved claim again is a no-op. The booking is on the claim before the courier
   * hears of it, keyed by the claim and its attempt, so a retry gets the same waybill; when the
   * courier's answer is lost, that waybill is looked up again and cancelled, so that nothing comes to
   * collect a claim the admin sees as still REQUESTED (a reject, or else the pickup sweep, does the
   * same if this fails too).
   */
  async approve(claimId: string, type: ClaimType): Promise<void> {
    const claim = await this.load(this.ctx.db, claimId, type);
    if (claim.status === 'APPROVED') return;
    checkDecision(claim.status);
    const order = await this.order(this.ctx.db, claim.order_id);
    const items = await this.items(this.ctx.db, claimId);
    if (type === 'EXCHANGE') {
      try {
        await this.products.reserve(
          claimId,
          items.map((i) => ({ skuId: i.new_sku_id!, quantity: i.quantity })),
        );
      } catch (error) {
        if (error instanceof ServiceCallError && error.status === 409) {
          throw new Problem(409, '교환할 옵션의 재고가 부족해 승인할 수 없습니다.', {
            code: 'exchange-out-of-stock',
            extensions: { upstream: error.problem?.detail ?? error.message },
          });
        }
        throw error;
      }
    }
    const pickup = await this.pickupOf(order, items);
    const attempt = await this.startBooking(claimId, type);
    if (attempt === undefined) return; // approved meanwhile
    // Should this approval leave its booking open (lost answers), the sweep withdraws it once stale.
    this.wake.pickupSweep(this.settings().pickupSweepStaleMs);
    let trackingNumber: string;
    try {
      trackingNumber = await this.book(claimId, attempt, pickup);
    } catch (error) {
      if (error instanceof PickupRefused || error instanceof CourierRejected) {
        // Only a refusal of this item shows that no waybill is under its key; a refused call (e.g. our
        // account key) keeps the booking open, for a lost earlier answer may have made one.
        if (error instanceof PickupRefused) await this.endBooking(claimId, attempt);
        throw new Problem(502, `택배사가 회수 송장을 발급하지 않았습니다: ${error.message}`, {
          code: 'courier-rejected',
        });
      }
      await this.withdrawBooking(claimId, attempt, pickup).catch((withdrawError) =>
        this.ctx.log.warn(
          { err: withdrawError, claimId },
          'could not cancel the pickup of an approval whose courier answer was lost',
        ),
      );
      throw error;
    }
    const { courierCode, pollIntervalMs } = this.settings();
    let cancelOnFailure = false;
    try {
      await this.ctx.transaction(async (trx) => {
        const locked = await this.load(trx, claimId, type, true);
        if (locked.status === 'APPROVED') return;
        // Rejected meanwhile, or a reject or the sweep cancelled (or is cancelling) this booking while
        // its answer was on the way.
        cancelOnFailure =
          locked.status !== 'REQUESTED' ||
          !locked.pickup_booking ||
          locked.pickup_attempt !== attempt ||
          withdrawing(locked);
        checkDecision(locked.status);
        if (cancelOnFailure) {
          throw conflict(
            '승인하는 동안 회수 접수가 취소되었습니다. 신청 상태를 확인해 주세요.',
            'pickup-withdrawn',
          );
        }
        const now = new Date();
        const approved = await this.bump(trx, claimId, {
          status: 'APPROVED',
          approved_at: now,
          ...BOOKING_CLOSED,
        });
        await trx
          .insertInto('shipments')
          .values({
            order_id: order.order_id,
            role: 'PICKUP',
            claim_id: claimId,
            status: 'READY',
            courier_status: 'ACCEPTED',
            courier_code: courierCode,
            tracking_number: trackingNumber,
            goods_name: pickup.goodsName,
            quantity: pickup.quantity,
            receiver: JSON.stringify(order.receiver) as never,
            dispatch_due_at: null,
            next_poll_at: new Date(now.getTime() + pollIntervalMs),
            last_poll_error: null,
            dispatched_at: now,
            picked_up_at: null,
            delivered_at: null,
            cancelled_at: null,
          })
          .execute();
        afterCommit(trx, () => this.wake.tracker(pollIntervalMs));
        if (type === 'EXCHANGE') await this.countExchanged(trx, items, +1);
        const payload = {
          ...this.ref(approved, order),
          pickupTrackingNumber: trackingNumber,
          approvedAt: now.toISOString(),
        };
        await this.ctx.publish(trx, type === 'RETURN' ? ReturnApproved : ExchangeApproved, payload);
      });
    } catch (error) {
      // Decided while the pickup was being booked: the courier must not go for it.
      if (cancelOnFailure) await this.cancelPickup(trackingNumber);
      throw error;
    }
  }

  /**
   * Puts the pickup booking on the claim before the courier is called: a new attempt, unless a
   * booking whose answer was lost is still open (a retry then gets that same waybill; 409 until the
   * sweep pass cancelling it has finished). Either way it is marked taken up now, so the sweep leaves
   * it alone until it goes stale. Undefined when the claim was approved meanwhile.
   */
  private startBooking(claimId: string, type: ClaimType): Promise<number | undefined> {
    return this.ctx.transaction(async (trx) => {
      const locked = await this.load(trx, claimId, type, true);
      if (locked.status === 'APPROVED') return undefined;
      checkDecision(locked.status);
      if (locked.pickup_booking && withdrawing(locked)) {
        throw conflict(
          '택배사에 남아 있던 회수 접수를 취소하는 중입니다. 잠시 후 다시 승인해 주세요.',
          'pickup-withdrawing',
        );
      }
      const booked = await trx
        .updateTable('claims')
        .set((eb) =>
          locked.pickup_booking
            ? { pickup_booked_at: new Date() }
            : {
                pickup_attempt: eb('pickup_attempt', '+', 1),
                pickup_booking: true,
                pickup_booked_at: new Date(),
              },
        )
        .where('id', '=', claimId)
        .returning('pickup_attempt')
        .executeTakeFirstOrThrow();
      return booked.pickup_attempt;
    });
  }

  /** The courier holds no live waybill of this booking (refused, or cancelled): the next one is new. */
  private async endBooking(claimId: string, attempt: number): Promise<void> {
    await this.ctx.db
      .updateTable('claims')
      .set(BOOKING_CLOSED)
      .where('id', '=', claimId)
      .where('pickup_attempt', '=', attempt)
      .execute();
  }

  /** Extends a sweep pass's lease on a booking; false when the booking is no longer this pass's. */
  private async renewWithdrawal(claimId: string, attempt: number, lease: WithdrawalLease): Promise<boolean> {
    const until = new Date(Date.now() + this.settings().leaseMs);
    const renewed = await this.ctx.db
      .updateTable('claims')
      .set({ pickup_withdrawing_until: until })
      .where('id', '=', claimId)
      .where('pickup_attempt', '=', attempt)
      .where('pickup_booking', '=', true)
      .where('pickup_withdrawing_until', '=', lease.until)
      .returning('id')
      .executeTakeFirst();
    if (renewed) lease.until = until;
    return renewed !== undefined;
  }

  /**
   * The courier cancelled the booking's waybill: the booking is closed, by a sweep pass only while it
   * is still this pass's. A pass whose lease was taken over after its cancel went out still knows that
   * no waybill under this key is live, so it closes the booking if it is open (an approval booking it
   * meanwhile then answers 409 pickup-withdrawn and cancels, harmlessly). An approval that did get this
   * waybill (possible only once another pass gave the booking up) has a pickup the courier cancelled:
   * the tracker polls it, and applies the cancel as for any pickup the courier cancels (REQUESTED,
   * return.pickup-cancelled, the admin approves again). Nothing here re-books it: the approval already
   * announced that tracking number.
   */
  private async closeWithdrawn(
    claimId: string,
    attempt: number,
    trackingNumber: string,
    lease: WithdrawalLease | undefined,
  ): Promise<void> {
    if (!lease) return this.endBooking(claimId, attempt);
    const closed = await this.ctx.db
      .updateTable('claims')
      .set(BOOKING_CLOSED)
      .where('id', '=', claimId)
      .where('pickup_attempt', '=', attempt)
      .where('pickup_withdrawing_until', '=', lease.until)
      .returning('id')
      .executeTakeFirst();
    if (closed) return;
    const stillOpen = await this.ctx.db
      .updateTable('claims')
      .set(BOOKING_CLOSED)
      .where('id', '=', claimId)
      .where('pickup_attempt', '=', attempt)
      .where('pickup_booking', '=', true)
      .returning('id')
      .executeTakeFirst();
    if (stillOpen) return;
    const adopted = await this.ctx.db
      .selectFrom('shipments')
      .select('id')
      .where('claim_id', '=', claimId)
      .where('role', '=', 'PICKUP')
      .where('tracking_number', '=', trackingNumber)
      .executeTakeFirst();
    if (adopted) {
      this.ctx.log.warn(
        { claimId, trackingNumber },
        'a sweep cancelled the pickup of a claim approved after its lease was taken over; tracking reopens the claim',
      );
    }
  }

  /**
   * The pickup sweep's part: withdraws a booking left open (its approval's answer was lost and its
   * withdrawal failed, or a reject was refused with 503) that nobody took up since, as a reject
   * would. The courier already collecting it is recorded on the claim for the admin (approving adopts
   * it) and left alone; a courier that cannot be reached leaves it for the next sweep, staleMs later.
   */
  async withdrawLeftBooking(
    claimId: string,
    attempt: number,
    lease: WithdrawalLease,
  ): Promise<'withdrawn' | 'closed' | 'taken' | 'under-way' | 'later'> {
    const claim = await this.load(this.ctx.db, claimId);
    if (!claim.pickup_booking || claim.pickup_attempt !== attempt) return 'closed'; // by a reject meanwhile
    const order = await this.order(this.ctx.db, claim.order_id);
    const pickup = await this.pickupOf(order, await this.items(this.ctx.db, claimId));
    try {
      return (await this.withdrawBooking(claimId, attempt, pickup, lease)) ? 'withdrawn' : 'taken';
    } catch (error) {
      if (error instanceof Problem && error.code === 'pickup-under-way') return 'under-way';
      // Given up for now, only while still this pass's: another pass may be cancelling it.
      await this.ctx.db
        .updateTable('claims')
        .set({ pickup_booked_at: new Date(), pickup_withdrawing_until: null })
        .where('id', '=', claimId)
        .where('pickup_attempt', '=', attempt)
        .where('pickup_booking', '=', true)
        .where('pickup_withdrawing_until', '=', lease.until)
        .execute();
      if (error instanceof ServiceCallError || error instanceof CourierRejected) {
        this.ctx.log.warn(
          { err: error, claimId },
          'could not cancel a pickup booking left open; the sweep tries again later',
        );
        return 'later';
      }
      throw error;
    }
  }

  /** Uploads the pickup of a booking; the courier answers the waybill it already has for that key. */
  private async book(claimId: string, attempt: number, pickup: PickupItem): Promise<string> {
    const answer = await this.courier.upload([
      { ...pickup, reference: pickupReference(claimId, attempt), pickup: true },
    ]);
    const result = answer.results[0];
    if (result?.trackingNumber) return result.trackingNumber;
    if (result?.error) throw new PickupRefused(result.error.code, result.error.message);
    throw new Error('the courier answered the pickup upload without its result');
  }

  /**
   * Cancels a booking whose answer was lost: the same upload again names its waybill (or makes it,
   * if the first never arrived), which is then cancelled. Throws when the courier cannot tell (not
   * reached, or the whole call refused: CourierRejected), and 409 when it has already collected the
   * parcel (the claim can only be approved then). A sweep pass renews its lease before each courier
   * call and answers false, having sent nothing more, once the booking is no longer its own.
   */
  private async withdrawBooking(
    claimId: string,
    attempt: number,
    pickup: PickupItem,
    lease?: WithdrawalLease,
  ): Promise<boolean> {
    if (lease && !(await this.renewWithdrawal(claimId, attempt, lease))) return false;
    let trackingNumber: string;
    try {
      trackingNumber = await this.book(claimId, attempt, pickup);
    } catch (error) {
      if (!(error instanceof PickupRefused)) throw error;
      // This item refused: no waybill was made under this key.
      await this.endBooking(claimId, attempt);
      return true;
    }
    if (lease && !(await this.renewWithdrawal(claimId, attempt, lease))) return false;
    const result = (await this.courier.cancel([trackingNumber])).results[0];
    if (!result?.cancelled && result?.error?.code !== 'NOT_FOUND_WAYBILL') {
      // Seen on the claim too: the admin's queue shows a parcel under way that nobody approved.
      await this.ctx.db
        .updateTable('claims')
        .set({
          pickup_under_way_tracking_number: trackingNumber,
          pickup_under_way_courier_status: result?.status ?? null,
          pickup_under_way_at: new Date(),
          pickup_withdrawing_until: null,
        })
        .where('id', '=', claimId)
        .where('pickup_attempt', '=', attempt)
        .where('pickup_booking', '=', true)
        .execute();
      throw new Problem(
        409,
        '택배사가 이미 상품을 회수하고 있어 회수를 취소할 수 없습니다. 신청을 승인해 회수를 이어가 주세요.',
        {
          code: 'pickup-under-way',
          extensions: { trackingNumber, courierStatus: result?.status ?? null },
        },
      );
    }
    await this.closeWithdrawn(claimId, attempt, trackingNumber, lease);
    return true;
  }

  private async cancelPickup(trackingNumber: string): Promise<void> {
    try {
      await this.courier.cancel([trackingNumber]);
    } catch (error) {
      this.ctx.log.warn(
        { err: error, trackingNumber },
        'could not cancel the pickup of a claim decided meanwhile',
      );
    }
  }

  /** What the courier is asked to collect: every unit of the claim, at the order's address. */
  private async pickupOf(order: OrderRow, items: ClaimItemRow[]): Promise<PickupItem> {
    const lines = new Map((await orderLines(this.ctx.db, order.order_id)).map((l) => [l.order_item_id, l]));
    return {
      receiverName: order.receiver.name,
      receiverPhone: order.receiver.phone,
      zipCode: order.receiver.zipCode,
      address: fullAddress(order.receiver),
      goodsName: goodsLabel(items.map((i) => lines.get(i.order_item_id)?.product_name ?? '상품')),
      quantity: items.reduce((sum, i) => sum + i.quantity, 0),
    };
  }

  /** An approved exchange's units are not claimable again; a failed pickup gives them back. */
  private async countExchanged(trx: Trx, items: ClaimItemRow[], sign: 1 | -1): Promise<void> {
    for (const item of items) {
      await trx
        .updateTable('order_lines')
        .set((eb) => ({ exchanged_quantity: eb('exchanged_quantity', '+', sign * item.quantity) }))
        .where('order_item_id', '=', item.order_item_id)
        .execute();
    }
  }

  /**
   * The admin rejects with a reason the shopper sees; the claim is closed and announced. A pickup
   * booked by an approval whose answer was lost is cancelled at the courier first: while the courier
   * cannot be reached the reject is refused (503) and the claim stays REQUESTED, because a rejected
   * claim must not be collected, and only the courier can stop that. An exchange's reservation (an
   * approval that reserved but failed, or whose pickup the courier cancelled) is given back.
   */
  async reject(claimId: string, type: ClaimType, reason: string): Promise<void> {
    const claim = await this.load(this.ctx.db, claimId, type);
    checkDecision(claim.status);
    if (claim.pickup_booking) {
      const order = await this.order(this.ctx.db, claim.order_id);
      const pickup = await this.pickupOf(order, await this.items(this.ctx.db, claimId));
      try {
        await this.withdrawBooking(claimId, claim.pickup_attempt, pickup);
      } catch (error) {
        // A whole call refused (our account key, 400 for the request) cannot tell either.
        if (!(error instanceof ServiceCallError) && !(error instanceof CourierRejected)) throw error;
        const cause =
          error instanceof ServiceCallError
            ? '택배사에 연결할 수 없어'
            : `택배사가 요청을 거절해(${error.code})`;
        throw new Problem(
          503,
          `${cause} 접수된 회수를 취소하지 못했습니다. 회수가 진행될 수 있어 거절하지 않았습니다. 잠시 후 다시 거절해 주세요.`,
          {
            code: 'courier-unavailable',
            extensions:
              error instanceof ServiceCallError ? { service: error.target } : { courierCode: error.code },
          },
        );
      }
    }
    await this.ctx.transaction(async (trx) => {
      const locked = await this.load(trx, claimId, type, true);
      checkDecision(locked.status);
      // An approval started another booking meanwhile: it decides first.
      if (locked.pickup_booking) {
        throw conflict('승인이 진행 중인 신청입니다. 잠시 후 다시 확인해 주세요.', 'pickup-booking');
      }
      const now = new Date();
      const rejected = await this.bump(trx, claimId, {
        status: 'REJECTED',
        rejected_at: now,
        reject_reason: reason,
      });
      const order = await this.order(trx, locked.order_id);
      await this.ctx.publish(trx, type === 'RETURN' ? ReturnRejected : ExchangeRejected, {
        ...this.ref(rejected, order),
        rejectReason: reason,
        rejectedAt: now.toISOString(),
      });
    });
    if (type === 'EXCHANGE') {
      await this.products
        .release(claimId)
        .catch((error) =>
          this.ctx.log.warn({ err: error, claimId }, 'could not release the exchange reservation'),
        );
    }
  }

  /**
   * The courier cancelled the pickup before collecting anything: the collection failed, and the
   * claim goes back to REQUESTED for the admin to approve again (a new waybill) or reject. An
   * exchange's units are claimable again; its new options stay reserved until that decision.
   */
  async pickupCancelled(trx: Trx, claimId: string, pickupTrackingNumber: string, at: Date): Promise<void> {
    const claim = await this.load(trx, claimId, undefined, true);
    if (claim.status !== 'APPROVED') return;
    if (claim.type === 'EXCHANGE') await this.countExchanged(trx, await this.items(trx, claimId), -1);
    const requested = await this.bump(trx, claimId, {
      status: 'REQUESTED',
      approved_at: null,
      pickup_cancelled_at: at,
    });
    const order = await this.order(trx, claim.order_id);
    await this.ctx.publish(trx, claim.type === 'RETURN' ? ReturnPickupCancelled : ExchangePickupCancelled, {
      ...this.ref(requested, order),
      pickupTrackingNumber,
      cancelledAt: at.toISOString(),
    });
  }

  /** The courier picked the parcel up at the shopper's. */
  async collecting(trx: Trx, claimId: string, pickupTrackingNumber: string, at: Date): Promise<void> {
    const claim = await this.load(trx, claimId, undefined, true);
    if (claim.status !== 'APPROVED') return;
    const updated = await this.bump(trx, claimId, { status: 'COLLECTING' });
    const order = await this.order(trx, claim.order_id);
    await this.ctx.publish(trx, claim.type === 'RETURN' ? ReturnCollecting : ExchangeCollecting, {
      ...this.ref(updated, order),
      pickupTrackingNumber,
      pickedUpAt: at.toISOString(),
    });
  }

  /**
   * The parcel arrived at the shop. A return completes: the refund is worked out from the line shares
   * (exact, see domain/refunds.ts), recorded on the lines and announced for the restock, the PG
   * refund, the points and the coupon. An exchange ships the new options.
   */
  async collected(trx: Trx, claimId: string, at: Date): Promise<void> {
    const claim = await this.load(trx, claimId, undefined, true);
    if (claim.status !== 'COLLECTING' && claim.status !== 'APPROVED') return;
    const order = await this.order(trx, claim.order_id, true);
    const items = await this.items(trx, claimId);
    if (claim.type === 'RETURN') {
      const lines = await orderLines(trx, order.order_id, true);
      const refund = returnRefund(
        lines.map(shares),
        new Map(items.map((i) => [i.order_item_id, i.quantity])),
        claim.fee_amount,
      );
      for (const line of refund.lines) {
        await trx
          .updateTable('order_lines')
          .set((eb) => ({
            returned_quantity: eb('returned_quantity', '+', line.quantity),
            refunded_amount: eb('refunded_amount', '+', line.refundAmount),
            points_refunded: eb('points_refunded', '+', line.pointsRefund),
          }))
          .where('order_item_id', '=', line.orderItemId)
          .execute();
        await trx
          .updateTable('claim_items')
          .set({ refund_amount: line.refundAmount, points_refund: line.pointsRefund })
          .where('claim_id', '=', claimId)
          .where('order_item_id', '=', line.orderItemId)
          .execute();
      }
      await trx
        .updateTable('orders')
        .set((eb) => ({ refunded_amount: eb('refunded_amount', '+', refund.refundAmount) }))
        .where('order_id', '=', order.order_id)
        .execute();
      const restoreCoupon = refund.wholeOrder && order.coupon_id !== null;
      const completed = await this.bump(trx, claimId, {
        status: 'COMPLETED',
        collected_at: at,
        completed_at: at,
        refund_amount: refund.refundAmount,
        points_refund: refund.pointsRefund,
        fee_amount: refund.feeAmount,
        whole_order: refund.wholeOrder,
        restore_coupon: restoreCoupon,
      });
      const skuOf = new Map(items.map((i) => [i.order_item_id, i.sku_id]));
      await this.ctx.publish(trx, ReturnCompleted, {
        ...this.ref(completed, order),
        reason: claim.reason,
        items: refund.lines.map((l) => ({
          orderItemId: l.orderItemId,
          skuId: skuOf.get(l.orderItemId)!,
          quantity: l.quantity,
          refundAmount: l.refundAmount,
          pointsRefund: l.pointsRefund,
        })),
        refundAmount: refund.refundAmount,
        pointsRefund: refund.pointsRefund,
        feeAmount: refund.feeAmount,
        restoreCoupon,
        couponId: order.coupon_id,
        wholeOrder: refund.wholeOrder,
        completedAt: at.toISOString(),
      });
      return;
    }
    const reshipping = await this.bump(trx, claimId, { status: 'RESHIPPING', collected_at: at });
    await this.ctx.publish(trx, ExchangeCollected, {
      ...this.ref(reshipping, order),
      reason: claim.reason,
      items: items.map((i) => ({
        orderItemId: i.order_item_id,
        skuId: i.sku_id,
        newSkuId: i.new_sku_id!,
        quantity: i.quantity,
      })),
      collectedAt: at.toISOString(),
    });
    const lines = new Map((await orderLines(trx, order.order_id)).map((l) => [l.order_item_id, l]));
    const { autoDispatch, autoDispatchDelayMs } = this.settings();
    await trx
      .insertInto('shipments')
      .values(
        waitingShipment({
          orderId: order.order_id,
          role: 'EXCHANGE',
          claimId,
          goodsName:
            `[교환] ${goodsLabel(items.map((i) => lines.get(i.order_item_id)?.product_name ?? '상품'))}`.slice(
              0,
              100,
            ),
          quantity: items.reduce((sum, i) => sum + i.quantity, 0),
          receiver: order.receiver,
          dispatchDueAt: autoDispatch ? new Date(Date.now() + autoDispatchDelayMs) : null,
        }),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
    if (autoDispatch) afterCommit(trx, () => this.wake.dispatcher(autoDispatchDelayMs));
  }

  /** The new options were delivered: the exchange is done. */
  async reshipDelivered(trx: Trx, claimId: string, trackingNumber: string, at: Date): Promise<void> {
    const claim = await this.load(trx, claimId, undefined, true);
    if (claim.status !== 'RESHIPPING') return;
    const done = await this.bump(trx, claimId, { status: 'EXCHANGED', completed_at: at });
    const order = await this.order(trx, claim.order_id);
    await this.ctx.publish(trx, ExchangeCompleted, {
      ...this.ref(done, order),
      trackingNumber,
      completedAt: at.toISOString(),
    });
  }

  private ref(claim: ClaimRow, order: OrderRow) {
    return {
      claimId: claim.id,
      orderId: order.order_id,
      orderNumber: order.order_number,
      userId: order.user_id,
      version: claim.version,
    };
  }

  private async load(db: Db, claimId: string, type?: ClaimType, lock = false) {
    let query = db.selectFrom('claims').selectAll().where('id', '=', claimId);
    if (lock) query = query.forUpdate();
    const claim = await query.executeTakeFirst();
    if (!claim || (type && claim.type !== type)) {
      throw notFound(`${type === 'EXCHANGE' ? '교환' : '반품'} 신청 ${claimId}을(를) 찾을 수 없습니다.`);
    }
    return claim;
  }

  private items(db: Db, claimId: string) {
    return db
      .selectFrom('claim_items')
      .selectAll()
      .where('claim_id', '=', claimId)
      .orderBy('order_item_id')
      .execute();
  }

  private order(db: Db, orderId: string, lock = false) {
    let query = db.selectFrom('orders').selectAll().where('order_id', '=', orderId);
    if (lock) query = query.forUpdate();
    return query.executeTakeFirstOrThrow();
  }

  private bump(trx: Trx, claimId: string, changes: Partial<Omit<ClaimRow, 'id' | 'version'>>) {
    return trx
      .updateTable('claims')
      .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
      .where('id', '=', claimId)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
