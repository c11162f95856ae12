import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { collectPageErrors, newShopContext, screenshotOnFailure } from './support/browser.ts';
import { logIn } from './support/pages.ts';
import { chargePoints, PASSWORD, points, signUp, won } from './support/shop.ts';
import { useBrowserSuite } from './support/suite.ts';

// Issue 8, defect 3: points are paid through the PG like an order. Over HTTP through the gateway and
// in the browser: credited only after the PG approves, nothing for a declined card or a tampered
// amount, and a refund takes the points back.

const SETTLE_MS = 60_000;

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    assert.ok(Date.now() < deadline, `${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A shopper's API session through the gateway (a non-browser client: tokens in the body). */
async function apiShopper(gatewayUrl: string) {
  const email = `points-${randomUUID().slice(0, 8)}@example.com`;
  await signUp(gatewayUrl, email);
  const login = await fetch(`${gatewayUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD, tokenDelivery: 'body' }),
  });
  assert.equal(login.status, 200);
  const { accessToken } = (await login.json()) as { accessToken: string };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${gatewayUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: asserted field by field
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as any };
  };
  return {
    email,
    call,
    balance: async () => (await call('GET', '/api/users/me/points')).body.balance as number,
  };
}

/** The browser at the PG's checkout, as a form post: answers the paymentKey of the success redirect. */
async function payAtPg(pgUrl: string, chargeNumber: string, amount: number, card: string): Promise<string> {
  const res = await fetch(`${pgUrl}/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      orderNumber: chargeNumber,
      amount: String(amount),
      orderName: '포인트 충전',
      successUrl: 'http://127.0.0.1/me/points/charge/success',
      failUrl: 'http://127.0.0.1/me/points/charge/fail',
      card,
    }).toString(),
    redirect: 'manual',
  });
  assert.equal(res.status, 303);
  return new URL(res.headers.get('location') ?? '').searchParams.get('paymentKey') ?? '';
}

describe('points charges', { timeout: 600_000 }, () => {
  const suite = useBrowserSuite();

  it('over HTTP: credited only after approval, nothing when declined or tampered, a refund debits', {
    timeout: 240_000,
  }, async () => {
    const { gatewayUrl, pgUrl } = suite.environment;
    const shopper = await apiShopper(gatewayUrl);
    // The instant top-up is gone.
    assert.equal(
      (await shopper.call('POST', '/api/users/me/points/charge', { amount: 1_000_000 })).status,
      404,
    );

    const charge = async (amount: number) => {
      const created = await shopper.call('POST', '/api/users/me/points/charges', { amount });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.headers.get('cache-control'), 'no-store');
      return created.body as { chargeNumber: string };
    };
    const confirm = (orderNumber: string, paymentKey: string, amount: number) =>
      poll(
        () => shopper.call('POST', '/api/payments/confirm', { orderNumber, paymentKey, amount }),
        (res) => res.status !== 404, // payment-service learns of the charge from its event
        'confirm',
      );
    const status = async (chargeNumber: string) =>
      (await shopper.call('GET', `/api/users/me/points/charges/${chargeNumber}`)).body.status as string;

    // Approved: nothing before the confirm, the amount after it.
    const paid = await charge(8_000);
    const paymentKey = await payAtPg(pgUrl, paid.chargeNumber, 8_000, 'approve');
    assert.equal(await shopper.balance(), 0);
    assert.equal((await confirm(paid.chargeNumber, paymentKey, 8_000)).body.status, 'APPROVED');
    await poll(shopper.balance, (b) => b === 8_000, 'credited balance');

    // Declined: nothing.
    const declined = await charge(3_000);
    const failed = await confirm(
      declined.chargeNumber,
      await payAtPg(pgUrl, declined.chargeNumber, 3_000, 'decline'),
      3_000,
    );
    assert.equal(failed.body.status, 'FAILED');
    await poll(
      () => status(declined.chargeNumber),
      (s) => s === 'FAILED',
      'declined charge',
    );

    // A tampered amount: refused by the confirm's amount check, nothing credited.
    const tampered = await charge(50_000);
    const cheap = await confirm(
      tampered.chargeNumber,
      await payAtPg(pgUrl, tampered.chargeNumber, 100, 'approve'),
      100,
    );
    assert.equal(cheap.body.status, 'FAILED');
    assert.equal(cheap.body.failureCode, 'AMOUNT_MISMATCH');
    await poll(
      () => status(tampered.chargeNumber),
      (s) => s === 'FAILED',
      'tampered charge',
    );
    assert.equal(await shopper.balance(), 8_000);

    // A refund takes the points back at once and refunds the payment at the PG.
    const refund = await shopper.call('POST', `/api/users/me/points/charges/${paid.chargeNumber}/refund`, {});
    assert.equal(refund.status, 200, JSON.stringify(refund.body));
    assert.equal(await shopper.balance(), 0);
    await poll(
      () => status(paid.chargeNumber),
      (s) => s === 'REFUNDED',
      'refunded charge',
    );
    const payments = await shopper.call('GET', `/api/payments/orders/${paid.chargeNumber}`);
    assert.equal(payments.body.payment.status, 'REFUNDED');
  });

  it('in the browser: pays a charge at the PG, sees the points, refunds them; a declined card or a closed PG window adds none', {
    timeout: 300_000,
  }, async () => {
    const email = `points-${randomUUID().slice(0, 8)}@example.com`;
    await signUp(suite.environment.gatewayUrl, email);
    const context = await newShopContext(suite.browser, suite.environment.baseUrl);
    const page = await context.newPage();
    const pageErrors = collectPageErrors(page);
    const policyViolations = collectPolicyViolations(page);

    await screenshotOnFailure('points', [page], async () => {
      await page.goto('/login');
      await logIn(page, email, PASSWORD);
      await page.getByRole('button', { name: 'Log out' }).waitFor();

      await chargePoints(page, suite.environment.pgUrl, 12_000);
      await page.getByRole('link', { name: 'Back to points' }).click();
      await page
        .getByTestId('point-balance')
        .filter({ hasText: points(12_000) })
        .waitFor({ timeout: SETTLE_MS });
      const charges = page.getByRole('table', { name: 'Point charges' });
      await charges.getByText('Charged').waitFor();

      await chargePoints(page, suite.environment.pgUrl, 4_000, 'decline');
      await page.getByRole('link', { name: 'Back to points' }).click();
      await charges.getByText('Payment failed').waitFor({ timeout: SETTLE_MS });
      await page
        .getByTestId('point-balance')
        .filter({ hasText: points(12_000) })
        .waitFor();

      // Closing the PG's window: the result page says so in the shopper's words, and nothing is added.
      await page.goto('/me/points');
      await page.getByLabel('Amount', { exact: true }).fill('5000');
      await page.getByRole('button', { name: 'Pay and charge', exact: true }).click();
      await page.waitForURL((url) => url.origin === new URL(suite.environment.pgUrl).origin);
      await page.getByRole('button', { name: '취소' }).click();
      await page.waitForURL(/\/me\/points\/charge\/fail/);
      await page
        .getByRole('alert')
        .filter({ hasText: 'You cancelled the payment.' })
        .filter({ hasText: 'No points were added' })
        .waitFor();
      assert.equal(await page.title(), 'Points charge | Parkshinsa Mall');
      await page.getByRole('link', { name: 'Back to points' }).click();
      await page
        .getByTestId('point-balance')
        .filter({ hasText: points(12_000) })
        .waitFor();
      // The fail page cancelled the charge: the history says so now, not "Awaiting payment" until it expires.
      await charges.getByText('Cancelled').waitFor({ timeout: SETTLE_MS });
      assert.equal(await charges.getByText('Awaiting payment').count(), 0);

      await page.getByRole('button', { name: `Refund ${won(12_000)}` }).click();
      // Asked first: the won paid back, the points taken off.
      const asked = page.getByRole('dialog');
      await asked.getByText(`${points(12_000)} leave your point balance`).waitFor();
      await asked.getByRole('button', { name: 'Refund', exact: true }).click();
      await page
        .getByTestId('point-balance')
        .filter({ hasText: points(0) })
        .waitFor({ timeout: SETTLE_MS });
      await charges.getByText(/Refund requested|Refunded/).waitFor();

      // A slow card: the PG answers after payment-service stopped waiting (202, PENDING). The page
      // follows the charge until the points are added, and never says the payment failed meanwhile.
      await page.goto('/me/points');
      await page.getByLabel('Amount', { exact: true }).fill('3000');
      await page.getByRole('button', { name: 'Pay and charge', exact: true }).click();
      await page.waitForURL((url) => url.origin === new URL(suite.environment.pgUrl).origin);
      await page.getByRole('radio', { name: '(slow)' }).check();
      await page.getByRole('button', { name: '결제하기' }).click();
      await page.waitForURL(/\/me\/points\/charge\/success/);
      // A plain script: the test's compiled functions carry helpers the page does not have.
      await page.evaluate(`(() => {
        window.chargeSeen = { failure: false };
        const look = () => {
          if (document.body.textContent.includes('No points were added')) window.chargeSeen.failure = true;
        };
        look();
        new MutationObserver(look).observe(document.body, { childList: true, subtree: true, characterData: true });
      })()`);
      await page
        .getByTestId('charge-result')
        .filter({ hasText: `${won(3_000)} of points added.` })
        .waitFor({ timeout: SETTLE_MS });
      assert.equal(
        await page.evaluate(
          () => (window as unknown as { chargeSeen: { failure: boolean } }).chargeSeen.failure,
        ),
        false,
        'a pending payment is never told as a failure',
      );
    });

    assert.deepEqual(pageErrors, []);
    assert.deepEqual(policyViolations, [], 'the app works under its Content-Security-Policy');
    await context.close();
  });
});

/** Console reports of Content-Security-Policy violations (blocked scripts, styles, connections). */
function collectPolicyViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
      violations.push(message.text());
  });
  return violations;
}
