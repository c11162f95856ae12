import { type OrderPaidPayload, PICKED_UP_PROBLEM } from '@sagamart/contracts';
import { afterCommit, Problem, type ServiceContext } from '@sagamart/kit';
import { isPickedUp } from '../domain/shipment-rules.ts';
import { type CourierClient, CourierRejected } from '../infra/courier-client.ts';
import type { ShippingDb } from '../infra/schema.ts';
import { publishCancelled } from './events.ts';
import type { ShippingSettings } from './settings.ts';
import { goodsLabel, lockOrderShipping, type ShipmentRow, type Trx, waitingShipment } from './store.ts';
import type { StoppedUpload, Waybills } from './waybills.ts';

/** Shipments of paid orders, and their cancellation before pickup. */
export class Shipments {
  constructor(
    private readonly ctx: ServiceContext<ShippingDb>,
    private readonly courier: CourierClient,
    private readonly waybills: Waybills,
    private readonly settings: () => ShippingSettings,
    /** A shipment to dispatch by itself in `dueInMs` was made: the dispatcher has a new due time. */
    private readonly wakeDispatcher: (dueInMs: number) => void,
  ) {}

  /**
   * order.paid: keep the order (lines with their shares, receiver) and make its shipment READY,
   * NOT_SENT. Nothing earlier makes a shipment, so an unpaid order never gets a waybill. An order
   * whose cancel reached shipping before this event gets its shipment CANCELLED, never sent.
   */
  async paid(trx: Trx, event: OrderPaidPayload): Promise<void> {
    const receiver = {
      name: event.receiver.name,
      phone: event.receiver.phone,
      zipCode: event.receiver.zipCode,
      address: event.receiver.address,
      addressDetail: event.receiver.addressDetail,
    };
    const goodsName = goodsLabel(event.items.map((i) => i.productName));
    await lockOrderShipping(trx, event.orderId);
    const inserted = await trx
      .insertInto('orders')
      .values({
        order_id: event.orderId,
        order_number: event.orderNumber,
        user_id: event.userId,
        payable_amount: event.payableAmount,
        points_used: event.pointsUsed,
        coupon_id: event.couponId,
        receiver: JSON.stringify(receiver) as never,
        goods_name: goodsName,
        paid_at: new Date(event.paidAt),
        auto_confirmed: false,
        delivered_at: null,
        confirmed_at: null,
        points_awarded: null,
      })
      .onConflict((oc) => oc.column('order_id').doNothing())
      .returning('order_id')
      .executeTakeFirst();
    if (!inserted) return;
    await trx
      .insertInto('order_lines')
      .values(
        event.items.map((item, index) => ({
          order_item_id: item.orderItemId,
          order_id: event.orderId,
          line_no: index + 1,
          sku_id: item.skuId,
          product_id: item.productId,
          product_name: item.productName,
          option_label: item.optionLabel,
          quantity: item.quantity,
          unit_price: item.unitPrice,
          line_amount: item.lineAmount,
          discount_share: item.discountShare,
          points_share: item.pointsShare,
          payable_share: item.payableShare,
        })),
      )
      .execute();
    const cancelled = await trx
      .selectFrom('cancelled_orders')
      .select('order_id')
      .where('order_id', '=', event.orderId)
      .executeTakeFirst();
    const { autoDispatch, autoDispatchDelayMs } = this.settings();
    const shipment = waitingShipment({
      orderId: event.orderId,
      role: 'ORIGINAL',
      claimId: null,
      goodsName,
      quantity: event.items.reduce((sum, i) => sum + i.quantity, 0),
      receiver,
      dispatchDueAt: autoDispatch && !cancelled ? new Date(Date.now() + autoDispatchDelayMs) : null,
    });
    if (cancelled) {
      // Stopped before it was made. Announced all the same: the cancel that asked may not have heard
      // the answer, and order-service finishes it on shipment.cancelled.
      const row = await trx
        .insertInto('shipments')
        .values({ ...shipment, status: 'CANCELLED', cancelled_at: new Date() })
        .returningAll()
        .executeTakeFirstOrThrow();
      await publishCancelled(this.ctx, trx, row);
      return;
    }
    await trx.insertInto('shipments').values(shipment).execute();
    if (autoDispatch) afterCommit(trx, () => this.wakeDispatcher(autoDispatchDelayMs));
  }

  /**
   * order-service asks before it cancels a paid order. Until the courier picks the parcel up, the
   * shipment is cancelled (its waybill at the courier first); no shipment yet is remembered, so a
   * late order.paid makes it cancelled. After pickup: 409 picked-up, and the shopper returns it
   * instead. The mark stays even when the courier's answer is lost: a waybill the courier reports
   * cancelled later is this cancel's (tracking.ts). A parcel whose upload went out with its answer
   * lost may have a waybill at the courier all the same: that one is stopped first (ADR 0020); while
   * the courier cannot tell, 503, and the dispatcher stops it once it can, announcing the cancel.
   */
  async cancelBeforePickup(orderId: string): Promise<void> {
    const found = await this.ctx.transaction(async (trx) => {
      await lockOrderShipping(trx, orderId);
      await trx
        .insertInto('cancelled_orders')
        .values({ order_id: orderId })
        .onConflict((oc) => oc.doNothing())
        .execute();
      const shipment = await this.original(trx, orderId);
      if (!shipment || shipment.status === 'CANCELLED') return undefined;
      if (isPickedUp(shipment.courier_status) || shipment.status !== 'READY') throw pickedUp(shipment);
      if (shipment.courier_status === 'NOT_SENT') {
        if (shipment.upload_sent_at) return { sent: shipment };
        await this.markCancelled(trx, shipment);
        return undefined;
      }
      return shipment.tracking_number ? { waybill: shipment.tracking_number } : undefined;
    });
    if (!found) return;
    if (found.sent) return this.stopSentUpload(found.sent);
    const answer = await this.courier.cancel([found.waybill]).catch(courierUnavailable);
    const result = answer.results[0];
    await this.ctx.transaction(async (trx) => {
      const shipment = await this.original(trx, orderId);
      if (!shipment || shipment.status === 'CANCELLED') return;
      // A waybill the courier no longer knows cannot be picked up either.
      if (result?.cancelled || result?.error?.code === 'NOT_FOUND_WAYBILL') {
        await this.markCancelled(trx, { ...shipment, courier_status: 'CANCELLED' });
        return;
      }
      throw pickedUp({ ...shipment, courier_status: result?.status ?? shipment.courier_status });
    });
  }

  /** The waybill a lost answer may have left is stopped; or 409 once the courier has the parcel. */
  private async stopSentUpload(shipment: ShipmentRow): Promise<void> {
    let stopped: StoppedUpload;
    try {
      stopped = await this.waybills.stopSentUpload(shipment);
    } catch (error) {
      await this.waybills.stopLater(shipment);
      return courierUnavailable(error);
    }
    if (!stopped.stopped) {
      throw pickedUp({
        ...shipment,
        courier_status: stopped.courierStatus ?? 'ACCEPTED',
        tracking_number: stopped.trackingNumber,
      });
    }
  }

  private original(trx: Trx, orderId: string): Promise<ShipmentRow | undefined> {
    return trx
      .selectFrom('shipments')
      .selectAll()
      .where('order_id', '=', orderId)
      .where('role', '=', 'ORIGINAL')
      .forUpdate()
      .executeTakeFirst();
  }

  private async markCancelled(trx: Trx, shipment: ShipmentRow): Promise<void> {
    const row = await trx
      .updateTable('shipments')
      .set((eb) => ({
        status: 'CANCELLED',
        courier_status: shipment.courier_status,
        cancelled_at: new Date(),
        dispatch_due_at: null,
        next_poll_at: null,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', shipment.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await publishCancelled(this.ctx, trx, row);
  }
}

/**
 * The courier refused the whole call (our account key, the request), so it said nothing of the
 * parcel: 503 as when it cannot be reached (the kit answers a ServiceCallError so), never a 500.
 */
function courierUnavailable(error: unknown): never {
  if (!(error instanceof CourierRejected)) throw error;
  throw new Problem(
    503,
    `택배사가 요청을 거절해(${error.code}) 배송을 멈추었는지 확인하지 못했습니다. 잠시 후 다시 시도해 주세요.`,
    { code: 'courier-unavailable', extensions: { courierCode: error.code } },
  );
}

function pickedUp(shipment: ShipmentRow): Problem {
  return new Problem(
    409,
    '택배사가 이미 상품을 인수해 주문을 취소할 수 없습니다. 배송 완료 후 반품을 신청해 주세요.',
    {
      code: PICKED_UP_PROBLEM,
      extensions: { courierStatus: shipment.courier_status, trackingNumber: shipment.tracking_number },
    },
  );
}
