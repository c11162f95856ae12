import { randomUUID } from 'node:crypto';
import { POINTS_MAX_CHARGE } from '@sagamart/contracts/rules';
import { eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, pointChargeSteps, signedUpUser, startPair, startWithPayments } from './support.ts';

// Points are bought through the PG like an order (issue 8, defect 3): a charge gets its own PG order
// number, is paid at the hosted checkout, confirmed by payment-service with its amount check, and
// credited only once the payment is approved; a refund debits the points and refunds at the PG.

describe('points charges, paid through the PG', () => {
  let platform: Awaited<ReturnType<typeof startWithPayments>>;
  beforeAll(async () => {
    platform = await startWithPayments({ user: { points: { maxCharge: 50_000 } } });
  });
  afterAll(async () => {
    await platform.stop();
  });

  const user = () => platform.userApi;
  const balance = async (userId: string) =>
    (await user().get('/api/users/me/points?size=100', asUser(userId))).body as {
      balance: number;
      ledger: { content: Array<{ type: string; amount: number; balanceAfter: number; reason: string }> };
    };
  // A charge is confirmed only once payment-service has learnt of it (point.charge.requested).
  const { knownCharge: charge, checkout, confirm, awaitPaymentSide } = pointChargeSteps(() => platform);
  const status = async (userId: string, chargeNumber: string) =>
    (await user().get(`/api/users/me/points/charges/${chargeNumber}`, asUser(userId))).body.status as string;

  it('starts at zero with an empty ledger', async () => {
    const u = await signedUpUser(platform);
    const res = await user().get('/api/users/me/points', asUser(u.userId));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      balance: 0,
      ledger: { content: [], page: 0, size: 20, totalElements: 0, totalPages: 0, first: true, last: true },
    });
  });

  it('credits a charge only after the PG approves it, exactly once', async () => {
    const u = await signedUpUser(platform);
    const c = await charge(u.userId, 7_000);
    expect(c.chargeNumber).toMatch(/^PNT-\d{8}-[0-9A-Z]{8}$/);
    expect(await status(u.userId, c.chargeNumber)).toBe('PENDING');

    // Paid at the PG, not yet confirmed: nothing is credited.
    const paymentKey = await checkout(c, 'approve');
    expect((await balance(u.userId)).balance).toBe(0);

    const confirmed = await confirm(u.userId, c.chargeNumber, paymentKey, 7_000);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'APPROVED', orderNumber: c.chargeNumber, amount: 7_000 });
    await eventually(async () => (await status(u.userId, c.chargeNumber)) === 'PAID');

    // The success page confirming again charges and credits nothing more.
    const again = await confirm(u.userId, c.chargeNumber, paymentKey, 7_000);
    expect(again.body.paymentId).toBe(confirmed.body.paymentId);
    const points = await balance(u.userId);
    expect(points.balance).toBe(7_000);
    expect(points.ledger.content).toEqual([
      expect.objectContaining({ type: 'CHARGE', amount: 7_000, balanceAfter: 7_000 }),
    ]);
  });

  it('credits nothing for a declined payment, and the charge takes no later payment', async () => {
    const u = await signedUpUser(platform);
    const c = await charge(u.userId, 5_000);
    const declined = await confirm(u.userId, c.chargeNumber, await checkout(c, 'decline'), 5_000);
    expect(declined.body.status).toBe('FAILED');
    await eventually(async () => (await status(u.userId, c.chargeNumber)) === 'FAILED');
    // payment-service hears the charge is over (point.charge.cancelled) and refuses another try.
    await awaitPaymentSide(u.userId, c.chargeNumber, (side) => side.orderCancelled === true);
    const retry = await confirm(u.userId, c.chargeNumber, await checkout(c, 'approve'), 5_000);
    expect(retry.status).toBe(409);
    expect((await balance(u.userId)).balance).toBe(0);
  });

  it('refuses an amount that differs from the charge, and credits nothing', async () => {
    const u = await signedUpUser(platform);
    const c = await charge(u.userId, 9_000);
    // A tampered checkout: 100원 at the PG for a 9,000원 charge.
    const res = await confirm(u.userId, c.chargeNumber, await checkout(c, 'approve', 100), 100);
    expect(res.body).toMatchObject({ status: 'FAILED', failureCode: 'AMOUNT_MISMATCH' });
    await eventually(async () => (await status(u.userId, c.chargeNumber)) === 'FAILED');
    expect((await balance(u.userId)).balance).toBe(0);
  });

  it("does not confirm another user's charge", async () => {
    const owner = await signedUpUser(platform);
    const other = await signedUpUser(platform);
    const c = await charge(owner.userId, 3_000);
    const res = await confirm(other.userId, c.chargeNumber, await checkout(c, 'approve'), 3_000);
    expect(res.status).toBe(404);
    expect(
      (await user().get(`/api/users/me/points/charges/${c.chargeNumber}`, asUser(other.userId))).status,
    ).toBe(404);
  });

  it('refunds an unused charge: the points are debited and the payment refunded at the PG', async () => {
    const u = await signedUpUser(platform);
    await platform.buy(u.userId, 4_000);
    const [c] = (await user().get('/api/users/me/points/charges', asUser(u.userId))).body.content;
    const refund = await user().post(
      `/api/users/me/points/charges/${c.chargeNumber}/refund`,
      {},
      asUser(u.userId),
    );
    expect(refund.status).toBe(200);
    expect(refund.body.status).toBe('REFUND_REQUESTED');
    const points = await balance(u.userId);
    expect(points.balance).toBe(0);
    expect(points.ledger.content[0]).toMatchObject({ type: 'REFUND', amount: -4_000, balanceAfter: 0 });

    await eventually(async () => (await status(u.userId, c.chargeNumber)) === 'REFUNDED');
    const payments = await platform.paymentApi.get(
      `/api/payments/orders/${c.chargeNumber}`,
      asUser(u.userId),
    );
    expect(payments.body.payment).toMatchObject({ status: 'REFUNDED', amount: 4_000 });
    const pgSide = await fetch(`${platform.pg.url}/v1/payments/${payments.body.payment.paymentKey}`, {
      headers: { authorization: `Basic ${Buffer.from('test_sk_sagamart_mock:').toString('base64')}` },
    });
    expect((await pgSide.json()).status).toBe('CANCELED');

    const twice = await user().post(
      `/api/users/me/points/charges/${c.chargeNumber}/refund`,
      {},
      asUser(u.userId),
    );
    expect(twice.status).toBe(409);
    expect((await balance(u.userId)).balance).toBe(0);
  });

  it('does not refund a charge whose points were used', async () => {
    const u = await signedUpUser(platform);
    await platform.buy(u.userId, 2_000);
    const [c] = (await user().get('/api/users/me/points/charges', asUser(u.userId))).body.content;
    const reserved = await user().post('/internal/points/reservations', {
      orderId: randomUUID(),
      userId: u.userId,
      amount: 500,
    });
    expect(reserved.status).toBe(200);
    const refund = await user().post(
      `/api/users/me/points/charges/${c.chargeNumber}/refund`,
      {},
      asUser(u.userId),
    );
    expect(refund.status).toBe(409);
    expect(await status(u.userId, c.chargeNumber)).toBe('PAID');
    expect((await balance(u.userId)).balance).toBe(1_500);
  });

  it('does not refund a charge that was never paid', async () => {
    const u = await signedUpUser(platform);
    const c = await charge(u.userId, 1_000);
    const refund = await user().post(
      `/api/users/me/points/charges/${c.chargeNumber}/refund`,
      {},
      asUser(u.userId),
    );
    expect(refund.status).toBe(409);
  });

  it.each([0, -100, 12.5, 'lots', null, 50_001])('refuses the amount %j with 400', async (amount) => {
    const u = await signedUpUser(platform);
    const res = await user().post('/api/users/me/points/charges', { amount }, asUser(u.userId));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('amount');
    expect((await user().get('/api/users/me/points/charges', asUser(u.userId))).body.totalElements).toBe(0);
  });

  it('no longer credits points without a payment', async () => {
    const u = await signedUpUser(platform);
    const res = await user().post('/api/users/me/points/charge', { amount: 1_000_000 }, asUser(u.userId));
    expect(res.status).toBe(404);
    expect((await balance(u.userId)).balance).toBe(0);
  });

  it('needs a signed-in user', async () => {
    expect((await user().get('/api/users/me/points')).status).toBe(401);
    expect((await user().post('/api/users/me/points/charges', { amount: 1 })).status).toBe(401);
    expect((await user().get('/api/users/me/points/charges')).status).toBe(401);
  });
});

// The limit is the contract's (the web checks it before asking); above it the refusal names the limit
// in force with a code of its own, so the web can word it, formatted, in the shopper's language.
describe('the largest points charge', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => {
    await pair.stop();
  });

  const charge = async (amount: number) => {
    const u = await signedUpUser(pair);
    return pair.userApi.post('/api/users/me/points/charges', { amount }, asUser(u.userId));
  };

  it('is the contract’s by default, and a refusal above it names it with its own code', async () => {
    expect((await charge(POINTS_MAX_CHARGE)).status).toBe(201);
    const above = await charge(POINTS_MAX_CHARGE + 1);
    expect(above.status).toBe(400);
    expect(above.body.type).toBe('urn:sagamart:problem:charge-above-max');
    expect(above.body.maxCharge).toBe(POINTS_MAX_CHARGE);
    expect(above.body.errors[0].field).toBe('amount');
  });

  it('refuses an amount that is not a whole number of won as bad input, naming no limit', async () => {
    const res = await charge(0);
    expect(res.status).toBe(400);
    expect(res.body.type).not.toContain('charge-above-max');
    expect(res.body.maxCharge).toBeUndefined();
  });
});
