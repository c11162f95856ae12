import { eventually, scrapeMetrics } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { expectInvariants } from './support/invariants.ts';
import type { SeenRequest } from './support/proxy.ts';
import { DELIVERY, type Json, type Shop, startShop } from './support/shop.ts';

// Faults in the middle of the saga: order-service restarted while a participant holds its answer,
// each participant down and back while its step is due, a participant down while committing, a PG
// that answers too late. After recovery every order is final or payable and every invariant holds.

describe('order saga under faults', () => {
  let shop: Shop;
  const productIds: number[] = [];
  const userIds: string[] = [];
  beforeAll(async () => {
    shop = await startShop({
      proxied: ['product-service', 'promotion-service', 'user-service'],
      orders: { placeWaitMs: 1_000, stuckAfterSeconds: 1, saga: { callTimeoutMs: 1_500 } },
    });
  }, 120_000);
  afterAll(async () => {
    await shop?.close();
  });

  async function setup(points = 2_000) {
    const p = await shop.product([10]);
    productIds.push(p.productId);
    const user = await shop.shopper(points);
    userIds.push(user.userId);
    const couponId = await shop.coupon(user);
    return { ...p, user, couponId };
  }
  const sagaLog = async (orderId: string) =>
    ((await shop.adminOrder(orderId)).body.saga.log as Json[]).map(
      (l) => `${l.action}:${l.step}:${l.outcome}`,
    );
  const isReserve = (path: string) => (r: SeenRequest) => r.method === 'POST' && r.path === path;
  async function stuckCount(): Promise<number> {
    const text = await scrapeMetrics(shop.service('order-service').url);
    const line = text.split('\n').find((l) => l.startsWith('order_sagas_stuck'));
    return Number(line?.split(' ').at(-1));
  }

  it('resumes a saga after order-service restarts mid-step, applying no step twice', async () => {
    const { productId, skuIds, user, couponId } = await setup();
    const promotion = shop.proxy('promotion-service');
    // The coupon is reserved at promotion-service, but the answer never gets back to this instance.
    const held = promotion.hold(isReserve('/internal/coupons/reservations'), 'response');
    const placing = shop.place(user, {
      items: [{ skuId: skuIds[0], quantity: 2 }],
      delivery: DELIVERY,
      couponId,
      pointsToUse: 2_000,
    });
    await held.reached;
    const accepted = await placing;
    expect(accepted.status).toBe(202);
    expect(accepted.body.status).toBe('PENDING');
    const { orderId } = accepted.body;

    await shop.stop('order-service');
    onTestFinished(() => shop.ensureRunning('order-service'));
    held.release();
    expect(await shop.myCoupon(user, couponId)).toMatchObject({ status: 'RESERVED', orderId });
    await shop.start('order-service');

    const resumed = await eventually(async () => {
      const o = (await shop.order(user, orderId)).body;
      return o.status === 'PAYMENT_PENDING' ? o : undefined;
    });
    expect(resumed.timeline.map((t: Json) => t.event)).toEqual(['ORDER_CREATED', 'PAYMENT_PENDING']);
    expect(await sagaLog(orderId)).toEqual([
      'reserve:stock:DONE',
      'reserve:coupon:FAILED',
      'reserve:coupon:DONE',
      'reserve:points:DONE',
    ]);
    // Re-invoked, but applied once.
    expect(promotion.count(isReserve('/internal/coupons/reservations'))).toBeGreaterThanOrEqual(2);
    expect((await shop.movements(productId, orderId)).map((m) => m.type)).toEqual(['RESERVE']);
    expect(await shop.sku(productId, skuIds[0]!)).toMatchObject({ stock: 8, reserved: 2 });
    expect((await shop.points(user)).ledger.filter((e) => e.type === 'RESERVE')).toHaveLength(1);
    expect((await shop.pay(resumed.orderNumber)).body.status).toBe('APPROVED');
    await eventually(async () => (await shop.order(user, orderId)).body.status === 'PAID');
    await expectInvariants(shop.urls(), { productIds, userIds });
  });

  const participants = [
    { name: 'product-service', path: '/internal/stock/reservations', step: 'stock' },
    { name: 'promotion-service', path: '/internal/coupons/reservations', step: 'coupon' },
    { name: 'user-service', path: '/internal/points/reservations', step: 'points' },
  ] as const;

  for (const participant of participants) {
    it(`retries while ${participant.name} is down at its step, reports the saga stuck, and resumes when it is back`, async () => {
      const { user, couponId, skuIds } = await setup();
      const proxy = shop.proxy(participant.name);
      // The step's call waits at the proxy while the participant goes down, then finds it gone.
      const held = proxy.hold(isReserve(participant.path), 'request');
      const placing = shop.place(user, {
        items: [{ skuId: skuIds[0], quantity: 1 }],
        delivery: DELIVERY,
        couponId,
        pointsToUse: 2_000,
      });
      await held.reached;
      await shop.stop(participant.name);
      onTestFinished(() => shop.ensureRunning(participant.name));
      held.release();
      const accepted = await placing;
      expect(accepted.status).toBe(202);
      const { orderId } = accepted.body;

      // Stuck once its first call failed (before that, the call may still be in flight at the proxy).
      const stuck = await eventually(async () => {
        const page = (await shop.api('order-service').get('/api/admin/orders/stuck')).body;
        return page.content.find((s: Json) => s.orderId === orderId && s.attempts >= 1);
      });
      expect(stuck).toMatchObject({
        status: 'PENDING',
        phase: 'RESERVING',
        current: { kind: 'reserve', step: participant.step },
      });
      expect(stuck.attempts).toBeGreaterThanOrEqual(1);
      expect(stuck.lastError).toContain(participant.name);
      expect(await stuckCount()).toBeGreaterThanOrEqual(1);

      await shop.start(participant.name);
      await eventually(
        async () => (await shop.order(user, orderId)).body.status === 'PAYMENT_PENDING',
        15_000,
      );
      const page = (await shop.api('order-service').get('/api/admin/orders/stuck')).body;
      expect(page.content.some((s: Json) => s.orderId === orderId)).toBe(false);
      expect((await sagaLog(orderId)).filter((l) => l === `reserve:${participant.step}:DONE`)).toHaveLength(
        1,
      );
      await expectInvariants(shop.urls(), { productIds, userIds });
    });
  }

  it('commits once user-service is back when it was down as the payment arrived', async () => {
    const { productId, skuIds, user, couponId } = await setup();
    const order = (
      await shop.place(user, {
        items: [{ skuId: skuIds[0], quantity: 1 }],
        delivery: DELIVERY,
        couponId,
        pointsToUse: 1_000,
      })
    ).body;
    expect(order.status).toBe('PAYMENT_PENDING');
    await shop.stop('user-service');
    onTestFinished(() => shop.ensureRunning('user-service'));
    expect((await shop.pay(order.orderNumber)).body.status).toBe('APPROVED');
    const committing = await eventually(async () => {
      const saga = (await shop.adminOrder(order.orderId)).body.saga;
      return saga.phase === 'COMMITTING' && saga.attempts > 0 ? saga : undefined;
    });
    expect(committing.current).toEqual({ kind: 'commit', step: 'points' });
    expect((await shop.order(user, order.orderId)).body.status).toBe('PAYMENT_PENDING');

    await shop.start('user-service');
    await eventually(async () => (await shop.order(user, order.orderId)).body.status === 'PAID', 15_000);
    expect(await shop.sku(productId, skuIds[0]!)).toMatchObject({ reserved: 0, sold: 1 });
    await expectInvariants(shop.urls(), { productIds, userIds });
  });

  it('settles a payment the PG answered too late for, charging once', async () => {
    const { skuIds, user } = await setup(0);
    const order = (await shop.place(user, { items: [{ skuId: skuIds[0], quantity: 1 }], delivery: DELIVERY }))
      .body;
    const slow = await shop.pay(order.orderNumber, 'slow');
    expect(slow.status).toBe(202);
    expect(slow.body.status).toBe('PENDING');
    await eventually(async () => (await shop.order(user, order.orderId)).body.status === 'PAID', 15_000);
    const payments = (
      await shop.api('payment-service').get(`/api/admin/payments?orderNumber=${order.orderNumber}`)
    ).body.content;
    expect(payments).toMatchObject([{ status: 'APPROVED', amount: order.payableAmount }]);
    await expectInvariants(shop.urls(), { productIds, userIds });
  });
});
