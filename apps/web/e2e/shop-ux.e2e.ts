import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { CART_STORAGE_KEY, type CartItem } from '../src/cart/cart-store.ts';
import { collectPageErrors, newShopContext, screenshotOnFailure } from './support/browser.ts';
import {
  DESKTOP,
  findInternalText,
  hangulOutsideBundledFont,
  horizontalOverflow,
  PHONE,
  saveScreenshot,
  settle,
  visibleText,
} from './support/page-scan.ts';
import { logIn } from './support/pages.ts';
import { PASSWORD, placeOrderByApi } from './support/shop.ts';
import { useBrowserSuite } from './support/suite.ts';

interface Shopper {
  email: string;
  order: { orderId: string; orderNumber: string };
  product: { id: number; name: string; sku: { id: number; price: number; options: Record<string, string> } };
}

/** Every shopper page, in Korean, at a phone's and a desktop's width. */
const PAGES = (shopper: Shopper) => [
  { name: 'home', path: '/' },
  { name: 'products', path: '/products' },
  { name: 'product', path: `/products/${shopper.product.id}` },
  { name: 'cart', path: '/cart' },
  { name: 'checkout', path: '/checkout' },
  { name: 'my-orders', path: '/me/orders' },
  { name: 'order', path: `/me/orders/${shopper.order.orderId}` },
  { name: 'points', path: '/me/points' },
  { name: 'search', path: `/products?${new URLSearchParams({ q: '맨투맨' })}` },
  { name: 'profile', path: '/me/profile' },
  { name: 'addresses', path: '/me/addresses' },
  { name: 'coupons', path: '/me/coupons' },
  {
    name: 'charge-cancelled',
    path: `/me/points/charge/fail?${new URLSearchParams({
      code: 'PAY_PROCESS_CANCELED',
      message: '사용자가 결제를 취소했습니다.',
      orderNumber: 'PNT-20261207-7QK2M4XD',
    })}`,
  },
  {
    name: 'payment-cancelled',
    path: `/payment/fail?${new URLSearchParams({
      code: 'PAY_PROCESS_CANCELED',
      message: '사용자가 결제를 취소했습니다',
      orderNumber: shopper.order.orderNumber,
      orderId: shopper.order.orderId,
    })}`,
  },
];

describe('the shop reads as a Korean shop, on a phone too', { timeout: 600_000 }, () => {
  const suite = useBrowserSuite();
  let shopper: Shopper;

  async function setUpShopper(context: BrowserContext): Promise<Shopper> {
    const { gatewayUrl } = suite.environment;
    let email = '';
    // A loaded machine can keep user-service (password hashing) past the gateway's timeout: retry with
    // another address, since a timed-out signup may never finish (a 409 would then leave no profile).
    for (let attempt = 0; ; attempt++) {
      email = `ux-${randomUUID().slice(0, 8)}@example.com`;
      const answer = await context.request.post(`${gatewayUrl}/api/users/signup`, {
        data: {
          email,
          password: PASSWORD,
          passwordConfirm: PASSWORD,
          name: '이지우',
          phone: '010-2345-6789',
        },
      });
      if (answer.status() === 201) break;
      assert.ok(answer.status() === 503 && attempt < 5, await answer.text());
    }
    const placed = await placeOrderByApi(context.request, gatewayUrl, email, PASSWORD);
    const detail = (await (
      await context.request.get(`${gatewayUrl}/api/orders/${placed.orderId}`, {
        headers: { authorization: `Bearer ${await accessToken(context, email)}` },
      })
    ).json()) as {
      items: Array<{
        productId: number;
        productName: string;
        skuId: number;
        unitPrice: number;
        options: Record<string, string>;
      }>;
    };
    const line = detail.items[0];
    assert.ok(line, 'the order has a line');
    return {
      email,
      order: placed,
      product: {
        id: line.productId,
        name: line.productName,
        sku: { id: line.skuId, price: line.unitPrice, options: line.options },
      },
    };
  }

  async function accessToken(context: BrowserContext, email: string): Promise<string> {
    let login = await context.request.post(`${suite.environment.gatewayUrl}/api/auth/login`, {
      data: { email, password: PASSWORD },
    });
    for (let attempt = 0; login.status() === 503 && attempt < 5; attempt++) {
      login = await context.request.post(`${suite.environment.gatewayUrl}/api/auth/login`, {
        data: { email, password: PASSWORD },
      });
    }
    return ((await login.json()) as { accessToken: string }).accessToken;
  }

  for (const [size, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`shows no internal code, UUID or raw amount, nothing clipped and no Hangul outside the bundled font at ${viewport.width} px`, {
      timeout: 300_000,
    }, async () => {
      const context = await newShopContext(suite.browser, suite.environment.baseUrl, 'ko', viewport);
      const page = await context.newPage();
      const pageErrors = collectPageErrors(page);
      await screenshotOnFailure(`shop-ux-${size}`, [page], async () => {
        shopper ??= await setUpShopper(context);
        await page.goto('/login');
        await logIn(page, shopper.email, PASSWORD);
        await page.waitForURL((url) => url.pathname === '/');
        await seedCart(page, shopper);

        const problems: string[] = [];
        for (const { name, path } of PAGES(shopper)) {
          await page.goto(path);
          await settle(page);
          assert.equal(await page.evaluate(() => document.documentElement.lang), 'ko', `${name}: lang`);
          const overflow = await horizontalOverflow(page);
          if (overflow > 0) problems.push(`${name}: ${overflow}px wider than the screen`);
          for (const finding of findInternalText(await visibleText(page)))
            problems.push(`${name}: ${finding}`);
          for (const finding of await hangulOutsideBundledFont(page)) problems.push(`${name}: ${finding}`);
          assert.notEqual(await page.title(), 'sagamart', `${name}: a page title of its own`);
          await saveScreenshot(page, `${name}-${size}`);
        }
        assert.deepEqual(problems, []);
      });
      assert.deepEqual(pageErrors, []);
      await context.close();
    });
  }

  it('switches to English and back, remembering the choice and setting lang', {
    timeout: 120_000,
  }, async () => {
    // No language pinned: Korean is the default, and the choice must survive a reload.
    const context = await newShopContext(suite.browser, suite.environment.baseUrl, null, PHONE);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('heading', { name: '오늘 입을 옷, 내일 도착', level: 1 }).waitFor();
    await page.getByRole('contentinfo').getByText('English', { exact: true }).click();
    await page.getByRole('heading', { name: 'Everyday things, delivered tomorrow.', level: 1 }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await page.reload();
    await page.getByRole('heading', { name: 'Everyday things, delivered tomorrow.', level: 1 }).waitFor();
    await page.getByRole('contentinfo').getByText('한국어', { exact: true }).click();
    await page.getByRole('heading', { name: '오늘 입을 옷, 내일 도착', level: 1 }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ko');
    await context.close();
  });
});

async function seedCart(page: Page, shopper: Shopper): Promise<void> {
  const line: CartItem = {
    skuId: shopper.product.sku.id,
    productId: shopper.product.id,
    name: shopper.product.name,
    optionLabel: Object.values(shopper.product.sku.options).join(' / '),
    unitPrice: shopper.product.sku.price,
    quantity: 2,
  };
  await page.evaluate(([key, value]) => localStorage.setItem(key, value), [
    CART_STORAGE_KEY,
    JSON.stringify([line]),
  ] as const);
}
