import { eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInvariants } from './support/invariants.ts';
import { DELIVERY, type Json, type Shop, startShop } from './support/shop.ts';

describe('unpaid orders', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await startShop({ orders: { paymentTimeoutSeconds: 1 } });
  }, 120_000);
  afterAll(async () => {
    await shop?.close();
  });

  it('cancels an order not paid in time (PAYMENT_TIMEOUT), releases everything, and refuses a late payment', async () => {
    const { productId, skuIds } = await shop.product([10]);
    const user = await shop.shopper(1_500);
    const couponId = await shop.coupon(user);
    const placed = await shop.place(user, {
      items: [{ skuId: skuIds[0], quantity: 3 }],
      delivery: DELIVERY,
      couponId,
      pointsToUse: 1_500,
    });
    expect(placed.body.status).toBe('PAYMENT_PENDING');
    const { orderId, orderNumber, placedAt, paymentDueAt } = placed.body;
    expect(Date.parse(paymentDueAt) - Date.parse(placedAt)).toBe(1_000);

    const expired = await eventually(async () => {
      const o = (await shop.order(user, orderId)).body;
      return o.status === 'CANCELLED' && o.timeline.some((t: Json) => t.event === 'RESERVATIONS_RELEASED')
        ? o
        : undefined;
    });
    expect(expired.cancelReason).toBe('PAYMENT_TIMEOUT');
    expect(expired.paymentDueAt).toBeNull();
    expect(await shop.sku(productId, skuIds[0]!)).toMatchObject({ stock: 10, reserved: 0 });
    expect((await shop.myCoupon(user, couponId)).status).toBe('ISSUED');
    expect((await shop.points(user)).balance).toBe(1_500);

    // payment-service heard of the cancel, so a late payment is refused before anything is charged.
    await eventually(async () => (await shop.pay(orderNumber)).status === 409);
    expect((await shop.order(user, orderId)).body.status).toBe('CANCELLED');
    await expectInvariants(shop.urls(), { productIds: [productId], userIds: [user.userId] });
  });
});
