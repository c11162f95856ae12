import {
  type ClaimReason,
  type ClaimType,
  ExchangeApproved,
  ExchangeCollected,
  ExchangeCollecting,
  ExchangeCompleted,
  ExchangeRejected,
  ExchangeRequested,
  ReturnApproved,
  ReturnCollecting,
  ReturnCompleted,
  ReturnRejected,
  ReturnRequested,
} from '@sagamart/contracts';
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
 * RESHIPPING → EXCHANGED (exchange); REQUESTED → REJECTED. Every transition is published.
 */
export class Claims {
  constructor(
    private readonly ctx: ServiceContext<ShippingDb>,
    private readonly courier: CourierClient,
    private readonly products: ProductClient,
    private readonly settings: () => ShippingSettings,
    /** Who to tell once a commit made work: a pickup waybill to poll, an exchange to dispatch. */
    private readonly wake: { tracker: (dueInMs: number) => void; dispatcher: (dueInMs: number) => void },
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
   * then the pickup waybill is issued at the courier (keyed by the claim, so a retry gets the same
   * one), then the claim is APPROVED and announced. Approving an approved claim again is a no-op.
   */
  async approve(claimId: string, type: ClaimType): Promise<void> {
    const claim = await this.load(this.ctx.db, claimId, type);
    if (claim.status === 'APPROVED') return;
    checkDecision(claim.status);
    const order = await this.ctx.db
      .selectFrom('orders')
      .selectAll()
      .where('order_id', '=', claim.order_id)
      .executeTakeFirstOrThrow();
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
    const lines = new Map((await orderLines(this.ctx.db, order.order_id)).map((l) => [l.order_item_id, l]));
    const pickupGoods = goodsLabel(items.map((i) => lines.get(i.order_item_id)?.product_name ?? '상품'));
    const quantity = items.reduce((sum, i) => sum + i.quantity, 0);
    let trackingNumber: string;
    try {
      const answer = await this.courier.upload([
        {
          reference: `pickup-${claimId}`,
          receiverName: order.receiver.name,
          receiverPhone: order.receiver.phone,
          zipCode: order.receiver.zipCode,
          address: fullAddress(order.receiver),
          goodsName: pickupGoods,
          quantity,
          pickup: true,
        },
      ]);
      const result = answer.results[0];
      if (!result?.trackingNumber) {
        throw new Problem(
          502,
          `택배사가 회수 송장을 발급하지 않았습니다: ${result?.error?.message ?? 'unknown'}`,
          {
            code: 'courier-rejected',
          },
        );
      }
      trackingNumber = result.trackingNumber;
    } catch (error) {
      if (error instanceof CourierRejected) {
        throw new Problem(502, `택배사가 회수 송장을 발급하지 않았습니다: ${error.message}`, {
          code: 'courier-rejected',
        });
      }
      throw error;
    }
    const { courierCode, pollIntervalMs } = this.settings();
    let decidedMeanwhile = false;
    try {
      await this.ctx.transaction(async (trx) => {
        const locked = await this.load(trx, claimId, type, true);
        if (locked.status === 'APPROVED') return;
        decidedMeanwhile = locked.status !== 'REQUESTED';
        checkDecision(locked.status);
        const now = new Date();
        const approved = await this.bump(trx, claimId, { status: 'APPROVED', approved_at: now });
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
            goods_name: pickupGoods,
            quantity,
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
        if (type === 'EXCHANGE') {
          for (const item of items) {
            await trx
              .updateTable('order_lines')
              .set((eb) => ({ exchanged_quantity: eb('exchanged_quantity', '+', item.quantity) }))
              .where('order_item_id', '=', item.order_item_id)
              .execute();
          }
        }
        const payload = {
          ...this.ref(approved, order),
          pickupTrackingNumber: trackingNumber,
          approvedAt: now.toISOString(),
        };
        await this.ctx.publish(trx, type === 'RETURN' ? ReturnApproved : ExchangeApproved, payload);
      });
    } catch (error) {
      // Rejected while the pickup was being booked: the courier must not go for a decided claim.
      if (decidedMeanwhile) await this.cancelPickup(trackingNumber);
      throw error;
    }
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

  /**
   * The admin rejects with a reason the shopper sees; the claim is closed and announced. An exchange
   * whose approval reserved stock but then failed at the courier gives the reservation back.
   */
  async reject(claimId: string, type: ClaimType, reason: string): Promise<void> {
    await this.ctx.transaction(async (trx) => {
      const claim = await this.load(trx, claimId, type, true);
      checkDecision(claim.status);
      const now = new Date();
      const rejected = await this.bump(trx, claimId, {
        status: 'REJECTED',
        rejected_at: now,
        reject_reason: reason,
      });
      const order = await this.order(trx, claim.order_id);
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

  private order(trx: Trx, orderId: string, lock = false) {
    let query = trx.selectFrom('orders').selectAll().where('order_id', '=', orderId);
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
