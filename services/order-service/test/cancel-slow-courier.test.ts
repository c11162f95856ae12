import type { ConfigTree } from '@sagamart/kit';
import { eventually } from '@sagamart/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { HeldCall } from './support/proxy.ts';
import { DELIVERY, type Json, type Shop, startShop } from './support/shop.ts';

const BULK_CANCEL = '/api/v1/courier/orders/bulk-cancel';

/**
 * A shopper cancels a paid order whose waybill is issued, and the courier is slow to answer the
 * waybill's cancel. The cancel gives up with a 503, yet the courier did cancel the waybill: the
 * parcel will never go. The order must not stay PAID with nothing to ship; the cancel the shopper
 * asked for is finished, and the payment refunded.
 */
describe('a cancel whose answer the courier is slow to give', () => {
  let shop: Shop | undefined;
  let held: HeldCall[] = [];
  afterEach(async () => {
    for (const call of held) call.release();
    held = [];
    await shop?.close();
    shop = undefined;
  });

  /** A paid order whose waybill the courier has accepted (and, this slow, never picks up). */
  async function paidWithWaybill(courierTimeoutMs: number, orders: ConfigTree = {}) {
    shop = await startShop({
      orders,
      afterSale: {
        courier: { mockCourier: { stepMs: 600_000 } },
        shipping: { shipping: { courier: { timeoutMs: courierTimeoutMs } } },
      },
      proxied: ['mock-courier'],
    });
    const { skuIds } = await shop.product([10], 10_000);
    const user = await shop.shopper(0);
    const placed = await shop.place(user, { items: [{ skuId: skuIds[0], quantity: 1 }], delivery: DELIVERY });
    expect(placed.status).toBe(201);
    const { orderId, orderNumber } = placed.body;
    expect((await shop.pay(orderNumber)).status).toBe(200);
    const parcel = () => shop!.api('shipping-service').get(`/api/shipping/orders/${orderId}`, user.headers);
    await eventually(async () => (await parcel()).body?.shipments?.[0]?.trackingNumber);
    return { shop, user, orderId, parcel };
  }

  /**
   * Holds every waybill cancel the courier gets from now on (every retry of every try), before the
   * courier sees it ('request') or after it did the cancel, its answer kept back ('response').
   */
  function holdCancels(target: Shop, stage: 'request' | 'response') {
    const proxy = target.proxy('mock-courier');
    held = Array.from({ length: 30 }, () => proxy.hold((r) => r.path === BULK_CANCEL, stage));
    return held[0]!;
  }

  async function expectCancelledAndRefunded(
    target: Shop,
    user: { headers: Record<string, string> },
    orderId: string,
    parcel: () => Promise<{ status: number; body: Json }>,
  ) {
    const order = await eventually(async () => {
      const detail = (await target.order(user, orderId)).body;
      return detail.status === 'CANCELLED' ? detail : undefined;
    });
    expect(order.cancelReason).toBe('USER_CANCELLED');
    const events = order.timeline.map((t: Json) => t.event);
    expect(events).toContain('SHIPMENT_CANCELLED');
    // payment-service refunds a paid order's cancel; order-service records the refund.
    await eventually(async () =>
      (await target.order(user, orderId)).body.timeline.some((t: Json) => t.event === 'PAYMENT_REFUNDED'),
    );
    expect((await parcel()).body.shipments.map((s: Json) => s.status)).toEqual(['CANCELLED']);
  }

  it('finishes the cancel when shipping-service stops the parcel after order-service gave up waiting', async () => {
    // shipping-service waits longer for the courier than order-service waits for it (2 s a try).
    const { shop, user, orderId, parcel } = await paidWithWaybill(20_000);
    const cancelAtCourier = holdCancels(shop, 'request');
    const cancel = await shop.api('order-service').post(`/api/orders/${orderId}/cancel`, {}, user.headers);
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(503);
    expect(cancel.body.type).toContain('shipping-unavailable');
    await cancelAtCourier.reached;
    expect((await shop.order(user, orderId)).body.status).toBe('PAID');
    // The courier gets the cancel now and does it; shipping-service hears it, order-service did not.
    for (const call of held) call.release();
    await expectCancelledAndRefunded(shop, user, orderId, parcel);
  }, 90_000);

  it('finishes the cancel when the courier cancelled the waybill but shipping-service never heard it', async () => {
    // shipping-service gives up on the courier (300 ms a try); the courier has cancelled the waybill.
    const { shop, user, orderId, parcel } = await paidWithWaybill(300);
    const cancelAtCourier = holdCancels(shop, 'response');
    const cancel = await shop.api('order-service').post(`/api/orders/${orderId}/cancel`, {}, user.headers);
    await cancelAtCourier.reached;
    // Answered 503 when every try failed, or 200 when a retry found the parcel already stopped by
    // what tracking read from the courier: either way the order must end cancelled, never stay PAID.
    expect([200, 503], JSON.stringify(cancel.body)).toContain(cancel.status);
    for (const call of held) call.release();
    await expectCancelledAndRefunded(shop, user, orderId, parcel);
  }, 90_000);

  it('keeps the order when the parcel is stopped only after the cancel stopped holding', async () => {
    // The ask holds for no time at all: whatever stops the parcel later is not this cancel's doing.
    const { shop, user, orderId, parcel } = await paidWithWaybill(20_000, {
      cancel: { requestHoldSeconds: 0 },
    });
    const cancelAtCourier = holdCancels(shop, 'request');
    const cancel = await shop.api('order-service').post(`/api/orders/${orderId}/cancel`, {}, user.headers);
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(503);
    await cancelAtCourier.reached;
    for (const call of held) call.release();
    // order-service records the stop and decides in the same transaction: then the order is read.
    const order = await eventually(async () => {
      const detail = (await shop.order(user, orderId)).body;
      return detail.timeline.some((t: Json) => t.event === 'SHIPMENT_CANCELLED') ? detail : undefined;
    });
    expect(order.status).toBe('PAID');
    expect((await parcel()).body.shipments.map((s: Json) => s.status)).toEqual(['CANCELLED']);
  }, 90_000);
});
