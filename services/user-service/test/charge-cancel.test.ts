import { eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asUser,
  expectLateApprovalRefunded,
  type PaymentsPlatform,
  pointChargeSteps,
  signedUpUser,
  startWithPayments,
} from './support.ts';

// A charge whose PG window the shopper cancelled stayed 결제 대기 for points.chargeTimeoutSeconds, then
// read 결제 기한 초과. The result page now cancels it (POST …/cancel): CANCELLED at once, and
// payment-service hears of it (point.charge.cancelled, USER_CANCELLED) and treats it as an expired
// charge: a later confirm is refused and a payment the PG approves late is refunded, crediting nothing.

/** The slow card approves this long after its confirm: well after the charge is cancelled. */
const SLOW_CONFIRM_MS = 2_000;

describe('a points charge the shopper cancels unpaid', () => {
  let platform: PaymentsPlatform;
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
  const { charge, cancel, chargeView, awaitPaymentSide, balance, checkout, confirm } = pointChargeSteps(
    () => platform,
  );

  it('cancels at once, lists it cancelled, answers a repeat the same, and refuses a later confirm', async () => {
    const u = await signedUpUser(platform);
    const c = await charge(u.userId, 5_000);
    // payment-service must know the charge before it is told it was cancelled (either order works).
    await awaitPaymentSide(u.userId, c.chargeNumber);

    const cancelled = await cancel(u.userId, c.chargeNumber);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ chargeNumber: c.chargeNumber, status: 'CANCELLED', paidAt: null });
    const listed = await user().get('/api/users/me/points/charges', asUser(u.userId));
    expect(listed.body.content).toMatchObject([{ chargeNumber: c.chargeNumber, status: 'CANCELLED' }]);

    // The fail page may ask twice (a reload): the same answer, nothing else changes.
    const again = await cancel(u.userId, c.chargeNumber);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'CANCELLED' });

    const side = await awaitPaymentSide(u.userId, c.chargeNumber, (s) => s.orderCancelled);
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
    await awaitPaymentSide(owner.userId, c.chargeNumber);
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
    await awaitPaymentSide(u.userId, c.chargeNumber);
    const pending = await confirm(u.userId, c.chargeNumber, await checkout(c, 'slow'), 8_000);
    expect(pending.status).toBe(202);

    // Cancelled while the PG is still approving.
    const cancelled = await cancel(u.userId, c.chargeNumber);
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED' });
    await expectLateApprovalRefunded(platform, u.userId, c.chargeNumber, {
      amount: 8_000,
      status: 'CANCELLED',
      reason: 'USER_CANCELLED',
    });
  });
});
