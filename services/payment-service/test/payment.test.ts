import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, until } from './harness.ts';

describe('payment-service', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  it("approves the owner's payment through the PG and publishes payment.approved", async () => {
    const order = await h.place(h.newOrder({ payableAmount: 39_000 }));
    const paymentKey = await h.checkout(order, 'approve');
    const res = await h.confirm(order.userId, { orderNumber: order.orderNumber, paymentKey, amount: 39_000 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      orderId: order.orderId,
      orderNumber: order.orderNumber,
      userId: order.userId,
      paymentKey,
      amount: 39_000,
      status: 'APPROVED',
      method: '카드',
      failureCode: null,
      refundRequested: false,
      version: 2,
    });
    expect((await h.pgPayment(paymentKey)).body.status).toBe('DONE');

    const events = await h.eventsOnceSettled(order.orderNumber, 1);
    expect(events).toEqual([
      {
        topic: 'payment.approved',
        payload: {
          paymentId: res.body.paymentId,
          orderId: order.orderId,
          orderNumber: order.orderNumber,
          userId: order.userId,
          paymentKey,
          version: 2,
          amount: 39_000,
          method: '카드',
          approvedAt: res.body.approvedAt,
        },
      },
    ]);

    const mine = await h.mine(order.userId, order.orderNumber);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({
      orderNumber: order.orderNumber,
      payableAmount: 39_000,
      orderCancelled: false,
      payment: { paymentId: res.body.paymentId, status: 'APPROVED' },
    });
  });

  it('fails declined and insufficient-funds cards and publishes payment.failed', async () => {
    for (const [card, code] of [
      ['decline', 'REJECT_CARD_COMPANY'],
      ['insufficient', 'NOT_ENOUGH_BALANCE'],
    ] as const) {
      const order = await h.place(h.newOrder());
      const paymentKey = await h.checkout(order, card);
      const res = await h.confirm(order.userId, {
        orderNumber: order.orderNumber,
        paymentKey,
        amount: order.payableAmount,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'FAILED', failureCode: code, version: 2 });
      const [event] = await h.eventsOnceSettled(order.orderNumber, 1);
      expect(event).toMatchObject({
        topic: 'payment.failed',
        payload: {
          orderId: order.orderId,
          paymentId: res.body.paymentId,
          code,
          amount: order.payableAmount,
          version: 2,
        },
      });
    }
  });

  it('fails an amount that differs from the payable amount without charging anything', async () => {
    const order = await h.place(h.newOrder({ payableAmount: 50_000 }));
    // The browser was tampered with: the PG window was opened for 100 won.
    const paymentKey = await h.checkout(order, 'approve', 100);
    const res = await h.confirm(order.userId, { orderNumber: order.orderNumber, paymentKey, amount: 100 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'FAILED',
      failureCode: 'AMOUNT_MISMATCH',
      amount: 100,
      version: 1,
    });
    expect((await h.pgPayment(paymentKey)).body.status).toBe('READY');
    const [event] = await h.eventsOnceSettled(order.orderNumber, 1);
    expect(event).toMatchObject({
      topic: 'payment.failed',
      payload: { code: 'AMOUNT_MISMATCH', amount: 100 },
    });
  });

  it('fails when the PG holds another amount than the order (the PG refuses it)', async () => {
    const order = await h.place(h.newOrder({ payableAmount: 50_000 }));
    const paymentKey = await h.checkout(order, 'approve', 100);
    const res = await h.confirm(order.userId, { orderNumber: order.orderNumber, paymentKey, amount: 50_000 });
    expect(res.body).toMatchObject({ status: 'FAILED', failureCode: 'INVALID_AMOUNT' });
    expect((await h.pgPayment(paymentKey)).body.status).toBe('READY');
  });

  it('answers 404 to anyone but the owner, and 401 without a user', async () => {
    const order = await h.place(h.newOrder());
    const paymentKey = await h.checkout(order, 'approve');
    const body = { orderNumber: order.orderNumber, paymentKey, amount: order.payableAmount };
    expect((await h.confirm(randomUUID(), body)).status).toBe(404);
    expect((await h.confirm(undefined, body)).status).toBe(401);
    expect((await h.mine(randomUUID(), order.orderNumber)).status).toBe(404);
    expect((await h.pgPayment(paymentKey)).body.status).toBe('READY');
    await h.barrier();
    expect(await h.events(order.orderNumber)).toEqual([]);
  });

  it('answers 404 for an order it never heard of', async () => {
    const res = await h.confirm(randomUUID(), {
      orderNumber: 'ORD-20250615-NOSUCH00',
      paymentKey: 'mpg_x',
      amount: 1,
    });
    expect(res.status).toBe(404);
  });

  it('charges once for a repeated confirm, and refuses a second payment of a paid order', async () => {
    const order = await h.place(h.newOrder());
    const paymentKey = await h.checkout(order, 'approve');
    const body = { orderNumber: order.orderNumber, paymentKey, amount: order.payableAmount };
    const results = await Promise.all(Array.from({ length: 5 }, () => h.confirm(order.userId, body)));
    const ids = new Set(results.map((r) => r.body.paymentId));
    expect(ids.size).toBe(1);
    expect(results.every((r) => [200, 202].includes(r.status))).toBe(true);
    const again = await h.confirm(order.userId, body);
    expect(again.body).toMatchObject({ status: 'APPROVED', paymentId: [...ids][0] });

    const secondKey = await h.checkout(order, 'approve');
    const second = await h.confirm(order.userId, { ...body, paymentKey: secondKey });
    expect(second.status).toBe(409);
    expect(second.body.type).toBe('urn:sagamart:problem:ALREADY_PAID');
    expect((await h.pgPayment(secondKey)).body.status).toBe('READY');

    await h.barrier();
    const events = await h.events(order.orderNumber);
    expect(events.map((e) => e.topic)).toEqual(['payment.approved']);
    expect((await h.adminList(`?orderNumber=${order.orderNumber}`)).body.totalElements).toBe(1);
  });

  it('refunds an approved payment when the order is cancelled, through the PG', async () => {
    const order = await h.place(h.newOrder({ payableAmount: 27_500 }));
    const paymentKey = await h.checkout(order, 'approve');
    const approved = await h.confirm(order.userId, {
      orderNumber: order.orderNumber,
      paymentKey,
      amount: 27_500,
    });
    expect(approved.body.status).toBe('APPROVED');
    await h.cancel(order, { reason: 'USER_CANCELLED', wasPaid: true });

    const refunded = await h.settledPayment(order.orderNumber, 'REFUNDED');
    expect(refunded).toMatchObject({ paymentId: approved.body.paymentId, refundRequested: true, version: 3 });
    expect((await h.pgPayment(paymentKey)).body).toMatchObject({
      status: 'CANCELED',
      cancels: [{ cancelAmount: 27_500 }],
    });
    const events = await h.eventsOnceSettled(order.orderNumber, 2);
    expect(events.map((e) => e.topic)).toEqual(['payment.approved', 'payment.refunded']);
    expect(events[1]!.payload).toMatchObject({
      paymentId: approved.body.paymentId,
      amount: 27_500,
      version: 3,
    });
    expect((await h.mine(order.userId, order.orderNumber)).body).toMatchObject({
      orderCancelled: true,
      cancelReason: 'USER_CANCELLED',
    });

    // A redelivered cancel refunds nothing twice.
    const cancels = await h.consumed('order.cancelled');
    await h.cancel(order, { reason: 'USER_CANCELLED', wasPaid: true });
    await until(async () => (await h.consumed('order.cancelled')) === cancels + 1);
    await h.barrier();
    expect((await h.events(order.orderNumber)).map((e) => e.topic)).toEqual([
      'payment.approved',
      'payment.refunded',
    ]);
  });

  it('refuses a confirm that arrives after the order was cancelled, before charging', async () => {
    const order = await h.place(h.newOrder());
    const paymentKey = await h.checkout(order, 'approve');
    await h.cancelAndWait(order, { reason: 'PAYMENT_TIMEOUT' });
    const late = await h.confirm(order.userId, {
      orderNumber: order.orderNumber,
      paymentKey,
      amount: order.payableAmount,
    });
    expect(late.status).toBe(409);
    expect(late.body.type).toBe('urn:sagamart:problem:ORDER_CANCELLED');
    expect((await h.pgPayment(paymentKey)).body.status).toBe('READY');
    expect(await h.events(order.orderNumber)).toEqual([]);
  });

  it('never reopens a cancelled order, whatever order.placed arrives after the cancel', async () => {
    const order = await h.place(h.newOrder({ payableAmount: 30_000 }));
    await h.cancelAndWait(order);
    // Even a newer order.placed (a bug upstream) updates the copy but cannot reopen the order.
    const before = await h.consumed('order.placed');
    await h.publishPlaced({ ...order, version: 9, payableAmount: 31_000 });
    await until(async () => (await h.consumed('order.placed')) > before);
    expect((await h.internalOrder(order.orderNumber)).body).toMatchObject({
      orderCancelled: true,
      payableAmount: 31_000,
    });
    const paymentKey = await h.checkout({ ...order, payableAmount: 31_000 }, 'approve');
    const res = await h.confirm(order.userId, { orderNumber: order.orderNumber, paymentKey, amount: 31_000 });
    expect(res.status).toBe(409);
    expect(res.body.type).toBe('urn:sagamart:problem:ORDER_CANCELLED');
  });

  it('ignores an order.placed older than the cancel it follows', async () => {
    const order = h.newOrder({ payableAmount: 20_000 });
    // The cancel overtook the placement (a different payable amount tells which one was applied).
    await h.cancelAndWait({ ...order, version: 1 }, { reason: 'OUT_OF_STOCK', payableAmount: 19_000 });
    const before = await h.consumed('order.placed');
    await h.publishPlaced({ ...order, version: 1 });
    await until(async () => (await h.consumed('order.placed')) > before);
    expect((await h.internalOrder(order.orderNumber)).body).toMatchObject({
      orderCancelled: true,
      cancelReason: 'OUT_OF_STOCK',
      payableAmount: 19_000,
    });
  });

  it('auto-pays an order through the PG and the same confirm path', async () => {
    const order = await h.place(h.newOrder({ payableAmount: 12_000 }));
    const res = await h.autoPay(order.orderNumber);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'APPROVED', amount: 12_000, userId: order.userId });
    expect((await h.pgPayment(res.body.paymentKey)).body).toMatchObject({
      status: 'DONE',
      totalAmount: 12_000,
    });
    expect((await h.eventsOnceSettled(order.orderNumber, 1)).map((e) => e.topic)).toEqual([
      'payment.approved',
    ]);

    const declined = await h.place(h.newOrder());
    expect((await h.autoPay(declined.orderNumber, 'decline')).body).toMatchObject({
      status: 'FAILED',
      failureCode: 'REJECT_CARD_COMPANY',
    });
    // The same path's rules hold: a paid order is not paid twice.
    expect((await h.autoPay(order.orderNumber)).status).toBe(409);
  });

  it('waits briefly for an order.placed that has not arrived yet', async () => {
    const order = h.newOrder();
    // Published without waiting: auto-pay is called while the event may still be on its way.
    const placing = h.place(order);
    const res = await h.autoPay(order.orderNumber);
    await placing;
    expect(res.body.status).toBe('APPROVED');
  });

  it('lists payments for admins, filtered by status and order number', async () => {
    const paid = await h.place(h.newOrder());
    await h.autoPay(paid.orderNumber);
    const failed = await h.place(h.newOrder());
    await h.autoPay(failed.orderNumber, 'decline');

    const byNumber = await h.adminList(`?orderNumber=${paid.orderNumber.slice(-8).toLowerCase()}`);
    expect(byNumber.status).toBe(200);
    expect(byNumber.body.content.map((p: { orderNumber: string }) => p.orderNumber)).toEqual([
      paid.orderNumber,
    ]);
    const failedOnes = await h.adminList('?status=FAILED&size=100');
    expect(failedOnes.body.content.every((p: { status: string }) => p.status === 'FAILED')).toBe(true);
    expect(failedOnes.body.content.map((p: { orderNumber: string }) => p.orderNumber)).toContain(
      failed.orderNumber,
    );
    expect(failedOnes.body.content.map((p: { orderNumber: string }) => p.orderNumber)).not.toContain(
      paid.orderNumber,
    );

    const asShopper = await fetch(`${h.payment.url}/api/admin/payments`, {
      headers: { 'x-user-id': randomUUID(), 'x-user-role': 'USER' },
    });
    expect(asShopper.status).toBe(403);
  });
});
