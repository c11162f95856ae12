import { eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, signedUpUser, startWithPayments } from './support.ts';

// A charge whose PG window the shopper closed used to stay PENDING (결제 대기) forever. Like an unpaid
// order, it now expires after points.chargeTimeoutSeconds: payment-service hears of it
// (point.charge.cancelled, PAYMENT_TIMEOUT), refuses its payment, and refunds one the PG approves late.

const TIMEOUT_SECONDS = 1;
/** The slow card approves this long after its confirm: well after the charge has expired. */
const SLOW_CONFIRM_MS = 3_000;

describe('points charges not paid in time', () => {
  let platform: Awaited<ReturnType<typeof startWithPayments>>;
  beforeAll(async () => {
    platform = await startWithPayments({
      user: { points: { chargeTimeoutSeconds: TIMEOUT_SECONDS, chargeExpiry: { pollMs: 100 } } },
      pg: { mockPg: { slowConfirmMs: SLOW_CONFIRM_MS } },
      // The slow card's confirm times out at once, leaving the payment PENDING for the reconciler.
      payment: { payment: { pg: { timeoutMs: 300 } } },
    });
  });
  afterAll(async () => {
    await platform.stop();
  });

  const user = () => platform.userApi;
  const charge = async (userId: string, amount: number) => {
    const res = await user().post('/api/users/me/points/charges', { amount }, asUser(userId));
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('PENDING');
    return res.body as { chargeNumber: string; amount: number };
  };
  const chargeView = async (userId: string, chargeNumber: string) =>
    (await user().get(`/api/users/me/points/charges/${chargeNumber}`, asUser(userId))).body;
  const paymentSide = async (userId: string, chargeNumber: string) => {
    const res = await platform.paymentApi.get(`/api/payments/orders/${chargeNumber}`, asUser(userId));
    return res.status === 200 ? res.body : undefined;
  };
  const balance = async (userId: string) =>
    (await user().get('/api/users/me/points', asUser(userId))).body as {
      balance: number;
      ledger: { totalElements: number };
    };
  /** The browser at the PG's hosted checkout: answers the paymentKey of the success redirect. */
  const checkout = async (c: { chargeNumber: string; amount: number }, card: string) => {
    const res = await fetch(`${platform.pg.url}/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        orderNumber: c.chargeNumber,
        amount: String(c.amount),
        orderName: '포인트 충전',
        successUrl: 'http://127.0.0.1:5173/me/points/charge/success',
        failUrl: 'http://127.0.0.1:5173/me/points/charge/fail',
        card,
      }).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    return new URL(res.headers.get('location')!).searchParams.get('paymentKey')!;
  };
  const confirm = (userId: string, orderNumber: string, paymentKey: string, amount: number) =>
    platform.paymentApi.post('/api/payments/confirm', { orderNumber, paymentKey, amount }, asUser(userId));

  it('expires a charge left unpaid, and payment-service refuses its payment from then on', async () => {
    const u = await signedUpUser(platform);
    const c = await charge(u.userId, 5_000);
    // The shopper opened the PG window, then walked away.
    const paymentKey = await checkout(c, 'approve');

    const expired = await eventually(async () => {
      const view = await chargeView(u.userId, c.chargeNumber);
      return view.status === 'EXPIRED' ? view : undefined;
    });
    expect(expired).toMatchObject({ amount: 5_000, paidAt: null });
    const cancelled = await eventually(async () => {
      const side = await paymentSide(u.userId, c.chargeNumber);
      return side?.orderCancelled ? side : undefined;
    });
    expect(cancelled).toMatchObject({ cancelReason: 'PAYMENT_TIMEOUT', payment: null });

    // Coming back to the success page later charges nothing and credits nothing.
    const late = await confirm(u.userId, c.chargeNumber, paymentKey, 5_000);
    expect(late.status).toBe(409);
    expect(late.body.type).toBe('urn:sagamart:problem:ORDER_CANCELLED');
    expect((await chargeView(u.userId, c.chargeNumber)).status).toBe('EXPIRED');
    expect(await balance(u.userId)).toMatchObject({ balance: 0, ledger: { totalElements: 0 } });
  });

  it('refunds a payment the PG approves after the charge expired, and credits nothing', async () => {
    const u = await signedUpUser(platform);
    const c = await charge(u.userId, 8_000);
    // payment-service must know the charge before it takes a confirm for it.
    await eventually(() => paymentSide(u.userId, c.chargeNumber));
    const pending = await confirm(u.userId, c.chargeNumber, await checkout(c, 'slow'), 8_000);
    expect(pending.status).toBe(202);

    // The charge expires while the PG is still approving.
    await eventually(async () => (await chargeView(u.userId, c.chargeNumber)).status === 'EXPIRED');
    const refunded = await eventually(async () => {
      const side = await paymentSide(u.userId, c.chargeNumber);
      return side?.payment?.status === 'REFUNDED' ? side : undefined;
    }, 15_000);
    expect(refunded.payment).toMatchObject({
      amount: 8_000,
      approvedAt: expect.any(String),
      // Said of the charge (the admin's payments page labels it), not of an order.
      refundReason: 'Points charge cancelled (PAYMENT_TIMEOUT)',
    });

    expect((await chargeView(u.userId, c.chargeNumber)).status).toBe('EXPIRED');
    expect(await balance(u.userId)).toMatchObject({ balance: 0, ledger: { totalElements: 0 } });
  });
});
