import { OrderPaid } from '@sagamart/contracts';
import { eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVERY, type Json, type Shop, startShop } from './support/shop.ts';

// A PRODUCT (or CATEGORY) discount belongs to the lines it targets: the shares fixed at placement,
// order.paid's lines and shipping-service's refunds keep it there, with the real promotion quote.

describe('item discounts stay on their lines', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await startShop({ afterSale: true });
  }, 120_000);
  afterAll(async () => {
    await shop?.close();
  });

  /**
   * Once the real shipping-service and courier have delivered the order, the shopper sends one unit
   * of a line back defective (no fee) and the admin approves it: the collected return refunds
   * `refund`, and order-service records it.
   */
  async function returnDefectiveUnit(
    user: { headers: Record<string, string> },
    orderId: string,
    orderItemId: number,
    refund: number,
  ) {
    const shipping = shop.api('shipping-service');
    await eventually(
      async () => (await shipping.get(`/api/shipping/orders/${orderId}`, user.headers)).body?.deliveredAt,
      60_000,
    );
    const requested = await shipping.post(
      `/api/orders/${orderId}/returns`,
      { items: [{ orderItemId, quantity: 1 }], reason: 'DEFECTIVE', detail: '불량' },
      user.headers,
    );
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);
    const approved = await shipping.post(`/api/admin/shipping/returns/${requested.body.id}/approve`, {});
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const completed = await eventually(
      async () =>
        (await shipping.get(`/api/orders/${orderId}/claims`, user.headers)).body.claims.find(
          (c: Json) => c.id === requested.body.id && c.status === 'COMPLETED',
        ),
      60_000,
    );
    expect(completed).toMatchObject({ refundAmount: refund, feeAmount: 0 });
    await eventually(async () => (await shop.order(user, orderId)).body.refundedAmount === refund, 30_000);
  }

  it('pays X at half price and Y in full, and returning Y refunds all 100,000 paid for it', async () => {
    const x = await shop.product([5], 100_000);
    const y = await shop.product([5], 100_000);
    const policy = await shop.api('promotion-service').post('/api/admin/promotion/policies', {
      name: 'X 반값',
      targetType: 'PRODUCT',
      targetId: x.productId,
      discountType: 'RATE',
      discountValue: 50,
      validFrom: new Date(Date.now() - 86_400_000).toISOString(),
      validTo: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(policy.status).toBe(201);
    const user = await shop.shopper();
    const paidEvents = await shop.recorder([OrderPaid.name]);

    const placed = await shop.place(user, {
      items: [
        { skuId: x.skuIds[0], quantity: 1 },
        { skuId: y.skuIds[0], quantity: 1 },
      ],
      delivery: DELIVERY,
    });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ subtotal: 200_000, discountAmount: 50_000, payableAmount: 150_000 });
    const { orderId, orderNumber } = placed.body;
    expect((await shop.pay(orderNumber)).body.status).toBe('APPROVED');

    const paid = await eventually(async () =>
      (await paidEvents.events()).find((e) => e.payload.orderId === orderId),
    );
    expect(
      paid.payload.items.map((i: Json) => ({
        skuId: i.skuId,
        discountShare: i.discountShare,
        payableShare: i.payableShare,
      })),
    ).toEqual([
      { skuId: x.skuIds[0], discountShare: 50_000, payableShare: 50_000 },
      { skuId: y.skuIds[0], discountShare: 0, payableShare: 100_000 },
    ]);
    const detail = (await shop.order(user, orderId)).body;
    expect(detail.items.map((i: Json) => i.discountShare)).toEqual([50_000, 0]);

    // Delivered, then Y comes back defective: all 100,000 paid for it are refunded.
    const lineY = detail.items.find((i: Json) => i.skuId === y.skuIds[0]);
    await returnDefectiveUnit(user, orderId, lineY.id, 100_000);
  }, 120_000);

  it('splits one policy over two options of its product, so returning the second refunds half its price', async () => {
    const p = await shop.product([5, 5], 100_000);
    const policy = await shop.api('promotion-service').post('/api/admin/promotion/policies', {
      name: '반값',
      targetType: 'PRODUCT',
      targetId: p.productId,
      discountType: 'RATE',
      discountValue: 50,
      validFrom: new Date(Date.now() - 86_400_000).toISOString(),
      validTo: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(policy.status).toBe(201);
    const user = await shop.shopper();
    const placed = await shop.place(user, {
      items: [
        { skuId: p.skuIds[0], quantity: 1 },
        { skuId: p.skuIds[1], quantity: 1 },
      ],
      delivery: DELIVERY,
    });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ subtotal: 200_000, discountAmount: 100_000, payableAmount: 100_000 });
    const { orderId, orderNumber } = placed.body;
    expect((await shop.pay(orderNumber)).body.status).toBe('APPROVED');
    const detail = (await shop.order(user, orderId)).body;
    expect(detail.items.map((i: Json) => [i.discountShare, i.payableShare])).toEqual([
      [50_000, 50_000],
      [50_000, 50_000],
    ]);

    // The shopper keeps one option at half price: 50,000 of the 100,000 paid come back.
    const second = detail.items.find((i: Json) => i.skuId === p.skuIds[1]);
    await returnDefectiveUnit(user, orderId, second.id, 50_000);
  }, 120_000);
});
