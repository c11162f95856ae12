import { randomUUID } from 'node:crypto';
import {
  ExchangeApproved,
  ExchangeCollected,
  ExchangeCompleted,
  ExchangeRequested,
  PurchaseConfirmed,
  ReturnApproved,
  ReturnCompleted,
  ReturnPickupCancelled,
  ReturnRejected,
  ReturnRequested,
  ShipmentDelivered,
  ShipmentDispatched,
  ShipmentInTransit,
} from '@sagamart/contracts';
import { DeploymentCredentials, type Kysely, sql } from '@sagamart/kit';
import { asService, eventually, TEST_DEPLOYMENT_SECRET } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderDb } from '../src/infra/schema.ts';
import { expectInvariants } from './support/invariants.ts';
import { DELIVERY, type Json, type Shop, startShop } from './support/shop.ts';

// The after-sale participants (issue 10) through events, with shipping-service's events published on
// the bus as it would: order-service's read copy, the RETURN stock moves and the exchange reservation
// (product), the partial refund at the PG (payment + mock PG), points back and earned (user), the
// coupon restored (promotion). Every event is also delivered twice.

describe('after-sale participants', () => {
  let shop: Shop;
  const productIds: number[] = [];
  const userIds: string[] = [];
  beforeAll(async () => {
    shop = await startShop();
  }, 120_000);
  afterAll(async () => {
    await shop?.close();
  });

  const at = () => new Date().toISOString();
  /** Publishes the same event twice as two messages: a duplicate only business keys can catch. */
  async function twice(...args: Parameters<Shop['publish']>) {
    await shop.publish(args[0], args[1]);
    await shop.publish(args[0], args[1]);
  }

  async function paidOrder(opts: { couponId?: number; points?: number; user: Json; skuIds: number[] }) {
    const placed = await shop.place(opts.user, {
      items: [
        { skuId: opts.skuIds[0], quantity: 2 },
        { skuId: opts.skuIds[1], quantity: 1 },
      ],
      delivery: DELIVERY,
      ...(opts.couponId ? { couponId: opts.couponId } : {}),
      pointsToUse: opts.points ?? 0,
    });
    expect(placed.status).toBe(201);
    await shop.pay(placed.body.orderNumber);
    await eventually(async () => (await shop.order(opts.user, placed.body.orderId)).body.status === 'PAID');
    return (await shop.order(opts.user, placed.body.orderId)).body;
  }

  function ref(order: Json) {
    return { orderId: order.orderId, orderNumber: order.orderNumber, userId: order.userId ?? '' };
  }

  async function deliver(order: Json, userId: string) {
    const shipment = {
      shipmentId: randomUUID(),
      ...ref(order),
      userId,
      kind: 'ORIGINAL' as const,
      claimId: null,
    };
    await twice(ShipmentDispatched, {
      ...shipment,
      version: 2,
      courier: '99',
      trackingNumber: 'SG100000001',
      dispatchedAt: at(),
    });
    // shipping-service publishes each step after the courier reports it, seconds apart; consumers
    // may take events of one order in parallel, so each step is awaited before the next is told.
    await eventually(async () => (await shop.adminOrder(order.orderId)).body.trackingNumber);
    await twice(ShipmentInTransit, { ...shipment, version: 3, trackingNumber: 'SG100000001', at: at() });
    await eventually(async () => (await shop.adminOrder(order.orderId)).body.status === 'SHIPPING');
    await twice(ShipmentDelivered, {
      ...shipment,
      version: 4,
      trackingNumber: 'SG100000001',
      deliveredAt: at(),
    });
  }

  it('follows the parcel, refuses a cancel after pickup, refunds a partial return once, exchanges, and awards points once', async () => {
    const { productId, skuIds } = await shop.product([10, 10], 10_000);
    productIds.push(productId);
    const user = await shop.shopper(5_000);
    userIds.push(user.userId);
    const couponId = await shop.coupon(user, { discountValue: 1_000 });
    const order = await paidOrder({ couponId, points: 3_000, user, skuIds });
    expect(order.payableAmount).toBe(26_000);
    const [line1, line2] = order.items;
    expect(line1.id).toBeGreaterThan(0);
    expect(line1.payableShare + line2.payableShare).toBe(26_000);

    // Shipping: PAID → SHIPPING → DELIVERED with the tracking number, each step recorded once.
    await deliver(order, user.userId);
    await eventually(async () => (await shop.order(user, order.orderId)).body.status === 'DELIVERED');
    let detail = (await shop.order(user, order.orderId)).body;
    expect(detail.trackingNumber).toBe('SG100000001');
    const events = detail.timeline.map((t: Json) => t.event);
    expect(events.filter((e: string) => e === 'SHIPMENT_DELIVERED')).toHaveLength(1);
    expect(events.filter((e: string) => e === 'SHIPMENT_IN_TRANSIT')).toHaveLength(1);
    // Facts, not sentences: the waybill and whose parcel it is.
    expect(detail.timeline.find((t: Json) => t.event === 'SHIPMENT_DISPATCHED')).toMatchObject({
      note: null,
      facts: { trackingNumber: 'SG100000001', shipmentKind: 'ORIGINAL' },
    });

    // Too late to cancel: a clear reason, and nothing changes.
    const cancel = await shop
      .api('order-service')
      .post(`/api/orders/${order.orderId}/cancel`, {}, user.headers);
    expect(cancel.status).toBe(409);
    expect(cancel.body.detail).toContain('반품');

    // A partial return of one unit of line 1.
    const claimId = randomUUID();
    const claim = { claimId, ...ref(order), userId: user.userId };
    const refund = Math.floor(line1.payableShare / 2);
    const pointsBack = Math.floor(line1.pointsShare / 2);
    await twice(ReturnRequested, {
      ...claim,
      version: 1,
      items: [{ orderItemId: line1.id, skuId: line1.skuId, quantity: 1 }],
      reason: 'DEFECTIVE',
      detail: null,
      requestedAt: at(),
    });
    await eventually(
      async () => (await shop.order(user, order.orderId)).body.openClaim?.status === 'REQUESTED',
    );
    await twice(ReturnApproved, {
      ...claim,
      version: 2,
      pickupTrackingNumber: 'SG200000001',
      approvedAt: at(),
    });
    await twice(ReturnCompleted, {
      ...claim,
      version: 4,
      reason: 'DEFECTIVE',
      items: [
        {
          orderItemId: line1.id,
          skuId: line1.skuId,
          quantity: 1,
          refundAmount: refund,
          pointsRefund: pointsBack,
        },
      ],
      refundAmount: refund,
      pointsRefund: pointsBack,
      feeAmount: 0,
      restoreCoupon: false,
      couponId,
      wholeOrder: false,
      completedAt: at(),
    });
    await eventually(async () => (await shop.order(user, order.orderId)).body.refundedAmount === refund);
    detail = (await shop.order(user, order.orderId)).body;
    // What came back of each part it was paid with: won to the card, points to the balance.
    expect(pointsBack).toBeGreaterThan(0);
    expect(detail).toMatchObject({
      status: 'DELIVERED',
      openClaim: null,
      pointsUsed: 3_000,
      refundedAmount: refund,
      refundedPoints: pointsBack,
      // All of it by returns: nothing was cancelled.
      returnsRefundedAmount: refund,
    });
    // The order lists say it too: the shopper's, and the one the agent console reads through chat-service.
    const mine = await shop.api('order-service').get('/api/orders?size=100', user.headers);
    expect(mine.body.content.find((o: Json) => o.orderId === order.orderId)).toMatchObject({
      payableAmount: 26_000,
      pointsUsed: 3_000,
      refundedAmount: refund,
      refundedPoints: pointsBack,
    });
    const chatService = new DeploymentCredentials('chat-service', { current: TEST_DEPLOYMENT_SECRET });
    const forAgents = await shop
      .api('order-service')
      .get(`/internal/customers/${user.userId}/orders`, chatService.headersFor('order-service'));
    expect(forAgents.status).toBe(200);
    expect(forAgents.body.content).toEqual([
      expect.objectContaining({
        orderId: order.orderId,
        payableAmount: 26_000,
        pointsUsed: 3_000,
        refundedAmount: refund,
        refundedPoints: pointsBack,
      }),
    ]);
    // The return's and the refund's entries carry integer won and points for the reader's language to word.
    expect(detail.timeline.find((t: Json) => t.event === 'RETURN_COMPLETED')).toMatchObject({
      note: null,
      facts: { refundAmount: refund, feeAmount: 0, pointsRefund: pointsBack },
    });
    await eventually(async () =>
      (await shop.order(user, order.orderId)).body.timeline.some((t: Json) => t.event === 'PAYMENT_REFUNDED'),
    );
    detail = (await shop.order(user, order.orderId)).body;
    expect(detail.timeline.find((t: Json) => t.event === 'PAYMENT_REFUNDED')).toMatchObject({
      note: null,
      facts: { amount: refund },
    });
    const payments = await shop
      .api('payment-service')
      .get(`/api/payments/orders/${order.orderNumber}`, user.headers);
    expect(payments.body.payment).toMatchObject({
      status: 'APPROVED',
      refundedAmount: refund,
      refunds: [{ claimId, amount: refund, status: 'DONE' }],
    });
    // Sent back defective: held for inspection, not back on sale.
    expect(await shop.sku(productId, skuIds[0]!)).toMatchObject({ stock: 8, reserved: 0, sold: 1, held: 1 });
    await eventually(async () => (await shop.points(user)).balance === 2_000 + pointsBack);
    expect((await shop.points(user)).ledger.filter((e) => e.type === 'RETURN')).toHaveLength(1);
    expect(await shop.myCoupon(user, couponId)).toMatchObject({ status: 'USED' });

    // An exchange of line 2 for the other option: reserved at approval (shipping calls product-service),
    // the old option back on sale when collected, the new one sold.
    const exchangeId = randomUUID();
    const exchange = { claimId: exchangeId, ...ref(order), userId: user.userId };
    const exchangeItems = [{ orderItemId: line2.id, skuId: line2.skuId, newSkuId: skuIds[0]!, quantity: 1 }];
    await twice(ExchangeRequested, {
      ...exchange,
      version: 1,
      items: exchangeItems,
      reason: 'CHANGE_OF_MIND',
      detail: null,
      requestedAt: at(),
    });
    const reserved = await shop
      .api('product-service')
      .post(
        '/internal/stock/reservations',
        { orderId: exchangeId, items: [{ skuId: skuIds[0], quantity: 1 }] },
        asService(),
      );
    expect(reserved.status).toBe(200);
    await twice(ExchangeApproved, {
      ...exchange,
      version: 2,
      pickupTrackingNumber: 'SG200000002',
      approvedAt: at(),
    });
    await twice(ExchangeCollected, {
      ...exchange,
      version: 4,
      reason: 'CHANGE_OF_MIND',
      items: exchangeItems,
      collectedAt: at(),
    });
    await eventually(async () => (await shop.sku(productId, skuIds[1]!)).sold === 0);
    expect(await shop.sku(productId, skuIds[1]!)).toMatchObject({ stock: 10, reserved: 0, sold: 0 });
    await eventually(async () => (await shop.sku(productId, skuIds[0]!)).reserved === 0);
    expect(await shop.sku(productId, skuIds[0]!)).toMatchObject({ stock: 7, reserved: 0, sold: 2, held: 1 });
    await twice(ExchangeCompleted, {
      ...exchange,
      version: 6,
      trackingNumber: 'SG300000001',
      completedAt: at(),
    });
    await eventually(async () =>
      (await shop.order(user, order.orderId)).body.timeline.some(
        (t: Json) => t.event === 'EXCHANGE_COMPLETED',
      ),
    );
    expect((await shop.order(user, order.orderId)).body).toMatchObject({
      openClaim: null,
      // The return's repeated return.completed counted its points once; the exchange gave nothing back.
      refundedAmount: refund,
      refundedPoints: pointsBack,
    });

    // 구매확정: the points once, however often the event comes.
    const before = (await shop.points(user)).balance;
    const award = Math.floor((26_000 - refund) / 100);
    await twice(PurchaseConfirmed, {
      ...ref(order),
      userId: user.userId,
      amountPaid: 26_000 - refund,
      pointsAwarded: award,
      auto: false,
      confirmedAt: at(),
    });
    await eventually(async () => (await shop.order(user, order.orderId)).body.confirmedAt !== null);
    expect(
      (await shop.order(user, order.orderId)).body.timeline.filter(
        (t: Json) => t.event === 'PURCHASE_CONFIRMED',
      ),
    ).toMatchObject([{ note: null, facts: { pointsAwarded: award } }]);
    await eventually(async () => (await shop.points(user)).balance === before + award);
    expect((await shop.points(user)).ledger.filter((e) => e.type === 'EARN')).toHaveLength(1);
    await expectInvariants(shop.urls(), { productIds, userIds });
  });

  it('puts a claim whose pickup the courier cancelled back to REQUESTED, on the timeline once', async () => {
    const { productId, skuIds } = await shop.product([3, 3], 5_000);
    productIds.push(productId);
    const user = await shop.shopper(0);
    userIds.push(user.userId);
    const order = await paidOrder({ user, skuIds });
    await deliver(order, user.userId);
    await eventually(async () => (await shop.order(user, order.orderId)).body.status === 'DELIVERED');
    const claim = { claimId: randomUUID(), ...ref(order), userId: user.userId };
    const openClaim = async () => (await shop.order(user, order.orderId)).body.openClaim;
    await twice(ReturnRequested, {
      ...claim,
      version: 1,
      items: [{ orderItemId: order.items[0].id, skuId: order.items[0].skuId, quantity: 1 }],
      reason: 'DEFECTIVE',
      detail: null,
      requestedAt: at(),
    });
    await eventually(async () => (await openClaim())?.status === 'REQUESTED');
    await twice(ReturnApproved, {
      ...claim,
      version: 2,
      pickupTrackingNumber: 'SG200000009',
      approvedAt: at(),
    });
    await eventually(async () => (await openClaim())?.status === 'APPROVED');
    await twice(ReturnPickupCancelled, {
      ...claim,
      version: 3,
      pickupTrackingNumber: 'SG200000009',
      cancelledAt: at(),
    });
    await eventually(async () => (await openClaim())?.status === 'REQUESTED');
    const timeline = (await shop.order(user, order.orderId)).body.timeline.map((t: Json) => t.event);
    expect(timeline.filter((e: string) => e === 'RETURN_PICKUP_CANCELLED')).toHaveLength(1);
    // The admin may reject it now: the claim closes.
    await twice(ReturnRejected, { ...claim, version: 4, rejectReason: '회수 실패', rejectedAt: at() });
    await eventually(async () => (await openClaim()) === null);
  });

  it('returns a whole order: RETURNED, everything paid refunded exactly, the coupon usable again', async () => {
    const { productId, skuIds } = await shop.product([5, 5], 7_777);
    productIds.push(productId);
    const user = await shop.shopper(2_000);
    userIds.push(user.userId);
    const couponId = await shop.coupon(user, { discountValue: 1_001 });
    const order = await paidOrder({ couponId, points: 1_999, user, skuIds });
    await deliver(order, user.userId);
    await eventually(async () => (await shop.order(user, order.orderId)).body.status === 'DELIVERED');
    const claimId = randomUUID();
    const items = order.items.map((i: Json) => ({
      orderItemId: i.id,
      skuId: i.skuId,
      quantity: i.quantity,
      refundAmount: i.payableShare,
      pointsRefund: i.pointsShare,
    }));
    await twice(ReturnCompleted, {
      claimId,
      ...ref(order),
      userId: user.userId,
      version: 4,
      reason: 'WRONG_ITEM',
      items,
      refundAmount: order.payableAmount,
      pointsRefund: order.pointsUsed,
      feeAmount: 0,
      restoreCoupon: true,
      couponId,
      wholeOrder: true,
      completedAt: at(),
    });
    await eventually(async () => (await shop.order(user, order.orderId)).body.status === 'RETURNED');
    await eventually(
      async () => (await shop.order(user, order.orderId)).body.refundedAmount === order.payableAmount,
    );
    await eventually(async () => (await shop.myCoupon(user, couponId)).status === 'RESTORED');
    await eventually(async () => (await shop.points(user)).balance === 2_000);
    // Everything it was paid with came back: the card's part and the points.
    expect(order.pointsUsed).toBeGreaterThan(0);
    expect((await shop.order(user, order.orderId)).body).toMatchObject({
      refundedAmount: order.payableAmount,
      refundedPoints: order.pointsUsed,
      returnsRefundedAmount: order.payableAmount,
    });
    expect(await shop.sku(productId, skuIds[0]!)).toMatchObject({ stock: 5, reserved: 0, sold: 0 });
    expect(await shop.sku(productId, skuIds[1]!)).toMatchObject({ stock: 5, reserved: 0, sold: 0 });
    await expectInvariants(shop.urls(), { productIds, userIds });
  });

  it('counts what a return gave back when a pod of the previous release completed it (a rolling deploy)', async () => {
    const { productId, skuIds } = await shop.product([5, 5], 10_000);
    productIds.push(productId);
    const user = await shop.shopper(4_000);
    userIds.push(user.userId);
    const order = await paidOrder({ points: 3_000, user, skuIds });
    await deliver(order, user.userId);
    await eventually(async () => (await shop.order(user, order.orderId)).body.status === 'DELIVERED');
    const [line1, line2] = order.items;
    const completed = async (line: Json, quantity: number) => {
      const refundAmount = Math.floor((line.payableShare * quantity) / line.quantity);
      const pointsRefund = Math.floor((line.pointsShare * quantity) / line.quantity);
      await twice(ReturnCompleted, {
        claimId: randomUUID(),
        ...ref(order),
        userId: user.userId,
        version: 4,
        reason: 'CHANGE_OF_MIND',
        items: [{ orderItemId: line.id, skuId: line.skuId, quantity, refundAmount, pointsRefund }],
        refundAmount,
        pointsRefund,
        feeAmount: 0,
        restoreCoupon: false,
        couponId: null,
        wholeOrder: false,
        completedAt: at(),
      });
      return { refundAmount, pointsRefund };
    };
    const returns = async () =>
      (await shop.order(user, order.orderId)).body.timeline.filter(
        (t: Json) => t.event === 'RETURN_COMPLETED',
      ).length;

    // One unit of line 1 comes back while pods of the previous release still take events: one of them
    // records the claim and its RETURN_COMPLETED entry (with the points, facts since migration 0007) and
    // leaves orders.refunded_points (migration 0008's column, which it does not know) as it was.
    const first = await completed(line1, 1);
    expect(first.pointsRefund).toBeGreaterThan(0);
    await eventually(async () => (await returns()) === 1);
    const db = shop.service('order-service').context.db as Kysely<OrderDb>;
    await sql`update orders set refunded_points = 0 where id = ${order.orderId}`.execute(db);
    // Then line 2 comes back whole, on this release.
    const second = await completed(line2, line2.quantity);
    await eventually(async () => (await returns()) === 2);
    const refunded = first.refundAmount + second.refundAmount;
    await eventually(async () => (await shop.order(user, order.orderId)).body.refundedAmount === refunded);

    const gaveBack = {
      orderId: order.orderId,
      refundedAmount: refunded,
      refundedPoints: first.pointsRefund + second.pointsRefund,
    };
    expect((await shop.order(user, order.orderId)).body).toMatchObject({
      ...gaveBack,
      returnsRefundedAmount: refunded,
    });
    expect((await shop.adminOrder(order.orderId)).body).toMatchObject(gaveBack);
    const mine = await shop.api('order-service').get('/api/orders', user.headers);
    const admins = await shop.api('order-service').get(`/api/admin/orders?userId=${user.userId}`);
    const chatService = new DeploymentCredentials('chat-service', { current: TEST_DEPLOYMENT_SECRET });
    const forAgents = await shop
      .api('order-service')
      .get(`/internal/customers/${user.userId}/orders`, chatService.headersFor('order-service'));
    for (const list of [mine, admins, forAgents]) {
      expect(list.status).toBe(200);
      expect(list.body.content).toEqual([expect.objectContaining(gaveBack)]);
    }
    // user-service credited both returns' points: what the order says came back did.
    await eventually(async () => (await shop.points(user)).balance === 1_000 + gaveBack.refundedPoints);
    await expectInvariants(shop.urls(), { productIds, userIds });
  });
});
