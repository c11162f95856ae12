import { OrderCancelled } from '@sagamart/contracts';
import { eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVERY, type Json, type Shop, startShop } from './support/shop.ts';

// What a cancel tells of the points the order used, through the real participants: order.cancelled
// says how many come back (notification-service words it), and the shopper's ledger names the order.

describe('a cancel gives the order’s points back and says so', () => {
  let shop: Shop;
  let cancels: Awaited<ReturnType<Shop['recorder']>>;
  beforeAll(async () => {
    shop = await startShop();
    cancels = await shop.recorder([OrderCancelled.name]);
  }, 120_000);
  afterAll(async () => {
    await shop?.close();
  });

  const cancelEvent = (orderId: string) =>
    eventually(async () => (await cancels.events()).find((e) => e.payload.orderId === orderId)?.payload);
  const settled = (user: { headers: Record<string, string> }, orderId: string) =>
    eventually(async () => {
      const order = (await shop.order(user, orderId)).body;
      const released = order.timeline.some((t: { event: string }) => t.event === 'RESERVATIONS_RELEASED');
      return order.status === 'CANCELLED' && released ? order : undefined;
    });

  it('tells the points of a paid order cancelled, and the ledger names the order by its number', async () => {
    const { skuIds } = await shop.product([5], 35_000);
    const user = await shop.shopper(4_000);
    const placed = await shop.place(user, {
      items: [{ skuId: skuIds[0], quantity: 1 }],
      delivery: DELIVERY,
      pointsToUse: 2_000,
    });
    expect(placed.body).toMatchObject({
      status: 'PAYMENT_PENDING',
      pointsUsed: 2_000,
      payableAmount: 33_000,
    });
    const { orderId, orderNumber } = placed.body;
    expect((await shop.pay(orderNumber)).body.status).toBe('APPROVED');
    await eventually(async () => (await shop.order(user, orderId)).body.status === 'PAID');

    const cancelled = await shop.api('order-service').post(`/api/orders/${orderId}/cancel`, {}, user.headers);
    expect(cancelled.status).toBe(200);
    expect(await cancelEvent(orderId)).toMatchObject({
      reason: 'USER_CANCELLED',
      wasPaid: true,
      payableAmount: 33_000,
      pointsRefund: 2_000,
    });
    await settled(user, orderId);
    const { balance, ledger } = await shop.points(user);
    expect(balance).toBe(4_000);
    // The points' use and its cancel both name the order as the shopper knows it, never by its id.
    const [release, reserve] = ledger as Json[];
    expect(release).toMatchObject({ type: 'RELEASE', amount: 2_000 });
    expect(reserve).toMatchObject({ type: 'RESERVE', amount: -2_000 });
    for (const entry of [release, reserve]) {
      expect(entry.reason).toContain(orderNumber);
      expect(entry.reason).not.toContain(orderId);
    }
  });

  it('tells the points held by an unpaid order cancelled', async () => {
    const { skuIds } = await shop.product([5], 10_000);
    const user = await shop.shopper(1_000);
    const placed = await shop.place(user, {
      items: [{ skuId: skuIds[0], quantity: 1 }],
      delivery: DELIVERY,
      pointsToUse: 700,
    });
    expect(placed.body.status).toBe('PAYMENT_PENDING');
    const { orderId } = placed.body;
    expect(
      (await shop.api('order-service').post(`/api/orders/${orderId}/cancel`, {}, user.headers)).status,
    ).toBe(200);
    expect(await cancelEvent(orderId)).toMatchObject({ wasPaid: false, pointsRefund: 700 });
    await settled(user, orderId);
    expect((await shop.points(user)).balance).toBe(1_000);
  });

  it('tells no points when the order was refused before its points were taken', async () => {
    const { skuIds } = await shop.product([1], 10_000);
    const user = await shop.shopper(1_000);
    const placed = await shop.place(user, {
      items: [{ skuId: skuIds[0], quantity: 2 }],
      delivery: DELIVERY,
      pointsToUse: 500,
    });
    expect(placed.body).toMatchObject({ status: 'CANCELLED', cancelReason: 'OUT_OF_STOCK' });
    expect(await cancelEvent(placed.body.orderId)).toMatchObject({ reason: 'OUT_OF_STOCK', pointsRefund: 0 });
    expect((await shop.points(user)).ledger.map((e) => e.type)).toEqual(['CHARGE']);
  });
});
