import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { APIRequestContext, Page } from 'playwright-core';
import { collectPageErrors, newShopContext, screenshotOnFailure } from './support/browser.ts';
import { DESKTOP, horizontalOverflow, PHONE, saveScreenshot } from './support/page-scan.ts';
import { logIn } from './support/pages.ts';
import { accessTokenByApi, PASSWORD, placeOrderByApi } from './support/shop.ts';
import { useBrowserSuite } from './support/suite.ts';

/** The dashboard asks again every 5 s; an order's events take a moment on a loaded machine. */
const FIGURES_MS = 60_000;

/**
 * The admin's day: log in and land on the dashboard, watch an order and a chat arrive in its figures, find the
 * order by the buyer's e-mail, cancel it with a reason. At a desktop's width the figure changes in
 * place (no reload); at a phone's the admin refreshes.
 */
describe('the admin journey', { timeout: 600_000 }, () => {
  const suite = useBrowserSuite();

  for (const [size, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`at ${size} width: dashboard numbers follow an order, and the order is found by its buyer and cancelled with a reason`, {
      timeout: 300_000,
    }, async () => {
      const { gatewayUrl, baseUrl, adminEmail, adminPassword } = suite.environment;
      const context = await newShopContext(suite.browser, baseUrl, 'en', viewport);
      const page = await context.newPage();
      const pageErrors = collectPageErrors(page);
      const buyerEmail = `buyer-${size}-${randomUUID().slice(0, 8)}@example.com`;

      await screenshotOnFailure(`admin-dashboard-${size}`, [page], async () => {
        await signUpBuyer(gatewayUrl, context.request, buyerEmail);

        await page.goto('/login');
        await logIn(page, adminEmail, adminPassword);
        // Staff land in their console: the admin on the dashboard.
        await page.waitForURL(/\/admin\/dashboard$/);
        await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
        await page
          .getByRole('group', { name: "Today's sales" })
          .getByText(/^₩[0-9,]+$/)
          .waitFor();
        assert.match(await page.title(), /^Dashboard · Admin \| /);
        const pendingBefore = await statusCount(page, 'PAYMENT_PENDING');
        await saveScreenshot(page, `admin-dashboard-${size}`);
        if (size === 'phone')
          assert.equal(await horizontalOverflow(page), 0, 'the dashboard is wider than the phone');

        const chatsBefore = await openChats(page);
        const order = await placeOrderByApi(context.request, gatewayUrl, buyerEmail, PASSWORD);
        // The buyer asks the help desk too: chat-service's event moves the open chats.
        await openChatByApi(context.request, gatewayUrl, buyerEmail);
        // At a desktop's width no reload: the open dashboard picks them up as their events land.
        const between = size === 'phone' ? () => page.reload() : undefined;
        await waitForFigure(
          page,
          'PAYMENT_PENDING orders',
          () => statusCount(page, 'PAYMENT_PENDING'),
          pendingBefore + 1,
          between,
        );
        await waitForFigure(page, 'open chats', () => openChats(page), chatsBefore + 1, between);
        await saveScreenshot(page, `admin-dashboard-after-order-${size}`);

        // The orders list finds it by the buyer's e-mail, and names the buyer.
        await openNav(page, size, 'Orders');
        await page.getByRole('heading', { name: 'Orders', level: 1 }).waitFor();
        const byBuyer = page.getByRole('search', { name: 'Search by buyer' });
        await byBuyer.getByLabel('Buyer', { exact: true }).fill(buyerEmail.toUpperCase());
        await byBuyer.getByRole('button', { name: 'Search', exact: true }).click();
        // The list keeps the previous (unfiltered) page on screen until the search's answer arrives.
        await page.getByText('1 order', { exact: true }).waitFor();
        const row = page.getByRole('row').filter({ hasText: order.orderNumber });
        await row.waitFor();
        assert.match((await row.textContent()) ?? '', /이하늘/);
        assert.match(
          (await row.textContent()) ?? '',
          new RegExp(buyerEmail.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
        );
        assert.equal(await page.getByRole('row').filter({ hasText: 'ORD-' }).count(), 1);
        assert.match(await page.title(), /^Orders · Admin \| /);
        await saveScreenshot(page, `admin-orders-by-buyer-${size}`);

        // Cancel with a reason: the dialog waits for one.
        await row.getByRole('link', { name: order.orderNumber }).click();
        await page.getByRole('heading', { name: `Order ${order.orderNumber}`, level: 1 }).waitFor();
        await page.getByRole('button', { name: 'Cancel order' }).click();
        const dialog = page.getByRole('dialog');
        const confirm = dialog.getByRole('button', { name: 'Cancel order' });
        assert.equal(await confirm.isDisabled(), true);
        const reason = '주문하신 색상이 입고되지 않아 취소합니다.';
        await dialog.getByLabel('Reason (shown to the shopper)').fill(reason);
        await confirm.click();
        await page.getByText(`Reason: ${reason}`).waitFor({ timeout: FIGURES_MS });
        await page.getByText('Cancelled', { exact: true }).first().waitFor();
        await saveScreenshot(page, `admin-order-cancelled-${size}`);
        if (size === 'phone')
          assert.equal(await horizontalOverflow(page), 0, 'the order page is wider than the phone');

        // The shopper reads the shop's reason with their order.
        const shopper = await newShopContext(suite.browser, baseUrl, 'en', viewport);
        const shopperPage = await shopper.newPage();
        await shopperPage.goto(`/login?returnTo=${encodeURIComponent(`/me/orders/${order.orderId}`)}`);
        await logIn(shopperPage, buyerEmail, PASSWORD);
        await shopperPage.getByText(`The shop's note: ${reason}`).waitFor({ timeout: FIGURES_MS });
        await saveScreenshot(shopperPage, `shopper-order-cancelled-by-shop-${size}`);
        await shopper.close();
      });

      assert.deepEqual(pageErrors, []);
      await context.close();
    });
  }
});

async function signUpBuyer(
  gatewayUrl: string,
  http: import('playwright-core').APIRequestContext,
  email: string,
) {
  // A loaded machine can keep user-service (password hashing) past the gateway's timeout: retry.
  for (let attempt = 0; ; attempt++) {
    const answer = await http.post(`${gatewayUrl}/api/users/signup`, {
      data: { email, password: PASSWORD, passwordConfirm: PASSWORD, name: '이하늘', phone: '010-3456-7890' },
    });
    // 409 after a timed-out attempt: that attempt went through.
    if (answer.status() === 201 || (answer.status() === 409 && attempt > 0)) return;
    assert.ok(
      [502, 503, 504].includes(answer.status()) && attempt < 5,
      `signup: ${answer.status()} ${await answer.text()}`,
    );
  }
}

/** The count the dashboard shows for an order status (0 when the status has no orders). */
async function statusCount(page: Page, status: string): Promise<number> {
  const figure = page.locator(`[data-status="${status}"]`);
  if ((await figure.count()) === 0) return 0;
  return Number(((await figure.textContent()) ?? '').replace(/[^0-9]/g, ''));
}

/** Chats waiting plus chats in progress, as the dashboard shows them (an agent online takes one at once). */
async function openChats(page: Page): Promise<number> {
  let sum = 0;
  for (const name of ['Chats waiting', 'Chats in progress']) {
    const value = await page.getByRole('group', { name }).getByTestId('stat-value').textContent();
    sum += Number((value ?? '').replace(/[^0-9]/g, ''));
  }
  return sum;
}

async function openChatByApi(http: APIRequestContext, gatewayUrl: string, email: string) {
  const accessToken = await accessTokenByApi(http, gatewayUrl, email, PASSWORD);
  const opened = await http.post(`${gatewayUrl}/api/chat/conversations`, {
    headers: { authorization: `Bearer ${accessToken}` },
    data: {},
  });
  assert.equal(opened.status(), 201, await opened.text());
}

/** Until the dashboard shows `expected` for a figure, calling `between` (a reload) between looks. */
async function waitForFigure(
  page: Page,
  what: string,
  read: () => Promise<number>,
  expected: number,
  between?: () => Promise<unknown>,
) {
  const deadline = Date.now() + FIGURES_MS;
  let seen = await read();
  while (seen < expected) {
    assert.ok(Date.now() < deadline, `the dashboard still shows ${seen} ${what}, not ${expected}`);
    await page.waitForTimeout(500);
    if (between) {
      await between();
      await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
      await page
        .getByRole('group', { name: "Today's sales" })
        .getByText(/^₩[0-9,]+$/)
        .waitFor();
    }
    seen = await read();
  }
  assert.equal(seen, expected);
}

/** The console's navigation: in the side bar on a desktop, behind the burger on a phone. */
async function openNav(page: Page, size: 'desktop' | 'phone', name: string) {
  const nav = page.getByRole('navigation', { name: 'Admin' });
  if (size === 'phone') await page.getByRole('button', { name: /navigation/i }).click();
  await nav.getByRole('link', { name, exact: true }).click();
}
