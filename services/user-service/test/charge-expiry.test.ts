import { eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectLateApprovalRefunded,
  type PaymentsPlatform,
  pointChargeSteps,
  signedUpUser,
  startWithPayments,
} from './support.ts';

// A charge whose PG window the shopper closed used to stay PENDING (결제 대기) forever. Like an unpaid
// order, it now expires after points.chargeTimeoutSeconds: payment-service hears of it
// (point.charge.cancelled, PAYMENT_TIMEOUT), refuses its payment, and refunds one the PG approves late.

const TIMEOUT_SECONDS = 1;
/** The slow card approves this long after its confirm: well after the charge has expired. */
const SLOW_CONFIRM_MS = 3_000;

describe('points charges not paid in time', () => {
  let platform: PaymentsPlatform;
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

  const { charge, chargeView, awaitPaymentSide, balance, checkout, confirm } = pointChargeSteps(
    () => platform,
  );

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
    const cancelled = await awaitPaymentSide(u.userId, c.chargeNumber, (s) => s.orderCancelled);
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
    await awaitPaymentSide(u.userId, c.chargeNumber);
    const pending = await confirm(u.userId, c.chargeNumber, await checkout(c, 'slow'), 8_000);
    expect(pending.status).toBe(202);

    // The charge expires while the PG is still approving.
    await eventually(async () => (await chargeView(u.userId, c.chargeNumber)).status === 'EXPIRED');
    await expectLateApprovalRefunded(platform, u.userId, c.chargeNumber, {
      amount: 8_000,
      status: 'EXPIRED',
      reason: 'PAYMENT_TIMEOUT',
    });
  });
});
