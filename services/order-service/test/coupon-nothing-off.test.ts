import { DISCOUNT_AMOUNT_MAX } from '@sagamart/contracts/rules';
import { eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVERY, type Shop, startShop } from './support/shop.ts';

// An ORDER policy that took the whole order left the coupon nothing to take off, yet the order kept
// its couponId and the saga used the coupon up: a PAID order with couponDiscount 0 and the shopper's
// coupon USED for 0원. A coupon that takes nothing off is not applied, so the order leaves it alone.

describe('a coupon that takes nothing off the order', () => {
  let shop: Shop;
  beforeAll(async () => {
    // Its own shop: the ORDER policy below applies to every order.
    shop = await startShop();
  }, 120_000);
  afterAll(async () => {
    await shop?.close();
  });

  it('is not used by the order, and stays usable for the next one', async () => {
    const day = 86_400_000;
    const promotion = shop.api('promotion-service');
    const policy = await promotion.post('/api/admin/promotion/policies', {
      name: '전액 할인',
      targetType: 'ORDER',
      discountType: 'FIXED',
      discountValue: DISCOUNT_AMOUNT_MAX,
      validFrom: new Date(Date.now() - day).toISOString(),
      validTo: new Date(Date.now() + day).toISOString(),
    });
    expect(policy.status).toBe(201);
    const { skuIds } = await shop.product([10], 10_000);
    const user = await shop.shopper();
    const couponId = await shop.coupon(user, { discountValue: 3_000 });
    const items = [{ skuId: skuIds[0], quantity: 1 }];

    // The checkout's preview says so: the coupon is not applied.
    const quote = await shop
      .api('order-service')
      .post('/api/orders/quote', { items, couponId }, user.headers);
    expect(quote.status).toBe(200);
    expect(quote.body).toMatchObject({
      couponId: null,
      couponDiscount: 0,
      discountAmount: 10_000,
      payableAmount: 0,
    });

    const placed = await shop.place(user, { items, delivery: DELIVERY, couponId });
    expect(placed.status, JSON.stringify(placed.body)).toBeLessThan(300);
    const orderId = placed.body.orderId as string;
    const order = await eventually(async () => {
      const read = (await shop.order(user, orderId)).body;
      return read.status !== 'PENDING' && read;
    }, 20_000);
    expect(order).toMatchObject({
      status: 'PAID',
      couponId: null,
      couponDiscount: 0,
      discountAmount: 10_000,
      payableAmount: 0,
    });
    expect(await shop.myCoupon(user, couponId)).toMatchObject({ status: 'ISSUED', orderId: null });

    // Without the policy the same coupon takes its 3,000 off, and that order holds it.
    const off = await promotion.put(`/api/admin/promotion/policies/${policy.body.id}`, {
      ...policy.body,
      status: 'INACTIVE',
      id: undefined,
      createdAt: undefined,
      updatedAt: undefined,
    });
    expect(off.status).toBe(200);
    const next = await shop.place(user, { items, delivery: DELIVERY, couponId });
    expect(next.body).toMatchObject({ couponId, couponDiscount: 3_000, payableAmount: 7_000 });
    expect(await shop.myCoupon(user, couponId)).toMatchObject({
      status: 'RESERVED',
      orderId: next.body.orderId,
    });
  }, 60_000);
});
