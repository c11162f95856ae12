import { randomUUID } from 'node:crypto';
import { PaymentApproved } from '@sagamart/contracts';
import { type ConfigTree, HEADER } from '@sagamart/kit';
import { eventsHandled, eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInvariants } from './support/invariants.ts';
import { asUser, DELIVERY, type Json, type Shop, startShop } from './support/shop.ts';

/**
 * The saga's invariants after a mixed workload with faults, on one transport: paid, declined and
 * cancelled orders with coupons and points, a stock race, participants restarted mid-flight, and
 * payment events delivered twice. Run on the embedded PostgreSQL queue and on RabbitMQ.
 */
export function sagaInvariantSuite(label: string, transport: () => ConfigTree) {
  describe(`order saga invariants on ${label}`, () => {
    let shop: Shop;
    beforeAll(async () => {
      shop = await startShop({ transport: transport(), orders: { placeWaitMs: 10_000 } });
    }, 120_000);
    afterAll(async () => {
      await shop?.close();
    });

    const settled = (user: { headers: Record<string, string> }, orderId: string, status: string) =>
      eventually(async () => {
        const order = (await shop.order(user, orderId)).body;
        return order.status === status ? order : undefined;
      }, 20_000);

    it('holds after a mixed workload with restarts and duplicate payment events', async () => {
      const { productId, skuIds } = await shop.product([50, 3], 12_000);
      const [roomy, scarce] = [skuIds[0]!, skuIds[1]!];
      const shoppers = await Promise.all([1, 2, 3, 4].map(() => shop.shopper(20_000)));
      const coupons = await Promise.all(shoppers.map((s) => shop.coupon(s)));

      // 1. Paid with coupon and points.
      const paid = await shop.place(shoppers[0]!, {
        items: [{ skuId: roomy, quantity: 2 }],
        delivery: DELIVERY,
        couponId: coupons[0],
        pointsToUse: 3_000,
      });
      expect(paid.body.status).toBe('PAYMENT_PENDING');
      expect(paid.body.payableAmount).toBe(2 * 12_000 - 1_000 - 3_000);
      expect((await shop.pay(paid.body.orderNumber, 'approve')).status).toBeLessThan(300);
      await settled(shoppers[0]!, paid.body.orderId, 'PAID');

      // 2. Declined card: cancelled, everything released.
      const declined = await shop.place(shoppers[1]!, {
        items: [{ skuId: roomy, quantity: 1 }],
        delivery: DELIVERY,
        couponId: coupons[1],
        pointsToUse: 1_000,
      });
      await shop.pay(declined.body.orderNumber, 'decline');
      await settled(shoppers[1]!, declined.body.orderId, 'CANCELLED');

      // 3. Paid, then cancelled by its owner: refund, restock, coupon restored, points returned.
      const regretted = await shop.place(shoppers[2]!, {
        items: [{ skuId: roomy, quantity: 1 }],
        delivery: DELIVERY,
        couponId: coupons[2],
        pointsToUse: 500,
      });
      await shop.pay(regretted.body.orderNumber, 'approve');
      await settled(shoppers[2]!, regretted.body.orderId, 'PAID');
      const cancel = await shop
        .api('order-service')
        .post(`/api/orders/${regretted.body.orderId}/cancel`, {}, shoppers[2]!.headers);
      expect(cancel.status).toBe(200);

      // 4. Participants restart while orders are placed and paid.
      const restarting = Promise.all([shop.restart('promotion-service'), shop.restart('payment-service')]);
      const during = await shop.place(shoppers[3]!, {
        items: [{ skuId: roomy, quantity: 1 }],
        delivery: DELIVERY,
        couponId: coupons[3],
        pointsToUse: 2_000,
      });
      await restarting;
      const duringOrder = await eventually(async () => {
        const order = (await shop.order(shoppers[3]!, during.body.orderId)).body;
        return order.status !== 'PENDING' ? order : undefined;
      }, 30_000);
      if (duringOrder.status === 'PAYMENT_PENDING') {
        await eventually(
          async () => (await shop.pay(duringOrder.orderNumber, 'approve')).status < 300,
          20_000,
        );
        await settled(shoppers[3]!, during.body.orderId, 'PAID');
      }

      // 5. A race for the last 3 units, with order-service restarted in the middle. Buyers retry a
      // request cut off by the restart with the same Idempotency-Key, as a real client would.
      const buyers = Array.from({ length: 12 }, () => ({ headers: asUser(randomUUID()), key: randomUUID() }));
      const placeUntilAnswered = (b: (typeof buyers)[number]) =>
        eventually(async () => {
          const body = { items: [{ skuId: scarce, quantity: 1 }], delivery: DELIVERY };
          const answer = await shop.place(b, body, b.key).catch(() => undefined);
          return answer && answer.status < 500 ? answer : undefined;
        }, 60_000);
      const racing = Promise.all(buyers.map(placeUntilAnswered));
      await new Promise((r) => setTimeout(r, 50));
      await shop.restart('order-service');
      expect((await racing).every((a) => a.status === 201 || a.status === 202)).toBe(true);
      const raced = await eventually(async () => {
        const page = (await shop.api('order-service').get('/api/admin/orders?size=100')).body;
        const mine = (page.content as Json[]).filter((o) =>
          buyers.some((b) => b.headers['x-user-id'] === o.userId),
        );
        return mine.length === buyers.length && mine.every((o) => o.status !== 'PENDING') ? mine : undefined;
      }, 60_000);
      expect(raced.filter((o) => o.status === 'PAYMENT_PENDING')).toHaveLength(3);
      expect(
        raced.filter((o) => o.status === 'CANCELLED').every((o) => o.cancelReason === 'OUT_OF_STOCK'),
      ).toBe(true);

      // 6. The first order's approval delivered again, as a broker redelivery (same message id) and as a
      // producer re-send (new id), and the cancelled order's approval too: nothing changes.
      const transport = shop.service('order-service').context.transport!;
      const handledBefore = await eventsHandled(shop.urls().order, PaymentApproved.name);
      for (const order of [paid.body, regretted.body]) {
        const { payment } = (
          await shop.api('payment-service').get(`/internal/payments/orders/${order.orderNumber}`)
        ).body;
        const approved = {
          paymentId: payment.paymentId,
          orderId: payment.orderId,
          orderNumber: payment.orderNumber,
          userId: payment.userId,
          paymentKey: payment.paymentKey,
          version: 2,
          amount: payment.amount,
          method: payment.method ?? 'CARD',
          approvedAt: payment.approvedAt,
        };
        expect(PaymentApproved.validate(approved)).toEqual([]);
        const id = randomUUID();
        const message = (messageId: string) => ({
          id: messageId,
          topic: PaymentApproved.name,
          headers: {
            [HEADER.messageId]: messageId,
            [HEADER.event]: PaymentApproved.name,
            [HEADER.version]: '1',
          },
          payload: approved,
        });
        await transport.publish([message(id), message(id), message(randomUUID())]);
      }
      // Six deliveries handled (applied, found stale, or dropped by the inbox): the copies were consumed, not just slow.
      await eventually(
        async () => (await eventsHandled(shop.urls().order, PaymentApproved.name)) >= handledBefore + 6,
        30_000,
      );
      expect((await shop.adminOrder(paid.body.orderId)).body.status).toBe('PAID');
      expect((await shop.adminOrder(regretted.body.orderId)).body.status).toBe('CANCELLED');

      await expectInvariants(
        shop.urls(),
        { productIds: [productId], userIds: shoppers.map((s) => s.userId) },
        30_000,
      );
      expect((await shop.sku(productId, scarce)).stock).toBeGreaterThanOrEqual(0);
    }, 240_000);
  });
}
