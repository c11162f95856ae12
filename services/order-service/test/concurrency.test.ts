import { randomUUID } from 'node:crypto';
import { eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInvariants } from './support/invariants.ts';
import { asUser, DELIVERY, type Json, type Shop, startShop } from './support/shop.ts';

describe('order saga under contention', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await startShop({ orders: { placeWaitMs: 10_000 } });
  }, 120_000);
  afterAll(async () => {
    await shop?.close();
  });

  it('lets exactly 10 of 100 concurrent buyers have the last 10 units; the rest are OUT_OF_STOCK', async () => {
    const { productId, skuIds } = await shop.product([10]);
    const buyers = Array.from({ length: 100 }, () => ({ headers: asUser(randomUUID()) }));
    const answers = await Promise.all(
      buyers.map((buyer) =>
        shop.place(buyer, { items: [{ skuId: skuIds[0], quantity: 1 }], delivery: DELIVERY }),
      ),
    );
    expect(answers.every((a) => a.status === 201 || a.status === 202)).toBe(true);
    const ids = answers.map((a) => a.body.orderId as string);
    expect(new Set(ids).size).toBe(100);

    // Some sagas may still be retrying a reservation that timed out under the load: wait for all.
    const orders = await eventually(async () => {
      const page = (await shop.api('order-service').get('/api/admin/orders?size=100')).body;
      return page.totalElements === 100 && page.content.every((o: Json) => o.status !== 'PENDING')
        ? (page.content as Json[])
        : undefined;
    }, 60_000);
    const payable = orders.filter((o) => o.status === 'PAYMENT_PENDING');
    const refused = orders.filter((o) => o.status === 'CANCELLED');
    expect(payable).toHaveLength(10);
    expect(refused).toHaveLength(90);
    expect(refused.every((o) => o.cancelReason === 'OUT_OF_STOCK')).toBe(true);
    expect(await shop.sku(productId, skuIds[0]!)).toMatchObject({
      stock: 0,
      reserved: 10,
      sold: 0,
      status: 'SOLD_OUT',
    });
    await expectInvariants(shop.urls(), { productIds: [productId] });
  });
});
