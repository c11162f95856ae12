import { eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, signedUpUser, startWithPayments } from './support.ts';

// A charge whose PG window the shopper cancelled stayed 결제 대기 for points.chargeTimeoutSeconds, then
// read 결제 기한 초과. The result page now cancels it (POST …/cancel): CANCELLED at once, and
// payment-service hears of it (point.charge.cancelled, USER_CANCELLED) and treats it as an expired
// charge: a later confirm is refused and a payment the PG approves late is refunded, crediting nothing.

/** The slow card approves this long after its confirm: well after the charge is cancelled. */
const SLOW_CONFIRM_MS = 2_000;

describe('a points charge the shopper cancels unpaid', () => {
  let platform: Awaited<ReturnType<typeof startWithPayments>>;
  beforeAll(async () => {
    platform = await startWithPayments({
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
    return res.body as { chargeNumber: string; amount: number };
  };
  const cancel = (userId: string, chargeNumber: string) =>
    user().post(`/api/users/me/points/charges/${chargeNumber}/cancel`, {}, asUser(userId));
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

  it('cancels at once, lists it cancelled, answers a repeat the same, and refuses a later confirm', async () => {
    const u = await signedUpUser(platform);
    const c = await charge(u.userId, 5_000);
    // payment-service must know the charge before it is told it was cancelled (either order works).
    await eventually(() => paymentSide(u.userId, c.chargeNumber));

    const cancelled = await cancel(u.userId, c.chargeNumber);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ chargeNumber: c.chargeNumber, status: 'CANCELLED', paidAt: null });
    const listed = await user().get('/api/users/me/points/charges', asUser(u.userId));
    expect(listed.body.content).toMatchObject([{ chargeNumber: c.chargeNumber, status: 'CANCELLED' }]);

    // The fail page may ask twice (a reload): the same answer, nothing else changes.
    const again = await cancel(u.userId, c.chargeNumber);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'CANCELLED' });

    const side = await eventually(async () => {
      const s = await paymentSide(u.userId, c.chargeNumber);
      return s?.orderCancelled ? s : undefined;
    });
    expect(side).toMatchObject({ cancelReason: 'USER_CANCELLED', payment: null });
    // Paying it anyway (the browser's back button into the PG window) charges and credits nothing.
    const late = await confirm(u.userId, c.chargeNumber, await checkout(c, 'approve'), 5_000);
    expect(late.status).toBe(409);
    expect(late.body.type).toBe('urn:sagamart:problem:ORDER_CANCELLED');
    expect((await chargeView(u.userId, c.chargeNumber)).status).toBe('CANCELLED');
    expect(await balance(u.userId)).toMatchObject({ balance: 0, ledger: { totalElements: 0 } });
  });

  it('is the owner’s only, and only while the charge is unpaid', async () => {
    const owner = await signedUpUser(platform);
    const other = await signedUpUser(platform);
    const c = await charge(owner.userId, 3_000);

    const stranger = await cancel(other.userId, c.chargeNumber);
    expect(stranger.status).toBe(404);
    expect((await chargeView(owner.userId, c.chargeNumber)).status).toBe('PENDING');

    // Paid: no longer the shopper's to cancel (a refund is the way back).
    await eventually(() => paymentSide(owner.userId, c.chargeNumber));
    const paid = await confirm(owner.userId, c.chargeNumber, await checkout(c, 'approve'), 3_000);
    expect(paid.status).toBe(200);
    await eventually(async () => (await chargeView(owner.userId, c.chargeNumber)).status === 'PAID');
    const refused = await cancel(owner.userId, c.chargeNumber);
    expect(refused.status).toBe(409);
    expect(refused.body.type).toBe('urn:sagamart:problem:CHARGE_NOT_CANCELLABLE');
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await balance(owner.userId)).toMatchObject({ balance: 3_000 });
  });

  it('refunds a payment the PG approves after the charge was cancelled, and credits nothing', async () => {
    const u = await signedUpUser(platform);
    const c = await charge(u.userId, 8_000);
    await eventually(() => paymentSide(u.userId, c.chargeNumber));
    const pending = await confirm(u.userId, c.chargeNumber, await checkout(c, 'slow'), 8_000);
    expect(pending.status).toBe(202);

    // Cancelled while the PG is still approving.
    const cancelled = await cancel(u.userId, c.chargeNumber);
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED' });
    const refunded = await eventually(async () => {
      const side = await paymentSide(u.userId, c.chargeNumber);
      return side?.payment?.status === 'REFUNDED' ? side : undefined;
    }, 15_000);
    expect(refunded.payment).toMatchObject({
      amount: 8_000,
      approvedAt: expect.any(String),
      refundReason: 'Points charge cancelled (USER_CANCELLED)',
    });

    expect((await chargeView(u.userId, c.chargeNumber)).status).toBe('CANCELLED');
    expect(await balance(u.userId)).toMatchObject({ balance: 0, ledger: { totalElements: 0 } });
  });
});
