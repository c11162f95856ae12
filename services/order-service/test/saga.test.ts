import { randomUUID } from 'node:crypto';
import { ORDER_NUMBER_PATTERN } from '@sagamart/contracts';
import { eventually, scrapeMetrics } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInvariants } from './support/invariants.ts';
import { DELIVERY, type Json, type Shop, startShop } from './support/shop.ts';

// The order saga end to end through the real participants: placing, paying, failing, cancelling.

describe('order saga', () => {
  let shop: Shop;
  const productIds: number[] = [];
  const userIds: string[] = [];
  beforeAll(async () => {
    shop = await startShop({ proxied: ['product-service'] });
  }, 120_000);
  afterAll(async () => {
    await shop?.close();
  });

  async function product(stocks: number[] = [10], price = 10_000) {
    const p = await shop.product(stocks, price);
    productIds.push(p.productId);
    return p;
  }
  async function shopper(points = 0) {
    const u = await shop.shopper(points);
    userIds.push(u.userId);
    return u;
  }
  const status = async (user: { headers: Record<string, string> }, orderId: string) =>
    (await shop.order(user, orderId)).body.status;
  const events = (order: Json) => (order.timeline as Array<{ event: string }>).map((t) => t.event);

  it('quotes from server prices, promotion discounts and the points balance, ignoring client amounts', async () => {
    const { skuIds } = await product([5, 5], 12_000);
    const user = await shopper(3_000);
    const couponId = await shop.coupon(user, { discountValue: 2_000 });
    const res = await shop.api('order-service').post(
      '/api/orders/quote',
      {
        items: [
          { skuId: skuIds[0], quantity: 2, unitPrice: 1 },
          { skuId: skuIds[1], quantity: 1 },
        ],
        couponId,
        pointsToUse: 1_000,
        totalAmount: 100,
      },
      user.headers,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      subtotal: 36_000,
      couponId,
      couponDiscount: 2_000,
      discountAmount: 2_000,
      pointsBalance: 3_000,
      maxUsablePoints: 3_000,
      pointsUsed: 1_000,
      payableAmount: 33_000,
    });
    expect(res.body.lines).toHaveLength(2);
    expect(res.body.lines[0]).toMatchObject({
      skuId: skuIds[0],
      unitPrice: 12_000,
      quantity: 2,
      lineTotal: 24_000,
      availableStock: 5,
      inStock: true,
    });

    const tooManyPoints = await shop
      .api('order-service')
      .post(
        '/api/orders/quote',
        { items: [{ skuId: skuIds[0], quantity: 1 }], pointsToUse: 5_000 },
        user.headers,
      );
    expect(tooManyPoints.status).toBe(409);
    expect(tooManyPoints.body.type).toBe('urn:sagamart:problem:POINTS_INSUFFICIENT');

    // A coupon chosen after the points leaves less to pay than the points: the preview lowers them
    // to what is left (and says so), where placing the order would refuse them.
    const cheap = await product([5], 2_000);
    const bigCoupon = await shop.coupon(user, { discountValue: 1_500 });
    const fitted = await shop
      .api('order-service')
      .post(
        '/api/orders/quote',
        { items: [{ skuId: cheap.skuIds[0], quantity: 1 }], couponId: bigCoupon, pointsToUse: 1_000 },
        user.headers,
      );
    expect(fitted.status, JSON.stringify(fitted.body)).toBe(200);
    expect(fitted.body).toMatchObject({
      discountAmount: 1_500,
      maxUsablePoints: 500,
      pointsUsed: 500,
      payableAmount: 0,
    });
    const unknown = await shop
      .api('order-service')
      .post('/api/orders/quote', { items: [{ skuId: 987_654_321, quantity: 1 }] }, user.headers);
    expect(unknown.status).toBe(422);
    expect(
      (await shop.api('order-service').post('/api/orders/quote', { items: [] }, user.headers)).status,
    ).toBe(400);
    expect(
      (
        await shop
          .api('order-service')
          .post('/api/orders/quote', { items: [{ skuId: skuIds[0], quantity: 1 }] }, {})
      ).status,
    ).toBe(401);
  });

  it('applies a CATEGORY policy of a parent category to a product in its child category', async () => {
    const parent = await shop
      .api('product-service')
      .post('/api/admin/categories', { name: `상위 ${randomUUID().slice(0, 6)}` });
    const child = await shop
      .api('product-service')
      .post('/api/admin/categories', { name: '하위', parentId: parent.body.id });
    const { skuIds } = await product([5], 20_000);
    const inChild = await shop.product([5], 20_000, child.body.id);
    productIds.push(inChild.productId);
    const policy = await shop.api('promotion-service').post('/api/admin/promotion/policies', {
      name: '상위 카테고리 할인',
      targetType: 'CATEGORY',
      targetId: parent.body.id,
      discountType: 'FIXED',
      discountValue: 3_000,
      validFrom: new Date(Date.now() - 86_400_000).toISOString(),
      validTo: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(policy.status).toBe(201);
    const user = await shopper();
    const quote = await shop.api('order-service').post(
      '/api/orders/quote',
      {
        items: [
          { skuId: inChild.skuIds[0], quantity: 1 },
          { skuId: skuIds[0], quantity: 1 },
        ],
      },
      user.headers,
    );
    expect(quote.body).toMatchObject({
      subtotal: 40_000,
      policyDiscounts: [{ policyId: policy.body.id, amount: 3_000 }],
      discountAmount: 3_000,
      payableAmount: 37_000,
    });
  });

  it('pays a free order (all points) without a payment: PAID at once', async () => {
    const { productId, skuIds } = await product([5], 7_000);
    const user = await shopper(7_000);
    const res = await shop.place(user, {
      items: [{ skuId: skuIds[0], quantity: 1 }],
      delivery: DELIVERY,
      pointsToUse: 7_000,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'PAID', payableAmount: 0, pointsUsed: 7_000 });
    expect(events(res.body)).toEqual(['ORDER_CREATED', 'PAID']);
    expect(await shop.sku(productId, skuIds[0]!)).toMatchObject({ stock: 4, reserved: 0, sold: 1 });
    expect((await shop.points(user)).ledger.map((e) => e.type)).toEqual(['RESERVE', 'CHARGE']);
    expect(await shop.pointsReservation(res.body.orderId)).toMatchObject({
      state: 'COMMITTED',
      amount: 7_000,
    });
    await expectInvariants(shop.urls(), { productIds, userIds });
  });

  it('places an order (stock, coupon, points reserved → PAYMENT_PENDING) and pays it (→ PAID, all committed)', async () => {
    const { productId, skuIds } = await product([10]);
    const user = await shopper(5_000);
    const couponId = await shop.coupon(user, { discountValue: 1_000 });
    const placed = await shop.place(user, {
      items: [{ skuId: skuIds[0], quantity: 3 }],
      delivery: DELIVERY,
      couponId,
      pointsToUse: 2_000,
    });
    expect(placed.status).toBe(201);
    const order = placed.body;
    expect(order).toMatchObject({
      status: 'PAYMENT_PENDING',
      cancelReason: null,
      subtotal: 30_000,
      discountAmount: 1_000,
      couponDiscount: 1_000,
      pointsUsed: 2_000,
      payableAmount: 27_000,
      itemCount: 1,
      totalQuantity: 3,
      cancellable: true,
      delivery: { receiverName: '김구매', zipcode: '06236', addressDetail: '4층' },
    });
    expect(order.orderNumber).toMatch(ORDER_NUMBER_PATTERN);
    expect(placed.headers.get('location')).toBe(`/api/orders/${order.orderId}`);
    expect(events(order)).toEqual(['ORDER_CREATED', 'PAYMENT_PENDING']);
    expect(order.paymentDueAt).not.toBeNull();
    expect(await shop.sku(productId, skuIds[0]!)).toMatchObject({ stock: 7, reserved: 3, sold: 0 });
    expect(await shop.myCoupon(user, couponId)).toMatchObject({ status: 'RESERVED', orderId: order.orderId });
    expect((await shop.points(user)).balance).toBe(3_000);

    const paid = await shop.pay(order.orderNumber);
    expect(paid.body.status).toBe('APPROVED');
    await eventually(async () => (await status(user, order.orderId)) === 'PAID');
    const after = (await shop.order(user, order.orderId)).body;
    expect(events(after)).toEqual(['ORDER_CREATED', 'PAYMENT_PENDING', 'PAYMENT_APPROVED', 'PAID']);
    // The entry carries the facts (won, the PG's method), which the reader's language words; no sentence.
    const approved = after.timeline.find((t: { event: string }) => t.event === 'PAYMENT_APPROVED');
    expect(approved).toMatchObject({ note: null, facts: { amount: 27_000, method: expect.any(String) } });
    expect(after.payments).toMatchObject([{ status: 'APPROVED', amount: 27_000 }]);
    expect(after.paidAt).not.toBeNull();
    // The line keeps its shares of the discount and points (order.paid carries them to shipping).
    expect(after.items).toMatchObject([
      { skuId: skuIds[0], optionLabel: 'S1', discountShare: 1_000, pointsShare: 2_000, payableShare: 27_000 },
    ]);
    expect(after.items[0].id).toBeGreaterThan(0);
    expect(await shop.sku(productId, skuIds[0]!)).toMatchObject({ stock: 7, reserved: 0, sold: 3 });
    expect(await shop.myCoupon(user, couponId)).toMatchObject({ status: 'USED', orderId: order.orderId });
    const points = await shop.points(user);
    expect(points.balance).toBe(3_000);
    expect(points.ledger.map((e) => e.type)).toEqual(['RESERVE', 'CHARGE']);
    expect(await shop.pointsReservation(order.orderId)).toMatchObject({ state: 'COMMITTED', amount: 2_000 });
    // The saga's log is its timeline: every call with its duration and trace, and the payment between.
    const log = (await shop.adminOrder(order.orderId)).body.saga.log as Json[];
    expect(log.map((l) => `${l.action}:${l.step}:${l.outcome}`)).toEqual([
      'reserve:stock:DONE',
      'reserve:coupon:DONE',
      'reserve:points:DONE',
      'pay:payment:DONE',
      'commit:stock:DONE',
      'commit:coupon:DONE',
      'commit:points:DONE',
    ]);
    for (const entry of log) {
      expect(entry.traceId).toMatch(/^[0-9a-f]{32}$/);
      if (entry.step === 'payment') expect(entry.durationMs).toBeNull();
      else expect(entry.durationMs).toBeGreaterThanOrEqual(0);
    }
    // The payment's entry: the same facts as the timeline's.
    expect(log[3]).toMatchObject({ detail: null, facts: { amount: 27_000, method: expect.any(String) } });
    // The reservations ran in the trace of the order's placement, the commits in the payment's.
    expect(log[0]!.traceId).toBe(placed.headers.get('x-trace-id'));
    expect(log[4]!.traceId).toBe(log[3]!.traceId);
    expect(log[3]!.traceId).not.toBe(log[0]!.traceId);
    await expectInvariants(shop.urls(), { productIds, userIds });
  });

  it('answers a long-polled read (whileStatus) once the order has left that status', async () => {
    const { skuIds } = await product([5]);
    const user = await shopper();
    const order = (await shop.place(user, { items: [{ skuId: skuIds[0], quantity: 1 }], delivery: DELIVERY }))
      .body;
    expect(order.status).toBe('PAYMENT_PENDING');
    const api = shop.api('order-service');
    const read = (query: string, headers = user.headers) =>
      api.get(`/api/orders/${order.orderId}?${query}`, headers);
    // A wait that runs out answers the order as it stands.
    const ranOut = await read('whileStatus=PAYMENT_PENDING&waitMs=1');
    expect(ranOut.status).toBe(200);
    expect(ranOut.body).toMatchObject({ orderId: order.orderId, status: 'PAYMENT_PENDING' });
    // Someone else's order stays hidden, waiting or not.
    expect((await read('whileStatus=PAYMENT_PENDING&waitMs=1', (await shopper()).headers)).status).toBe(404);
    expect((await read('whileStatus=PAYMENT_PENDING&waitMs=5000')).status).toBe(400);

    // Asked before the payment, the read answers with the order once it is no longer PAYMENT_PENDING.
    const waiting = read('whileStatus=PAYMENT_PENDING');
    expect((await shop.pay(order.orderNumber)).body.status).toBe('APPROVED');
    let answer = await waiting;
    // Each read waits at most its waitMs (4 s by default); a slow machine may need another.
    while (answer.body.status === 'PAYMENT_PENDING') answer = await read('whileStatus=PAYMENT_PENDING');
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('PAID');
    expect(events(answer.body)).toEqual(['ORDER_CREATED', 'PAYMENT_PENDING', 'PAYMENT_APPROVED', 'PAID']);
    // Not in the status it names: answered at once, asked by id or by number.
    expect((await read('whileStatus=PAYMENT_PENDING')).body.status).toBe('PAID');
    const byNumber = await api.get(
      `/api/orders/${order.orderNumber}?whileStatus=PAYMENT_PENDING`,
      user.headers,
    );
    expect(byNumber.body).toMatchObject({ orderId: order.orderId, status: 'PAID' });
    // Waiting on someone else's order is a 404, by either reference.
    for (const ref of [order.orderId, order.orderNumber]) {
      const hidden = await api.get(`/api/orders/${ref}?whileStatus=PAID&waitMs=1`, (await shopper()).headers);
      expect(hidden.status).toBe(404);
    }
    await expectInvariants(shop.urls(), { productIds, userIds });
  });

  it('answers the same order for a repeated Idempotency-Key and reserves nothing twice', async () => {
    const { productId, skuIds } = await product([10]);
    const user = await shopper(1_000);
    const key = randomUUID();
    const body = { items: [{ skuId: skuIds[0], quantity: 2 }], delivery: DELIVERY, pointsToUse: 500 };
    const first = await shop.place(user, body, key);
    const again = await shop.place(user, body, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.orderId).toBe(first.body.orderId);
    // Racing duplicates too.
    const raced = await Promise.all(Array.from({ length: 5 }, () => shop.place(user, body, `race-${key}`)));
    expect(new Set(raced.map((r) => r.body.orderId)).size).toBe(1);
    expect(raced.every((r) => r.status === 201)).toBe(true);

    expect(await shop.sku(productId, skuIds[0]!)).toMatchObject({ stock: 6, reserved: 4 });
    const points = await shop.points(user);
    expect(points.ledger.filter((e) => e.type === 'RESERVE')).toHaveLength(2);
    expect(points.balance).toBe(0);

    const reused = await shop.place(user, { ...body, items: [{ skuId: skuIds[0], quantity: 1 }] }, key);
    expect(reused.status).toBe(422);
    expect(reused.body.type).toBe('urn:sagamart:problem:idempotency-key-reused');
    const missing = await shop.api('order-service').post('/api/orders', body, user.headers);
    expect(missing.status).toBe(400);
    expect(missing.body.detail).toContain('Idempotency-Key');
    // Another user's same key is another order.
    const other = await shopper();
    const theirs = await shop.place(other, { ...body, pointsToUse: 0 }, key);
    expect(theirs.body.orderId).not.toBe(first.body.orderId);
  });

  it('cancels OUT_OF_STOCK, all items or none, keeping nothing reserved', async () => {
    const { productId, skuIds } = await product([5, 1]);
    const user = await shopper(2_000);
    const couponId = await shop.coupon(user);
    const res = await shop.place(user, {
      items: [
        { skuId: skuIds[0], quantity: 2 },
        { skuId: skuIds[1], quantity: 2 },
      ],
      delivery: DELIVERY,
      couponId,
      pointsToUse: 1_000,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'CANCELLED', cancelReason: 'OUT_OF_STOCK', cancellable: false });
    expect(events(res.body)).toEqual(['ORDER_CREATED', 'CANCELLED', 'RESERVATIONS_RELEASED']);
    expect(await shop.sku(productId, skuIds[0]!)).toMatchObject({ stock: 5, reserved: 0 });
    expect(await shop.movements(productId, res.body.orderId)).toEqual([]);
    expect((await shop.myCoupon(user, couponId)).status).toBe('ISSUED');
    expect((await shop.points(user)).balance).toBe(2_000);
    await expectInvariants(shop.urls(), { productIds, userIds });
  });

  it('cancels COUPON_UNAVAILABLE when the coupon is taken during the saga, releasing the stock', async () => {
    const { productId, skuIds } = await product([10]);
    const user = await shopper();
    const couponId = await shop.coupon(user);
    const proxy = shop.proxy('product-service');
    // Order B's stock reservation is held until order A has taken the coupon.
    const held = proxy.hold(
      (r) => r.path === '/internal/stock/reservations' && (r.body as Json)?.items?.[0]?.quantity === 2,
      'response',
    );
    const b = shop.place(user, { items: [{ skuId: skuIds[0], quantity: 2 }], delivery: DELIVERY, couponId });
    await held.reached;
    const a = await shop.place(user, {
      items: [{ skuId: skuIds[0], quantity: 1 }],
      delivery: DELIVERY,
      couponId,
    });
    expect(a.body.status).toBe('PAYMENT_PENDING');
    held.release();
    const bOrder = (await b).body;
    const settled = await eventually(async () => {
      const o = (await shop.order(user, bOrder.orderId)).body;
      return o.status === 'CANCELLED' && events(o).includes('RESERVATIONS_RELEASED') ? o : undefined;
    });
    expect(settled.cancelReason).toBe('COUPON_UNAVAILABLE');
    expect((await shop.movements(productId, bOrder.orderId)).map((m) => m.type).sort()).toEqual([
      'RELEASE',
      'RESERVE',
    ]);
    expect(await shop.sku(productId, skuIds[0]!)).toMatchObject({ stock: 9, reserved: 1 });
    expect(await shop.myCoupon(user, couponId)).toMatchObject({
      status: 'RESERVED',
      orderId: a.body.orderId,
    });
    await expectInvariants(shop.urls(), { productIds, userIds });
  });

  it('cancels POINTS_INSUFFICIENT when the points are spent during the saga, releasing coupon and stock', async () => {
    const { productId, skuIds } = await product([10]);
    const user = await shopper(10_000);
    const couponA = await shop.coupon(user);
    const couponB = await shop.coupon(user);
    const proxy = shop.proxy('product-service');
    const held = proxy.hold(
      (r) => r.path === '/internal/stock/reservations' && (r.body as Json)?.items?.[0]?.quantity === 3,
      'response',
    );
    const b = shop.place(user, {
      items: [{ skuId: skuIds[0], quantity: 3 }],
      delivery: DELIVERY,
      couponId: couponB,
      pointsToUse: 8_000,
    });
    await held.reached;
    const a = await shop.place(user, {
      items: [{ skuId: skuIds[0], quantity: 1 }],
      delivery: DELIVERY,
      couponId: couponA,
      pointsToUse: 8_000,
    });
    expect(a.body.status).toBe('PAYMENT_PENDING');
    held.release();
    const bOrder = (await b).body;
    const settled = await eventually(async () => {
      const o = (await shop.order(user, bOrder.orderId)).body;
      return o.status === 'CANCELLED' && events(o).includes('RESERVATIONS_RELEASED') ? o : undefined;
    });
    expect(settled.cancelReason).toBe('POINTS_INSUFFICIENT');
    expect((await shop.myCoupon(user, couponB)).status).toBe('ISSUED');
    expect((await shop.points(user)).balance).toBe(2_000);
    expect(await shop.sku(productId, skuIds[0]!)).toMatchObject({ stock: 9, reserved: 1 });
    const log = (await shop.adminOrder(bOrder.orderId)).body.saga.log.map(
      (l: Json) => `${l.action}:${l.step}:${l.outcome}`,
    );
    expect(log).toEqual([
      'reserve:stock:DONE',
      'reserve:coupon:DONE',
      'reserve:points:REFUSED',
      'compensate:coupon:DONE',
      'compensate:stock:DONE',
    ]);
    // Asking for more points than the balance up front is refused before anything is reserved.
    const upfront = await shop.place(user, {
      items: [{ skuId: skuIds[0], quantity: 1 }],
      delivery: DELIVERY,
      pointsToUse: 2_001,
    });
    expect(upfront.status).toBe(409);
    expect(upfront.body.type).toBe('urn:sagamart:problem:POINTS_INSUFFICIENT');
    const overPayable = await shop.place(user, {
      items: [{ skuId: skuIds[0], quantity: 1 }],
      delivery: DELIVERY,
      pointsToUse: 10_001,
    });
    expect(overPayable.status).toBe(422);
    await expectInvariants(shop.urls(), { productIds, userIds });
  });

  // The late answer is recorded against a saga that changed: with a coupon to reserve next (the saga
  // stays RESERVING) and without one (the order would become PAYMENT_PENDING).
  it.each([
    { withCoupon: false, next: 'PAYMENT_PENDING' },
    { withCoupon: true, next: 'the coupon step' },
  ])(
    'keeps an order cancelled while its stock reservation was answering, before $next: the late answer logged, the stock released',
    async ({ withCoupon }) => {
      const { productId, skuIds } = await product([10]);
      const user = await shopper();
      const couponId = withCoupon ? await shop.coupon(user) : undefined;
      const proxy = shop.proxy('product-service');
      let orderId = '';
      const held = proxy.hold((r) => {
        const body = r.body as Json;
        if (r.path !== '/internal/stock/reservations' || body?.items?.[0]?.quantity !== 4) return false;
        orderId = body.orderId;
        return true;
      }, 'response');
      const placing = shop.place(user, {
        items: [{ skuId: skuIds[0], quantity: 4 }],
        delivery: DELIVERY,
        ...(couponId === undefined ? {} : { couponId }),
      });
      await held.reached;
      // The stock is reserved at product-service; its answer has not reached the saga yet (and will,
      // within the saga's call timeout).
      const cancelling = shop.api('order-service').post(`/api/orders/${orderId}/cancel`, {}, user.headers);
      // Cancelled (the cancel waits a moment for the compensation, which waits for that answer).
      await eventually(async () => (await status(user, orderId)) === 'CANCELLED');
      held.release();
      const cancelled = await cancelling;
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ status: 'CANCELLED', cancelReason: 'USER_CANCELLED' });
      const placed = (await placing).body;
      expect(placed.orderId).toBe(orderId);

      const settled = await eventually(async () => {
        const o = (await shop.order(user, placed.orderId)).body;
        return events(o).includes('RESERVATIONS_RELEASED') ? o : undefined;
      });
      // The reservation's success, recorded after the cancel, moved nothing on.
      expect(settled).toMatchObject({ status: 'CANCELLED', cancelReason: 'USER_CANCELLED' });
      expect(events(settled)).toEqual(['ORDER_CREATED', 'CANCELLED', 'RESERVATIONS_RELEASED']);
      const log = (await shop.adminOrder(placed.orderId)).body.saga.log.map(
        (l: Json) => `${l.action}:${l.step}:${l.outcome}`,
      );
      expect(log).toEqual(['reserve:stock:DONE', 'compensate:stock:DONE']);
      expect(await shop.sku(productId, skuIds[0]!)).toMatchObject({ stock: 10, reserved: 0 });
      expect((await shop.movements(productId, placed.orderId)).map((m) => m.type).sort()).toEqual([
        'RELEASE',
        'RESERVE',
      ]);
      if (couponId !== undefined) expect((await shop.myCoupon(user, couponId)).status).toBe('ISSUED');
      await expectInvariants(shop.urls(), { productIds, userIds });
    },
  );

  it('releases everything when the payment is declined (CANCELLED PAYMENT_FAILED)', async () => {
    const { productId, skuIds } = await product([10]);
    const user = await shopper(3_000);
    const couponId = await shop.coupon(user);
    const order = (
      await shop.place(user, {
        items: [{ skuId: skuIds[0], quantity: 4 }],
        delivery: DELIVERY,
        couponId,
        pointsToUse: 3_000,
      })
    ).body;
    expect(order.status).toBe('PAYMENT_PENDING');
    const declined = await shop.pay(order.orderNumber, 'decline');
    expect(declined.body.status).toBe('FAILED');
    const cancelled = await eventually(async () => {
      const o = (await shop.order(user, order.orderId)).body;
      return o.status === 'CANCELLED' && events(o).includes('RESERVATIONS_RELEASED') ? o : undefined;
    });
    expect(cancelled.cancelReason).toBe('PAYMENT_FAILED');
    expect(events(cancelled)).toEqual([
      'ORDER_CREATED',
      'PAYMENT_PENDING',
      'PAYMENT_FAILED',
      'CANCELLED',
      'RESERVATIONS_RELEASED',
    ]);
    expect(await shop.sku(productId, skuIds[0]!)).toMatchObject({ stock: 10, reserved: 0, sold: 0 });
    expect((await shop.myCoupon(user, couponId)).status).toBe('ISSUED');
    expect((await shop.points(user)).balance).toBe(3_000);
    const log = (await shop.adminOrder(order.orderId)).body.saga.log as Json[];
    expect(log.map((l) => `${l.action}:${l.step}:${l.outcome}`)).toEqual([
      'reserve:stock:DONE',
      'reserve:coupon:DONE',
      'reserve:points:DONE',
      'pay:payment:REFUSED',
      'compensate:points:DONE',
      'compensate:coupon:DONE',
      'compensate:stock:DONE',
    ]);
    expect(log[3]!.detail).toMatch(/^[A-Z_]+: /);
    // A second attempt at paying the cancelled order is refused before anything is charged.
    expect((await shop.pay(order.orderNumber)).status).toBe(409);
    await expectInvariants(shop.urls(), { productIds, userIds });
  });

  it('cancels a PAID order for its owner: restocked, coupon RESTORED, points returned, payment refunded', async () => {
    const { productId, skuIds } = await product([10]);
    const user = await shopper(4_000);
    const couponId = await shop.coupon(user);
    const order = (
      await shop.place(user, {
        items: [{ skuId: skuIds[0], quantity: 2 }],
        delivery: DELIVERY,
        couponId,
        pointsToUse: 4_000,
      })
    ).body;
    await shop.pay(order.orderNumber);
    await eventually(async () => (await status(user, order.orderId)) === 'PAID');

    const stranger = await shopper();
    expect(
      (await shop.api('order-service').post(`/api/orders/${order.orderId}/cancel`, {}, stranger.headers))
        .status,
    ).toBe(404);
    const cancelled = await shop
      .api('order-service')
      .post(`/api/orders/${order.orderId}/cancel`, {}, user.headers);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED', cancelReason: 'USER_CANCELLED' });
    const refunded = await eventually(async () => {
      const o = (await shop.order(user, order.orderId)).body;
      return events(o).includes('PAYMENT_REFUNDED') && events(o).includes('RESERVATIONS_RELEASED')
        ? o
        : undefined;
    });
    expect(refunded.payments).toMatchObject([{ status: 'REFUNDED', amount: order.payableAmount }]);
    expect(await shop.sku(productId, skuIds[0]!)).toMatchObject({ stock: 10, reserved: 0, sold: 0 });
    const movements = await shop.movements(productId, order.orderId);
    expect(movements.map((m) => m.type).sort()).toEqual(['RESERVE', 'RESTOCK', 'SELL']);
    // The admin's stock history names the order by its number: the reservation, commit and release all carried it.
    for (const movement of movements)
      expect(movement).toMatchObject({ claimType: null, orderNumber: order.orderNumber });
    expect((await shop.myCoupon(user, couponId)).status).toBe('RESTORED');
    expect((await shop.points(user)).balance).toBe(4_000);
    // Cancelling again changes nothing.
    const again = await shop
      .api('order-service')
      .post(`/api/orders/${order.orderId}/cancel`, {}, user.headers);
    expect(again.body.status).toBe('CANCELLED');
    await expectInvariants(shop.urls(), { productIds, userIds });
  });

  it('names an order by its first line and how many more, so pages word the name in their own language', async () => {
    const first = await product([5]);
    const second = await product([5]);
    const user = await shopper();
    const placed = (
      await shop.place(user, {
        items: [
          { skuId: first.skuIds[0], quantity: 1 },
          { skuId: second.skuIds[0], quantity: 2 },
        ],
        delivery: DELIVERY,
      })
    ).body;
    const firstName = placed.items[0].productName as string;
    expect(placed).toMatchObject({
      orderName: `${firstName} 외 1건`,
      firstProductName: firstName,
      itemCount: 2,
    });
    const mine = (await shop.api('order-service').get('/api/orders', user.headers)).body;
    expect(mine.content).toMatchObject([
      { orderId: placed.orderId, firstProductName: firstName, itemCount: 2 },
    ]);
    const admins = (await shop.api('order-service').get(`/api/admin/orders?userId=${user.userId}`)).body;
    expect(admins.content).toMatchObject([{ orderId: placed.orderId, firstProductName: firstName }]);
  });

  it('lets an admin find orders by buyer, cancel with a reason the shopper sees, read the saga and keep a memo; shoppers see only their own orders', async () => {
    const { skuIds } = await product([10]);
    const user = await shopper();
    const other = await shopper();
    const mine = (
      await shop.place(user, {
        items: [{ skuId: skuIds[0], quantity: 1 }],
        delivery: { ...DELIVERY, addressDetail: null, memo: '  ' },
        couponId: null,
      })
    ).body;
    expect(mine.delivery).toMatchObject({ addressDetail: null, memo: null });
    const second = (
      await shop.place(user, { items: [{ skuId: skuIds[0], quantity: 2 }], delivery: DELIVERY })
    ).body;

    const list = await shop.api('order-service').get('/api/orders?size=1', user.headers);
    expect(list.body).toMatchObject({ totalElements: 2, totalPages: 2, size: 1, first: true, last: false });
    expect(list.body.content[0].orderId).toBe(second.orderId);
    expect((await shop.api('order-service').get('/api/orders', other.headers)).body.totalElements).toBe(0);
    expect((await shop.order(other, mine.orderId)).status).toBe(404);
    expect((await shop.order(user, mine.orderNumber)).body.orderId).toBe(mine.orderId);
    expect((await shop.api('order-service').get('/api/admin/orders', user.headers)).status).toBe(403);

    const byNumber = await shop
      .api('order-service')
      .get(`/api/admin/orders?orderNumber=${mine.orderNumber.slice(-8)}`);
    expect(byNumber.body.content.map((o: Json) => o.orderId)).toEqual([mine.orderId]);
    // The buyer by name and e-mail (order-service heard user-service's user.registered), and found by either.
    const byBuyer = await eventually(async () => {
      const res = await shop
        .api('order-service')
        .get(`/api/admin/orders?buyer=${encodeURIComponent(user.email.toUpperCase())}`);
      return res.body.totalElements === 2 ? res.body : undefined;
    });
    expect(byBuyer.content.map((o: Json) => o.orderId).sort()).toEqual([mine.orderId, second.orderId].sort());
    expect(byBuyer.content[0].buyer).toEqual({ name: '김구매', email: user.email });
    const byName = await shop
      .api('order-service')
      .get(`/api/admin/orders?buyer=${encodeURIComponent('구매')}`);
    expect(byName.body.content.map((o: Json) => o.orderId)).toEqual(expect.arrayContaining([mine.orderId]));
    const nobody = await shop
      .api('order-service')
      .get(`/api/admin/orders?buyer=${encodeURIComponent('없는사람%')}`);
    expect(nobody.body.totalElements).toBe(0);

    // An admin cancel needs a reason, which is kept and shown to the shopper.
    for (const body of [undefined, {}, { reason: '   ' }, { reason: 'x'.repeat(501) }]) {
      const refused = await shop.api('order-service').post(`/api/admin/orders/${mine.orderId}/cancel`, body);
      expect(refused.status).toBe(400);
    }
    expect(await status(user, mine.orderId)).not.toBe('CANCELLED');
    const cancelled = await shop.api('order-service').post(`/api/admin/orders/${mine.orderId}/cancel`, {
      reason: '  주문하신 색상이 입고되지 않았습니다  ',
    });
    expect(cancelled.body).toMatchObject({
      status: 'CANCELLED',
      cancelReason: 'ADMIN_CANCELLED',
      cancelNote: '주문하신 색상이 입고되지 않았습니다',
      userId: user.userId,
      buyer: { name: '김구매', email: user.email },
    });
    expect((await shop.order(user, mine.orderId)).body).toMatchObject({
      cancelReason: 'ADMIN_CANCELLED',
      cancelNote: '주문하신 색상이 입고되지 않았습니다',
    });
    const byStatus = await shop
      .api('order-service')
      .get(`/api/admin/orders?status=CANCELLED&userId=${user.userId}`);
    expect(byStatus.body.content.map((o: Json) => o.orderId)).toEqual([mine.orderId]);

    const memo = await shop
      .api('order-service')
      .put(`/api/admin/orders/${mine.orderId}/memo`, { memo: '  고객 요청으로 취소  ' });
    expect(memo.body.adminMemo).toBe('고객 요청으로 취소');
    const detail = (await shop.adminOrder(mine.orderNumber)).body;
    expect(detail.saga).toMatchObject({
      phase: 'COMPENSATED',
      steps: ['stock'],
      compensations: ['stock'],
      current: null,
    });
    expect(detail.saga.log.map((l: Json) => `${l.action}:${l.step}:${l.outcome}`)).toEqual([
      'reserve:stock:DONE',
      'compensate:stock:DONE',
    ]);
    expect((await shop.api('order-service').get('/api/admin/orders/stuck')).body.totalElements).toBe(0);
    const metrics = await scrapeMetrics(shop.urls().order);
    expect(metrics).toMatch(/order_sagas_stuck\{[^}]*\} 0/);
    expect((await shop.api('order-service').get(`/api/admin/orders/${randomUUID()}`)).status).toBe(404);
    const openapi = (await shop.api('order-service').get('/openapi.json')).body;
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining([
        '/api/orders',
        '/api/orders/quote',
        '/api/orders/{id}/cancel',
        '/api/admin/orders/stuck',
      ]),
    );
  });
});
