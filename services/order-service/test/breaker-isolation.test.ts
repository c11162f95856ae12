import { metricValue, scrapeMetrics } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Shop, startShop } from './support/shop.ts';

// Issue 8, defect 2, on the real path: order-service prices every quote with promotion-service (and
// product-service, user-service). One shopper's bad quotes, hammered in parallel with everyone
// else's, must be that shopper's problem only: they fail with a 4xx, and order-service's breakers,
// at the shipped settings (50 % of at least 20 calls in 10 s), never open for anyone.

describe('one shopper hammering order-service with bad quotes', () => {
  let shop: Shop;
  beforeAll(async () => {
    // Calls wait long enough on a loaded machine: a timeout is unavailability, and would count.
    shop = await startShop({ shared: { http: { client: { timeoutMs: 20_000 } } } });
  }, 120_000);
  afterAll(async () => {
    await shop?.close();
  });

  it('fails only that shopper’s quotes: other shoppers’ valid quotes keep succeeding, no breaker opens', async () => {
    const { skuIds } = await shop.product([50], 12_000);
    const skuId = skuIds[0]!;
    const attacker = await shop.shopper();
    const shoppers = await Promise.all(Array.from({ length: 4 }, () => shop.shopper()));
    const coupons = await Promise.all(shoppers.map((s) => shop.coupon(s, { discountValue: 2_000 })));
    // Someone else's coupon: promotion-service refuses it (409), a 4xx from downstream.
    const othersCoupon = coupons[0]!;
    const quote = (headers: Record<string, string>, body: Record<string, unknown>) =>
      shop
        .api('order-service')
        .post('/api/orders/quote', { items: [{ skuId, quantity: 1 }], ...body }, headers);
    const badQuotes: Array<Record<string, unknown>> = [
      { couponId: 2_147_483_648 }, // beyond int4: refused by order-service's schema
      { couponId: othersCoupon }, // reaches promotion-service, which refuses it
      { couponId: 2_147_483_647 }, // no such coupon at promotion-service
      { pointsToUse: 9_007_199_254_740_991 }, // more than the balance (user-service)
      { items: [{ skuId: 2_147_483_647, quantity: 1 }] }, // no such SKU (product-service)
    ];

    const bad: number[] = [];
    const good: number[] = [];
    for (let round = 0; round < 8; round++) {
      const n = round % shoppers.length;
      const answers = await Promise.all([
        ...badQuotes.map((body) => quote(attacker.headers, body)),
        quote(shoppers[n]!.headers, { couponId: coupons[n] }),
      ]);
      const valid = answers.pop()!;
      bad.push(...answers.map((a) => a.status));
      good.push(valid.status);
      expect(valid.status, JSON.stringify(valid.body)).toBe(200);
      expect(valid.body).toMatchObject({ subtotal: 12_000, couponDiscount: 2_000 });
    }
    // 40 failed quotes, five times as many as the valid ones; about half of order-service's 30-odd
    // calls to promotion-service answered 409: each one a 4xx of its own, none an outage.
    expect(bad).toHaveLength(40);
    expect(bad.every((status) => status >= 400 && status < 500)).toBe(true);
    expect(good.every((status) => status === 200)).toBe(true);
    const metrics = await scrapeMetrics(shop.urls().order);
    for (const target of ['promotion-service', 'product-service', 'user-service']) {
      // 0 closed (absent: no call to it failed at all).
      expect(metricValue(metrics, 'circuit_breaker_state', { target }) ?? 0, target).toBe(0);
    }
    // And the attacker's own valid quote still works: nothing was held against anyone.
    expect((await quote(attacker.headers, {})).status).toBe(200);
  }, 120_000);
});
