import { type Kysely, sql } from '@sagamart/kit';
import { eventually, metricValue, scrapeMetrics } from '@sagamart/testkit';
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

  it('drops the step log of a saga finished longer ago than orders.retention.sagaLogSeconds, keeping the rest', async () => {
    const { skuIds } = await shop.product([10]);
    const user = await shop.shopper(0);
    const place = async () =>
      (await shop.place(user, { items: [{ skuId: skuIds[0], quantity: 1 }], delivery: DELIVERY })).body
        .orderId as string;
    const [old, recent] = [await place(), await place()];
    const compensated = async (orderId: string) =>
      eventually(async () => {
        const detail = (await shop.adminOrder(orderId)).body;
        return detail.saga.phase === 'COMPENSATED' && detail.saga.current === null ? detail : undefined;
      });
    const [oldBefore, recentBefore] = [await compensated(old), await compensated(recent)];
    expect(oldBefore.saga.log.length).toBeGreaterThan(0);

    const metrics = async () => scrapeMetrics(shop.urls().order);
    const deleted = async () =>
      metricValue(await metrics(), 'retention_deleted_total', { table: 'saga_log' }) ?? 0;
    const passes = async () =>
      metricValue(await metrics(), 'retention_passes_total', { table: 'saga_log' }) ?? 0;
    const deletedBefore = await deleted();
    // 91 days pass for the first saga (the window is 90).
    const db = shop.service('order-service').context.db as Kysely<any>;
    await sql`update sagas set phase_since = phase_since - interval '91 days' where order_id = ${old}`.execute(
      db,
    );
    await sql`update saga_log set at = at - interval '91 days' where order_id = ${old}`.execute(db);
    await eventually(async () => (await deleted()) === deletedBefore + oldBefore.saga.log.length);
    const passed = await passes();
    await eventually(async () => (await passes()) >= passed + 2);
    expect(await deleted()).toBe(deletedBefore + oldBefore.saga.log.length);

    const oldAfter = (await shop.adminOrder(old)).body;
    expect(oldAfter.saga.log).toEqual([]);
    expect(oldAfter.saga.phase).toBe('COMPENSATED');
    expect(oldAfter.timeline).toEqual(oldBefore.timeline);
    expect((await shop.adminOrder(recent)).body.saga.log).toEqual(recentBefore.saga.log);
  });
});
