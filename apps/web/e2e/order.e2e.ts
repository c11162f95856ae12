import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { CART_STORAGE_KEY, type CartItem } from '../src/cart/cart-store.ts';
import { collectPageErrors, newShopContext, RESULTS_DIR, screenshotOnFailure } from './support/browser.ts';
import { hangulOutsideBundledFont } from './support/page-scan.ts';
import { logIn } from './support/pages.ts';
import { chargePoints, PASSWORD, payOnPg, points, signUp, won } from './support/shop.ts';
import { useBrowserSuite } from './support/suite.ts';

const COUPON_DISCOUNT = 3_000;
const POINTS = 5_000;
/** Order settling (saga, payment events) and the catalog's event-fed stock take moments, not instants. */
const SETTLE_MS = 60_000;

interface CatalogSku {
  id: number;
  options: Record<string, string>;
  price: number;
  stock: number;
  status: string;
}

interface CatalogProduct {
  id: number;
  name: string;
  skus: CatalogSku[];
}

describe('ordering', { timeout: 600_000 }, () => {
  const suite = useBrowserSuite();

  it('pays with a coupon and points and sees PAID; a declined card cancels the order and restocks', {
    timeout: 420_000,
  }, async () => {
    const suffix = randomUUID().slice(0, 8).toUpperCase();
    const couponCode = `E2E${suffix}`;
    const couponName = `Welcome ${suffix}`;
    const email = `buyer-${suffix.toLowerCase()}@example.com`;

    const adminContext = await newShopContext(suite.browser, suite.environment.baseUrl);
    const shopperContext = await newShopContext(suite.browser, suite.environment.baseUrl);
    const admin = await adminContext.newPage();
    const shopper = await shopperContext.newPage();
    const pageErrors = [...collectPageErrors(admin), ...collectPageErrors(shopper)];

    await screenshotOnFailure('ordering', [shopper, admin], async () => {
      // An admin creates a 3,000원 coupon on the admin coupon page.
      await admin.goto('/admin/coupons/new');
      await logIn(admin, suite.environment.adminEmail, suite.environment.adminPassword);
      await admin.getByRole('heading', { name: 'New coupon', level: 1 }).waitFor();
      await admin.getByLabel('Code', { exact: true }).fill(couponCode);
      await admin.getByLabel('Name', { exact: true }).fill(couponName);
      await admin.getByLabel('Discount (won)', { exact: true }).fill(String(COUPON_DISCOUNT));
      await admin.getByRole('button', { name: 'Create coupon' }).click();
      await admin.getByText(`Coupon ${couponCode} created.`).waitFor();
      await admin.getByRole('link', { name: couponCode }).waitFor();

      // A product that is on sale, in stock and dear enough to leave something to pay by card.
      const { product, sku } = await findProduct(
        suite.environment.gatewayUrl,
        COUPON_DISCOUNT + POINTS + 1_000,
      );
      const initialStock = sku.stock;

      // A shopper signs up, logs in and charges points.
      await signUp(suite.environment.gatewayUrl, email);
      await shopper.goto('/login');
      await logIn(shopper, email, PASSWORD);
      await shopper.getByRole('button', { name: 'Log out' }).waitFor();
      await chargePoints(shopper, suite.environment.pgUrl, POINTS);

      // ...claims the coupon by its code...
      await shopper.goto('/me/coupons');
      await shopper.getByRole('heading', { name: 'Coupons', level: 1 }).waitFor();
      await shopper.getByLabel('Coupon code', { exact: true }).fill(couponCode.toLowerCase());
      await shopper.getByRole('button', { name: 'Claim', exact: true }).click();
      await shopper.getByRole('list', { name: 'My coupons' }).getByText(couponName).waitFor();

      // ...puts the product in the cart (the product pages are not there yet: seeded like they would)...
      await seedCart(shopper, [cartItem(product, sku)]);

      // ...and checks out with the coupon and all the points.
      await shopper.goto('/checkout');
      await fillDelivery(shopper);
      // A card per coupon: its name, its terms on the line below.
      const couponCard = shopper.getByRole('radio', { name: couponName });
      await couponCard.getByText(`${won(COUPON_DISCOUNT)} off`, { exact: true }).waitFor();
      await couponCard.click();
      await shopper.getByLabel('Points to use', { exact: true }).fill(String(POINTS));
      await shopper
        .getByTestId('amount-coupon')
        .filter({ hasText: won(COUPON_DISCOUNT) })
        .waitFor();
      await shopper
        .getByTestId('amount-points')
        .filter({ hasText: points(POINTS) })
        .waitFor();
      const payable = (await shopper.getByTestId('amount-payable').textContent())?.trim() ?? '';
      assert.equal(payable, won(sku.price - COUPON_DISCOUNT - POINTS));

      // The shopper closes the PG's window first: that order waits for payment, holding the coupon
      // and the points. Back at checkout it is let go, so the coupon and the points are there again,
      // and paying makes one order, not a second beside it.
      await shopper.getByRole('button', { name: 'Place order' }).click();
      await shopper.waitForURL((url) => url.origin === new URL(suite.environment.pgUrl).origin);
      await shopper.getByRole('button', { name: '취소' }).click();
      await shopper.getByRole('heading', { name: 'Payment cancelled', level: 1 }).waitFor();
      await shopper.getByRole('link', { name: 'Back to checkout' }).click();
      await shopper.getByTestId('checkout-retry').waitFor();
      await couponCard.waitFor({ timeout: SETTLE_MS });
      await couponCard.click();
      await shopper.getByLabel('Points to use', { exact: true }).fill(String(POINTS));
      await shopper.getByTestId('amount-payable').filter({ hasText: payable }).waitFor();

      // The mock PG's hosted checkout (another origin) asks for exactly the server's amount, in
      // Korean drawn in the shop's font (it serves Noto Sans KR itself: no boxes without system fonts).
      await shopper.getByRole('button', { name: 'Place order' }).click();
      await shopper.waitForURL((url) => url.origin === new URL(suite.environment.pgUrl).origin);
      await shopper.evaluate(() => document.fonts.ready);
      assert.deepEqual(await hangulOutsideBundledFont(shopper), []);
      await payOnPg(shopper, suite.environment.pgUrl, sku.price - COUPON_DISCOUNT - POINTS, 'approve');

      await shopper
        .getByRole('heading', { name: 'Payment complete', level: 1 })
        .waitFor({ timeout: SETTLE_MS });
      // The ordered lines leave the cart once the order is paid, not before.
      await shopper
        .locator('[aria-live="polite"]')
        .filter({ hasText: 'Paid' })
        .waitFor({ timeout: SETTLE_MS });
      assert.equal(await cartContents(shopper), null, 'the cart is emptied once the order is paid');
      await shopper.getByRole('link', { name: 'View order' }).click();
      await shopper.getByTestId('order-status').filter({ hasText: 'PAID' }).waitFor({ timeout: SETTLE_MS });
      await shopper.getByRole('list', { name: 'Payments' }).getByText('Approved').waitFor();

      // The coupon is USED now.
      await shopper.goto('/me/coupons?status=USED');
      await shopper.getByRole('list', { name: 'My coupons' }).getByText(couponName).waitFor();

      // The order left at the PG was cancelled, the paid one stands: two orders, one to pay for.
      await shopper.goto('/me/orders?status=CANCELLED');
      await shopper.getByTestId('my-order').first().waitFor();
      assert.equal(await shopper.getByTestId('my-order').count(), 1, 'the abandoned order was cancelled');

      // The paid order took one unit for good.
      await waitForStock(suite.environment.gatewayUrl, product.id, sku.id, initialStock - 1);

      // A second order, paid with the decline card, ends CANCELLED and gives its unit back.
      await seedCart(shopper, [cartItem(product, sku)]);
      await shopper.goto('/checkout');
      await fillDelivery(shopper);
      const secondPayable = won(sku.price);
      await shopper.getByTestId('amount-payable').filter({ hasText: secondPayable }).waitFor();
      await shopper.getByRole('button', { name: 'Place order' }).click();
      await shopper.waitForURL((url) => url.origin === new URL(suite.environment.pgUrl).origin);
      // Reserved while the shopper is at the PG...
      await waitForStock(suite.environment.gatewayUrl, product.id, sku.id, initialStock - 2);
      await payOnPg(shopper, suite.environment.pgUrl, sku.price, 'decline');

      await shopper
        .getByRole('heading', { name: 'Payment failed', level: 1 })
        .waitFor({ timeout: SETTLE_MS });
      await shopper.getByRole('link', { name: 'View order' }).click();
      await shopper
        .getByTestId('order-status')
        .filter({ hasText: 'CANCELLED' })
        .waitFor({ timeout: SETTLE_MS });
      await shopper.getByRole('status').filter({ hasText: 'The payment failed' }).waitFor();
      // ...and back in stock once the payment failed.
      await waitForStock(suite.environment.gatewayUrl, product.id, sku.id, initialStock - 1);

      // The admin follows the declined payment from the saga timeline into its trace: the PG's
      // refusal, and the compensations it set off, across the services.
      const declinedOrderId = new URL(shopper.url()).pathname.split('/').at(-1)!;
      await admin.goto(`/admin/orders/${declinedOrderId}`);
      const timeline = admin.getByRole('table', { name: 'Saga timeline' });
      await timeline
        .locator('tr[data-action="compensate"]')
        .filter({ hasText: 'stock' })
        .waitFor({ timeout: SETTLE_MS });
      const payment = timeline.locator('tr[data-action="pay"]');
      await payment.filter({ hasText: 'REFUSED' }).waitFor();
      await payment.getByRole('link', { name: 'trace' }).click();
      await admin.waitForURL(/\/admin\/traces\/[0-9a-f]{32}$/);
      const spans = admin.getByRole('list', { name: 'Spans' });
      // Spans reach the collector in batches: reload until the compensations have arrived.
      await waitForSpans(admin, spans, ['payment-service', 'mock-pg', 'order-service', 'product-service']);
      await spans.getByRole('listitem').filter({ hasText: 'saga stock compensate' }).first().waitFor();
      await spans.getByRole('listitem').filter({ hasText: 'event in' }).first().waitFor();
      await admin.screenshot({ path: join(RESULTS_DIR, 'admin-trace-declined-payment.png'), fullPage: true });
      // The declined order left the cart and the address as they were: checkout again, nothing retyped.
      assert.notEqual(await cartContents(shopper), null, 'a declined payment keeps the cart');
      await shopper.goto('/checkout');
      await shopper.getByTestId('checkout-retry').waitFor();
      assert.notEqual(await shopper.getByLabel('Address', { exact: true }).inputValue(), '');
    });

    assert.deepEqual(pageErrors, []);
    await adminContext.close();
    await shopperContext.close();
  });
});

/** Reloads a trace page until spans of every one of the services are on it. */
async function waitForSpans(page: Page, spans: Locator, services: string[]): Promise<void> {
  const deadline = Date.now() + SETTLE_MS;
  let missing = services;
  while (Date.now() < deadline) {
    const seen = new Set(
      await spans
        .getByRole('listitem')
        .evaluateAll((items) => items.map((i) => i.getAttribute('data-service'))),
    );
    missing = services.filter((s) => !seen.has(s));
    if (missing.length === 0) return;
    await sleep(1_000);
    await page.reload();
    await spans.waitFor();
  }
  assert.deepEqual(missing, [], 'services missing from the trace');
}

async function catalogProduct(gatewayUrl: string, productId: number): Promise<CatalogProduct> {
  const response = await fetch(`${gatewayUrl}/api/catalog/products/${productId}`);
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as CatalogProduct;
}

/** The first seeded product with an active SKU that has stock and costs at least `minPrice`. */
async function findProduct(
  gatewayUrl: string,
  minPrice: number,
): Promise<{ product: CatalogProduct; sku: CatalogSku }> {
  // The demo catalog is seeded on first start and reaches the catalog by events: wait for it.
  const deadline = Date.now() + SETTLE_MS;
  while (Date.now() < deadline) {
    const response = await fetch(`${gatewayUrl}/api/catalog/products?inStock=true&size=50`);
    if (response.ok) {
      const page = (await response.json()) as { content: Array<{ id: number; salePrice: number }> };
      for (const card of page.content.filter((candidate) => candidate.salePrice >= minPrice)) {
        const product = await catalogProduct(gatewayUrl, card.id);
        const sku = product.skus.find((s) => s.status === 'ACTIVE' && s.stock >= 5 && s.price >= minPrice);
        if (sku) return { product, sku };
      }
    }
    await sleep(1_000);
  }
  throw new Error(`No product of at least ${minPrice}원 with stock appeared in the catalog`);
}

/** Polls the catalog until the SKU's available stock is `expected` (the catalog follows stock by events). */
async function waitForStock(
  gatewayUrl: string,
  productId: number,
  skuId: number,
  expected: number,
): Promise<void> {
  const deadline = Date.now() + SETTLE_MS;
  let actual: number | undefined;
  while (Date.now() < deadline) {
    actual = (await catalogProduct(gatewayUrl, productId)).skus.find((s) => s.id === skuId)?.stock;
    if (actual === expected) return;
    await sleep(500);
  }
  assert.equal(actual, expected, `stock of SKU ${skuId}`);
}

function cartItem(product: CatalogProduct, sku: CatalogSku): CartItem {
  return {
    skuId: sku.id,
    productId: product.id,
    name: product.name,
    optionLabel: Object.values(sku.options).join(' / '),
    unitPrice: sku.price,
    quantity: 1,
  };
}

async function seedCart(page: Page, items: CartItem[]): Promise<void> {
  await page.evaluate(({ key, value }) => localStorage.setItem(key, value), {
    key: CART_STORAGE_KEY,
    value: JSON.stringify(items),
  });
}

function cartContents(page: Page): Promise<string | null> {
  return page.evaluate((key) => localStorage.getItem(key), CART_STORAGE_KEY);
}

/** Receiver name and phone come from the profile; the address is typed. */
async function fillDelivery(page: Page): Promise<void> {
  await page.getByRole('heading', { name: 'Checkout', level: 1 }).waitFor();
  // The form fills in the account holder once the profile arrives; type over it only after that.
  const name = page.getByLabel('Receiver name', { exact: true });
  await page.waitForFunction((input) => (input as HTMLInputElement).value !== '', await name.elementHandle());
  await name.fill('Lee Jiwoo');
  await page.getByLabel('Receiver phone', { exact: true }).fill('010-2345-6789');
  await page.getByLabel('Zip code', { exact: true }).fill('06236');
  await page.getByLabel('Address', { exact: true }).fill('서울특별시 강남구 테헤란로 123');
  await page.getByLabel('Address detail', { exact: true }).fill('10층');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
