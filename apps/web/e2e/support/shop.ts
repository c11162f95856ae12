import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

/** Every shopper the browser tests sign up uses this password. */
export const PASSWORD = 'Saga!mart2024';

/** `12,900원`, as both the web app and the mock PG print amounts. */
export function won(amount: number): string {
  return `${amount.toLocaleString('ko-KR')}원`;
}

export async function signUp(gatewayUrl: string, email: string): Promise<void> {
  const response = await fetch(`${gatewayUrl}/api/users/signup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      email,
      password: PASSWORD,
      passwordConfirm: PASSWORD,
      name: 'Lee Jiwoo',
      phone: '010-2345-6789',
    }),
  });
  assert.equal(response.status, 201, await response.text());
}

export type TestCard = 'approve' | 'decline';

/** On the mock PG's page: checks the amount, picks the test card and pays. */
export async function payOnPg(page: Page, pgUrl: string, amount: string, card: TestCard): Promise<void> {
  await page.waitForURL((url) => url.origin === new URL(pgUrl).origin && url.pathname === '/checkout');
  assert.equal((await page.locator('[data-field="amount"]').textContent())?.trim(), amount);
  await page.getByRole('radio', { name: `(${card})` }).check();
  await page.getByRole('button', { name: '결제하기' }).click();
}

/**
 * Buys points on the points page of a signed-in shopper: the charge is paid at the PG's checkout and
 * the result page confirms it. Answers once the points are credited (approve) or refused (decline).
 */
export async function chargePoints(page: Page, pgUrl: string, amount: number, card: TestCard = 'approve') {
  await page.goto('/me/points');
  await page.getByRole('heading', { name: 'Points', level: 1 }).waitFor();
  await page.getByLabel('Amount', { exact: true }).fill(String(amount));
  await page.getByRole('button', { name: 'Pay and charge', exact: true }).click();
  await payOnPg(page, pgUrl, won(amount), card);
  await page.waitForURL(/\/me\/points\/charge\/success/);
  if (card === 'approve') {
    await page
      .getByTestId('charge-result')
      .filter({ hasText: `${won(amount)} of points added.` })
      .waitFor();
  } else {
    await page.getByRole('alert').filter({ hasText: 'No points were added' }).waitFor();
  }
}
