import { type OrderPaidPayload, PICKED_UP_PROBLEM } from '@sagamart/contracts';
import { afterCommit, lockForTransaction, Problem, type ServiceContext } from '@sagamart/kit';
import { isPickedUp } from '../domain/shipment-rules.ts';
import type { CourierClient } from '../infra/courier-client.ts';
import type { ShippingDb } from '../infra/schema.ts';
import { publishCancelled } from './events.ts';
import type { ShippingSettings } from './settings.ts';
import { goodsLabel, type ShipmentRow, type Trx, waitingShipment } from './store.ts';

/** Shipments of paid orders, and their cancellation before pickup. */
export class Shipments {
  constructor(
    private readonly ctx: ServiceContext<ShippingDb>,
    private readonly courier: CourierClient,
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
   * cancelled later is this cancel's (tracking.ts).
   */
  async cancelBeforePickup(orderId: string): Promise<void> {
    const waybill = await this.ctx.transaction(async (trx) => {
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
        await this.markCancelled(trx, shipment);
        return undefined;
      }
      return shipment.tracking_number ?? undefined;
    });
    if (!waybill) return;
    const answer = await this.courier.cancel([waybill]);
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
 * order.paid and a cancel of the same order take turns: each reads what the other writes (the
 * cancel's mark, the shipment), and without the lock both could pass at once and a cancelled order
 * would still get its parcel.
 */
function lockOrderShipping(trx: Trx, orderId: string): Promise<void> {
  return lockForTransaction(trx, `shipping.order:${orderId}`);
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
