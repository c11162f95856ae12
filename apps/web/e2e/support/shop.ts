import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { APIRequestContext, Page } from 'playwright-core';
import type { ShopLanguage } from './browser.ts';

/** Every shopper the browser tests sign up uses this password. */
export const PASSWORD = 'Saga!mart2024';

/** An amount as the web app prints it: `₩12,900` in English (the tests' default), `12,900원` in Korean. */
export function won(amount: number, language: ShopLanguage = 'en'): string {
  const digits = amount.toLocaleString('en-US');
  if (language === 'ko') return `${digits}원`;
  return amount < 0 ? `-₩${digits.slice(1)}` : `₩${digits}`;
}

/** Points as the web prints them in either language: `7,855P` (points are not cash). */
export function points(amount: number): string {
  return `${amount.toLocaleString('en-US')}P`;
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

/** On the mock PG's page (Korean, like a Korean PG's): checks the amount, picks the test card and pays. */
export async function payOnPg(page: Page, pgUrl: string, amount: number, card: TestCard): Promise<void> {
  await page.waitForURL((url) => url.origin === new URL(pgUrl).origin && url.pathname === '/checkout');
  assert.equal((await page.locator('[data-field="amount"]').textContent())?.trim(), won(amount, 'ko'));
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
  await payOnPg(page, pgUrl, amount, card);
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

/** The saga settles by events: moments, not instants. */
const ORDER_SETTLE_MS = 60_000;

export interface PlacedOrder {
  orderId: string;
  orderNumber: string;
  status: string;
  payableAmount: number;
  orderName: string;
}

/** Logs in through the API and places an order for one unit of the first product in stock. */
/** Logs in through the gateway's API and answers the access token. */
export async function accessTokenByApi(
  http: APIRequestContext,
  gatewayUrl: string,
  email: string,
  password: string,
): Promise<string> {
  // A loaded machine can keep auth-service past the gateway's timeout (503): ask again, a few times.
  let login = await http.post(`${gatewayUrl}/api/auth/login`, { data: { email, password } });
  for (let attempt = 0; login.status() === 503 && attempt < 5; attempt++) {
    login = await http.post(`${gatewayUrl}/api/auth/login`, { data: { email, password } });
  }
  assert.equal(login.status(), 200, await login.text());
  return ((await login.json()) as { accessToken: string }).accessToken;
}

export async function placeOrderByApi(
  http: APIRequestContext,
  gatewayUrl: string,
  email: string,
  password: string,
): Promise<PlacedOrder> {
  const accessToken = await accessTokenByApi(http, gatewayUrl, email, password);
  const deadline = Date.now() + ORDER_SETTLE_MS;
  for (;;) {
    const search = await http.get(`${gatewayUrl}/api/catalog/products?inStock=true&size=20`);
    const cards = search.ok() ? ((await search.json()) as { content: Array<{ id: number }> }).content : [];
    for (const card of cards) {
      const detail = (await (await http.get(`${gatewayUrl}/api/catalog/products/${card.id}`)).json()) as {
        skus: Array<{ id: number; status: string; stock: number }>;
      };
      const sku = detail.skus.find((s) => s.status === 'ACTIVE' && s.stock >= 3);
      if (!sku) continue;
      // The same Idempotency-Key makes a retry after a timeout safe (a loaded machine is slow).
      const idempotencyKey = randomUUID();
      const skuId = sku.id;
      const post = () =>
        http.post(`${gatewayUrl}/api/orders`, {
          headers: { authorization: `Bearer ${accessToken}`, 'idempotency-key': idempotencyKey },
          data: {
            items: [{ skuId, quantity: 1 }],
            delivery: {
              receiverName: '김하늘',
              receiverPhone: '010-3456-7890',
              zipcode: '04524',
              address: '서울특별시 중구 세종대로 110',
            },
          },
        });
      let placed = await post();
      for (let attempt = 0; placed.status() === 503 && attempt < 5; attempt++) placed = await post();
      assert.ok(placed.status() === 201 || placed.status() === 200, await placed.text());
      return (await placed.json()) as PlacedOrder;
    }
    assert.ok(Date.now() < deadline, 'no product in stock reached the catalog');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
