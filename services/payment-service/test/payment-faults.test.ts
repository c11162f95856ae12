import { scrapeMetrics } from '@sagamart/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness, until } from './harness.ts';

// PG trouble: each test gets its own PG, payment-service and bus, so a stopped PG or an open circuit
// never leaks into another test. The PG's slow card answers after 1.5 s; payment-service gives up
// on a PG call after 0.5 s; the reconciler runs every 0.1 s.
describe('payment-service under PG faults', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  const breakerState = async () => {
    const text = await scrapeMetrics(h.payment.url);
    const line = text
      .split('\n')
      .find((l) => l.startsWith('circuit_breaker_state{') && l.includes('target="mock-pg"'));
    return line ? Number(line.split(' ').at(-1)) : undefined;
  };

  it('keeps a payment PENDING while the PG is down and settles it once the PG is back, charging once', async () => {
    const order = await h.place(h.newOrder({ payableAmount: 45_000 }));
    const paymentKey = await h.checkout(order, 'approve');
    await h.stopPg();

    const res = await h.confirm(order.userId, { orderNumber: order.orderNumber, paymentKey, amount: 45_000 });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'PENDING', paymentKey });
    // The reconciler keeps failing against the dead PG: the circuit opens (1 = open).
    await until(async () => (await breakerState()) === 1);
    // A second order meanwhile: refused by the open circuit at once, still nothing lost.
    const other = await h.place(h.newOrder());
    const otherRes = await h.confirm(other.userId, {
      orderNumber: other.orderNumber,
      paymentKey: 'mpg_unknown_key',
      amount: other.payableAmount,
    });
    expect(otherRes.body.status).toBe('PENDING');
    expect(await h.events(order.orderNumber)).toEqual([]);

    await h.restartPg();
    const approved = await h.settledPayment(order.orderNumber, 'APPROVED');
    expect(approved).toMatchObject({ paymentId: res.body.paymentId, amount: 45_000 });
    expect((await h.pgPayment(paymentKey)).body).toMatchObject({ status: 'DONE', totalAmount: 45_000 });
    // The key the PG never issued fails for good once the PG can say so.
    expect(await h.settledPayment(other.orderNumber, 'FAILED')).toMatchObject({
      failureCode: 'NOT_FOUND_PAYMENT',
    });
    await until(async () => (await breakerState()) === 0);

    await h.barrier();
    expect((await h.events(order.orderNumber)).map((e) => e.topic)).toEqual(['payment.approved']);
  });

  it('leaves a slow approval PENDING past the timeout and settles it from a lookup', async () => {
    const order = await h.place(h.newOrder());
    const paymentKey = await h.checkout(order, 'slow');
    const res = await h.confirm(order.userId, {
      orderNumber: order.orderNumber,
      paymentKey,
      amount: order.payableAmount,
    });
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('PENDING');
    const approved = await h.settledPayment(order.orderNumber, 'APPROVED');
    expect(approved.paymentId).toBe(res.body.paymentId);
    await h.barrier();
    expect((await h.events(order.orderNumber)).map((e) => e.topic)).toEqual(['payment.approved']);
  });

  it('refunds a late approval that raced the order cancel', async () => {
    const order = await h.place(h.newOrder({ payableAmount: 18_000 }));
    const paymentKey = await h.checkout(order, 'slow');
    const res = await h.confirm(order.userId, { orderNumber: order.orderNumber, paymentKey, amount: 18_000 });
    expect(res.body.status).toBe('PENDING');
    // The unpaid timeout cancels the order while the PG is still approving.
    await h.cancelAndWait(order, { reason: 'PAYMENT_TIMEOUT' });

    const refunded = await h.settledPayment(order.orderNumber, 'REFUNDED');
    expect(refunded).toMatchObject({ paymentId: res.body.paymentId, refundRequested: true });
    expect((await h.pgPayment(paymentKey)).body.status).toBe('CANCELED');
    const events = await h.eventsOnceSettled(order.orderNumber, 2);
    expect(events.map((e) => e.topic)).toEqual(['payment.approved', 'payment.refunded']);
    expect(events.map((e) => e.payload.version)).toEqual([2, 3]);
  });

  it('retries a refund until the PG takes it', async () => {
    const order = await h.place(h.newOrder());
    const paymentKey = await h.checkout(order, 'approve');
    expect(
      (
        await h.confirm(order.userId, {
          orderNumber: order.orderNumber,
          paymentKey,
          amount: order.payableAmount,
        })
      ).body.status,
    ).toBe('APPROVED');
    await h.stopPg();
    await h.cancelAndWait(order, { reason: 'ADMIN_CANCELLED', wasPaid: true });
    // The reconciler's refund attempts fail against the dead PG until the circuit opens (1 = open).
    await until(async () => (await breakerState()) === 1);
    expect((await h.internalOrder(order.orderNumber)).body.payment).toMatchObject({
      status: 'APPROVED',
      refundRequested: true,
    });

    await h.restartPg();
    await h.settledPayment(order.orderNumber, 'REFUNDED');
    expect((await h.pgPayment(paymentKey)).body.status).toBe('CANCELED');
    expect((await h.eventsOnceSettled(order.orderNumber, 2)).map((e) => e.topic)).toEqual([
      'payment.approved',
      'payment.refunded',
    ]);
  });

  it('settles a PENDING payment after payment-service restarts', async () => {
    const order = await h.place(h.newOrder());
    const paymentKey = await h.checkout(order, 'approve');
    await h.stopPg();
    const res = await h.confirm(order.userId, {
      orderNumber: order.orderNumber,
      paymentKey,
      amount: order.payableAmount,
    });
    expect(res.body.status).toBe('PENDING');

    await h.restartPayment();
    await h.restartPg();
    const approved = await h.settledPayment(order.orderNumber, 'APPROVED');
    expect(approved.paymentId).toBe(res.body.paymentId);
    await h.barrier();
    expect((await h.events(order.orderNumber)).map((e) => e.topic)).toEqual(['payment.approved']);
  });
});
