import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { collectPageErrors, newShopContext, screenshotOnFailure } from './support/browser.ts';
import {
  DESKTOP,
  findInternalText,
  horizontalOverflow,
  PHONE,
  saveScreenshot,
  settle,
  tablesScrollingSideways,
  visibleText,
} from './support/page-scan.ts';
import { logIn } from './support/pages.ts';
import { PASSWORD, type PlacedOrder, placeOrderByApi, signUp } from './support/shop.ts';
import { useBrowserSuite } from './support/suite.ts';

/** Lists whose first row the test opens too (an order's, a product's, a member's, a trace's page). */
const ROW_PAGES = ['/admin/orders/', '/admin/products/', '/admin/users/', '/admin/traces/'];
/** The forms for a new thing, which the console's menu does not list. */
const NEW_FORMS = ['/admin/products/new', '/admin/coupons/new', '/admin/policies/new'];

/** Words that are the same in Korean: the language switch's own name. */
const SAME_IN_KOREAN = new Set(['English']);

/**
 * The words an admin reads to work a screen: section headings, labels, buttons, column headers,
 * tabs, placeholders and accessible names (a page's title is left out: on a detail page it is the
 * data, a member's or a product's name). Each that is in English (a lower-case Latin word, no Hangul)
 * is returned; codes (ORD-…, VIP) and the data on the screen (e-mails, service names) are not.
 */
async function untranslatedWording(page: Page): Promise<string[]> {
  const wording = await page.evaluate(() => {
    const texts: string[] = [];
    const words =
      'main h2, main h3, main h4, main label, main legend, main th, main button, main [role="tab"], main .mantine-InputWrapper-description';
    for (const element of document.querySelectorAll<HTMLElement>(words)) {
      if (element.offsetParent !== null) texts.push(element.innerText?.trim() ?? '');
    }
    for (const element of document.querySelectorAll<HTMLElement>('main [placeholder], main [aria-label]')) {
      if (element.offsetParent === null) continue;
      for (const attribute of ['placeholder', 'aria-label']) {
        const value = element.getAttribute(attribute);
        if (value) texts.push(`${attribute}="${value}"`);
      }
    }
    return texts;
  });
  const english = (text: string) =>
    /[a-z]{3,}/.test(text.replace(/^(placeholder|aria-label)="/, '')) &&
    !/[\uac00-\ud7a3]/.test(text) &&
    !SAME_IN_KOREAN.has(text);
  return [...new Set(wording.filter(english))];
}

/**
 * Every screen of the console's menu, as an admin finds them, then the forms and row pages; `scan`
 * reads each once it is shown.
 */
async function walkAdminScreens(page: Page, scan: (name: string) => Promise<void>): Promise<void> {
  const menu = page.getByRole('navigation', { name: '관리자' }).locator('a[href^="/admin/"]');
  await menu.first().waitFor({ state: 'attached' });
  const screens = await menu.evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
  assert.ok(screens.length >= 15, `the console's menu lists ${screens.length} screens`);
  const nameOf = (path: string) => path.replace('/admin/', '').replaceAll('/', '-');
  for (const path of [...screens, ...NEW_FORMS]) {
    await page.goto(path);
    await scan(nameOf(path));
    const rows = ROW_PAGES.find((prefix) => prefix === `${path}/`);
    if (!rows) continue;
    const first = page.locator(`main a[href^="${rows}"]:not([href$="/new"])`).first();
    await first.waitFor({ timeout: 15_000 });
    const href = await first.getAttribute('href');
    assert.ok(href, `${path}: a row to open`);
    await page.goto(href);
    await scan(`${nameOf(path)}-detail`);
  }
}

describe('the admin reads in Korean', { timeout: 600_000 }, () => {
  const suite = useBrowserSuite();

  it('every admin screen has its headings, labels, buttons and columns in Korean, and no raw enum', {
    timeout: 400_000,
  }, async () => {
    const { baseUrl, gatewayUrl, adminEmail, adminPassword } = suite.environment;
    const context = await newShopContext(suite.browser, baseUrl, 'ko', DESKTOP);
    const page = await context.newPage();
    const pageErrors = collectPageErrors(page);
    // An order, so that the order, payment and trace lists have a row to open.
    const email = `admin-ux-${randomUUID().slice(0, 8)}@example.com`;
    await signUp(gatewayUrl, email);
    await placeOrderByApi(context.request, gatewayUrl, email, PASSWORD);

    await screenshotOnFailure('admin-ux', [page], async () => {
      await page.goto('/login');
      await logIn(page, adminEmail, adminPassword);
      await page.waitForURL((url) => url.pathname !== '/login');
      const problems: string[] = [];
      const scan = async (name: string) => {
        // A screen is drawn once its title is: then nothing of it is still loading.
        await page.locator('main h1').first().waitFor();
        await settle(page);
        assert.equal(await page.evaluate(() => document.documentElement.lang), 'ko', `${name}: lang`);
        for (const text of await untranslatedWording(page)) problems.push(`${name}: English "${text}"`);
        // An admin may read an id (a member's, to look them up elsewhere), never a raw enum; the
        // platform and trace screens show span and route names, which are code by nature.
        if (!/^(platform|traces?)/.test(name)) {
          for (const finding of findInternalText(await visibleText(page))) {
            if (!finding.startsWith('uuid:')) problems.push(`${name}: ${finding}`);
          }
        }
        await saveScreenshot(page, `admin-${name}`);
      };
      await walkAdminScreens(page, scan);
      assert.deepEqual(problems, []);
    });
    assert.deepEqual(pageErrors, []);
    await context.close();
  });

  it("shows an order's time on the shop's clock (Seoul), whatever the browser's zone", {
    timeout: 120_000,
  }, async () => {
    const { baseUrl, gatewayUrl } = suite.environment;
    // Twelve hours behind UTC, 21 behind Seoul: the two calendars name different days for 21 hours of 24.
    const context = await suite.browser.newContext({ baseURL: baseUrl, timezoneId: 'Etc/GMT+12' });
    await context.addInitScript(() => localStorage.setItem('sagamart.lang', 'ko'));
    const page = await context.newPage();
    const email = `clock-${randomUUID().slice(0, 8)}@example.com`;
    await signUp(gatewayUrl, email);
    const placed: PlacedOrder = await placeOrderByApi(context.request, gatewayUrl, email, PASSWORD);
    // ORD-yyyyMMdd-…: the Seoul date the order was placed on.
    const [, day] = /^ORD-(\d{8})-/.exec(placed.orderNumber) ?? [];
    assert.ok(day, placed.orderNumber);
    const seoulDay = `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6)}`;
    await page.goto('/login');
    await logIn(page, email, PASSWORD);
    await page.waitForURL((url) => url.pathname === '/');
    await page.goto(`/me/orders/${placed.orderId}`);
    await settle(page);
    const text = await visibleText(page);
    assert.match(text, new RegExp(`${seoulDay} \\d{2}:\\d{2}`), `the order's date is ${seoulDay}`);
    await context.close();
  });
});

describe('the admin on a phone', { timeout: 600_000 }, () => {
  const suite = useBrowserSuite();

  it('reads every list at 390 px without scrolling a table sideways', { timeout: 400_000 }, async () => {
    const { baseUrl, gatewayUrl, adminEmail, adminPassword } = suite.environment;
    const context = await newShopContext(suite.browser, baseUrl, 'ko', PHONE);
    const page = await context.newPage();
    const pageErrors = collectPageErrors(page);
    // An order, so that the order, payment and trace lists have a row.
    const email = `admin-phone-${randomUUID().slice(0, 8)}@example.com`;
    await signUp(gatewayUrl, email);
    await placeOrderByApi(context.request, gatewayUrl, email, PASSWORD);

    await screenshotOnFailure('admin-phone', [page], async () => {
      await page.goto('/login');
      await logIn(page, adminEmail, adminPassword);
      await page.waitForURL((url) => url.pathname !== '/login');
      const problems: string[] = [];
      await walkAdminScreens(page, async (name) => {
        await page.locator('main h1').first().waitFor();
        await settle(page);
        const overflow = await horizontalOverflow(page);
        if (overflow > 0) problems.push(`${name}: the page is ${overflow} px wider than the phone`);
        for (const table of await tablesScrollingSideways(page))
          problems.push(`${name}: the table ${table} scrolls sideways`);
        await saveScreenshot(page, `admin-phone-${name}`);
      });
      assert.deepEqual(problems, []);
    });
    assert.deepEqual(pageErrors, []);
    await context.close();
  });
});
