import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { collectPageErrors, newShopContext, screenshotOnFailure } from './support/browser.ts';
import type { E2eEnvironment } from './support/environment.ts';
import {
  DESKTOP,
  findInternalText,
  horizontalOverflow,
  PHONE,
  saveScreenshot,
  visibleText,
} from './support/page-scan.ts';
import { logIn } from './support/pages.ts';
import { PASSWORD, payOnPg, won } from './support/shop.ts';
import { useBrowserSuite } from './support/suite.ts';

// The after-sale flow in the browser, in Korean: a paid order's parcel is sent from the admin's
// shipments page, delivered by the mock courier's test control, then returned (one line, part of its
// units) or exchanged for another option, with the admin deciding in the return and exchange queues.

/** Sagas, courier polls and refunds travel by events: moments, not instants. */
const SETTLE_MS = 90_000;

interface CatalogSku {
  id: number;
  options: Record<string, string>;
  price: number;
  stock: number;
  status: string;
}

interface OrderLine {
  id: number;
  skuId: number;
  productName: string;
  optionLabel: string;
  quantity: number;
  payableShare: number;
}

interface OrderDetail {
  orderId: string;
  orderNumber: string;
  status: string;
  payableAmount: number;
  refundedAmount: number;
  items: OrderLine[];
}

interface ClaimView {
  status: string;
  refundAmount: number;
  feeAmount: number;
}

describe('after-sale: tracking, a return and an exchange', { timeout: 900_000 }, () => {
  const suite = useBrowserSuite();

  it('a shopper pays, the parcel is delivered, one line is returned and refunded', {
    timeout: 420_000,
  }, async () => {
    const env = suite.environment;
    const { skus } = await findProductWithOptions(env.gatewayUrl, 2);
    const [kept, returned] = [skus[0]!, skus[1]!];
    const shopperEmail = `return-${randomUUID().slice(0, 8)}@example.com`;
    await signUp(env.gatewayUrl, shopperEmail);
    const shopperToken = await accessToken(env.gatewayUrl, shopperEmail, PASSWORD);
    // Two units of one option (one goes back: a partial quantity) and one of another.
    const placed = await placeOrder(env.gatewayUrl, shopperToken, [
      { skuId: returned.id, quantity: 2 },
      { skuId: kept.id, quantity: 1 },
    ]);

    const { shopper, admin, close, pageErrors } = await openShopperAndAdmin(suite.browser, env, DESKTOP);
    await screenshotOnFailure('after-sale-return', [shopper, admin], async () => {
      await logInAt(shopper, `/me/orders/${placed.orderId}`, shopperEmail, PASSWORD);
      await payOrder(shopper, env, placed);

      const trackingNumber = await issueWaybillOnAdminPage(admin, placed.orderNumber);
      await advanceWaybill(env.courierUrl, trackingNumber, 'DELIVERED');

      // The courier's history reaches the shopper's page: delivered, with the courier's events.
      await shopper.goto(`/me/orders/${placed.orderId}`);
      await reloadUntilVisible(shopper, shopper.getByTestId('order-status').filter({ hasText: '배송 완료' }));
      const original = shopper.getByTestId('shipment-original');
      await reloadUntilVisible(
        shopper,
        original.getByTestId('tracking-event').filter({ hasText: '배송 완료' }),
      );
      assert.ok(await original.getByText(trackingNumber).isVisible(), 'the waybill number is shown');
      await original.getByText('고객 주소지 · 배송 완료되었습니다').waitFor();
      // The latest events first; the earlier ones unfold (the courier recorded every step once).
      const shownFirst = await original.getByTestId('tracking-event').count();
      await original.getByRole('button', { name: /^이전 기록 \d+건 더 보기$/ }).click();
      await original.getByTestId('tracking-event').filter({ hasText: '송장 접수' }).waitFor();
      assert.ok((await original.getByTestId('tracking-event').count()) > shownFirst);
      await saveScreenshot(shopper, 'after-sale-tracking-desktop');

      // A second tab opens the exchange form before the return is sent: once the return exists, the
      // server refuses the exchange and the page says why.
      const secondTab = await shopper.context().newPage();
      pageErrors.push(...collectPageErrors(secondTab));
      await secondTab.goto(`/me/orders/${placed.orderId}`);
      await secondTab.getByRole('button', { name: '교환 신청', exact: true }).click();

      // Return one of the two units of one line, for a change of mind: the fee is announced.
      await shopper.getByRole('button', { name: '반품 신청', exact: true }).click();
      const form = shopper.getByRole('form', { name: '반품 신청' });
      const returnedName = lineName(placed.items.find((line) => line.skuId === returned.id)!);
      await form.getByRole('checkbox', { name: returnedName }).check();
      await form.getByRole('combobox', { name: `${returnedName} 수량` }).selectOption('1');
      await form.getByRole('radio', { name: '단순 변심' }).check();
      await form
        .getByTestId('claim-fee-note')
        .filter({ hasText: '반품 배송비가 환불 금액에서 차감됩니다' })
        .waitFor();
      await form.getByLabel('상세 사유').fill('사이즈가 생각보다 큽니다');
      await saveScreenshot(shopper, 'after-sale-return-form-desktop');
      await form.getByRole('button', { name: '반품 신청하기' }).click();
      const claim = shopper.getByTestId('claim').first();
      await claim
        .filter({ hasText: '반품 · 단순 변심' })
        .filter({ hasText: '신청 접수' })
        .waitFor({ timeout: SETTLE_MS });

      const exchangeForm = secondTab.getByRole('form', { name: '교환 신청' });
      const keptName = lineName(placed.items.find((line) => line.skuId === kept.id)!);
      await exchangeForm.getByRole('checkbox', { name: keptName }).check();
      await exchangeForm
        .getByRole('combobox', { name: `${keptName} 교환할 옵션` })
        .selectOption({ label: optionsLabel(returned) });
      await exchangeForm.getByRole('radio', { name: '상품 불량' }).check();
      await exchangeForm.getByRole('button', { name: '교환 신청하기' }).click();
      await exchangeForm
        .getByRole('alert')
        .filter({ hasText: '교환을 신청하지 못했습니다' })
        .filter({ hasText: '이미 진행 중인 반품 또는 교환이 있습니다.' })
        .waitFor();
      await secondTab.close();

      // The admin approves it in the return queue; the history shows the pickup waybill.
      await admin.goto(`/admin/returns?orderNumber=${placed.orderNumber}`);
      // The console titles each screen by its section.
      assert.equal(await admin.title(), '반품 · 관리자 | 박신사몰');
      const row = admin.getByTestId('claim-row').filter({ hasText: placed.orderNumber });
      await row.getByRole('button', { name: '승인', exact: true }).click();
      await row.getByText('승인 (회수 예정)').waitFor({ timeout: SETTLE_MS });
      const pickupNumber = await pickupWaybill(admin, row, 'after-sale-admin-returns');

      // The courier collects the parcel: the return completes and the PG refunds part of the payment.
      await advanceWaybill(env.courierUrl, pickupNumber, 'DELIVERED');
      const done = await waitForClaim(env.gatewayUrl, shopperToken, placed.orderId, 'COMPLETED');
      const returnedLine = placed.items.find((line) => line.skuId === returned.id)!;
      assert.ok(done.feeAmount > 0, 'a change-of-mind return pays the return fee');
      // One of the line's two units: its share, rounded down, less the fee.
      assert.equal(done.refundAmount, Math.floor(returnedLine.payableShare / 2) - done.feeAmount);

      await reloadUntilVisible(
        shopper,
        shopper.getByTestId('refunded-amount').filter({ hasText: won(done.refundAmount, 'ko') }),
      );
      await claim.filter({ hasText: '반품 완료' }).waitFor();
      await claim
        .getByTestId('claim-refund')
        .filter({
          hasText: `환불 금액 ${won(done.refundAmount, 'ko')} (반품 배송비 ${won(done.feeAmount, 'ko')} 차감)`,
        })
        .waitFor();
      // payment-service's view of the same payment: the refund through the PG.
      const refunds = shopper.getByRole('list', { name: '환불 내역' });
      await reloadUntilVisible(shopper, refunds.getByRole('listitem').filter({ hasText: '환불 완료' }));
      await refunds.getByText(won(done.refundAmount, 'ko')).waitFor();
      // A partial return leaves the order delivered, with the rest kept.
      await shopper.getByTestId('order-status').filter({ hasText: '배송 완료' }).waitFor();
      assert.deepEqual(findInternalText(await visibleText(shopper)), []);
      await saveScreenshot(shopper, 'after-sale-refunded-desktop');

      // The admin's payments list shows the partial refund too.
      await admin.goto(`/admin/payments?orderNumber=${placed.orderNumber}`);
      await admin
        .getByTestId('payment-refunded')
        .filter({ hasText: `${won(done.refundAmount, 'ko')} 환불` })
        .waitFor({ timeout: SETTLE_MS });
    });
    assert.deepEqual(pageErrors, []);
    await close();
  });

  it('a shopper on a phone exchanges for another option; the new one is shipped and delivered', {
    timeout: 420_000,
  }, async () => {
    const env = suite.environment;
    const { skus } = await findProductWithOptions(env.gatewayUrl, 2);
    const [ordered, wanted] = [skus[0]!, skus[1]!];
    const shopperEmail = `exchange-${randomUUID().slice(0, 8)}@example.com`;
    await signUp(env.gatewayUrl, shopperEmail);
    const shopperToken = await accessToken(env.gatewayUrl, shopperEmail, PASSWORD);
    const placed = await placeOrder(env.gatewayUrl, shopperToken, [{ skuId: ordered.id, quantity: 1 }]);

    const { shopper, admin, close, pageErrors } = await openShopperAndAdmin(suite.browser, env, PHONE);
    await screenshotOnFailure('after-sale-exchange', [shopper, admin], async () => {
      await logInAt(shopper, `/me/orders/${placed.orderId}`, shopperEmail, PASSWORD);
      await payOrder(shopper, env, placed);
      const trackingNumber = await issueWaybillOnAdminPage(admin, placed.orderNumber);
      await advanceWaybill(env.courierUrl, trackingNumber, 'DELIVERED');

      await shopper.goto(`/me/orders/${placed.orderId}`);
      await reloadUntilVisible(shopper, shopper.getByRole('button', { name: '교환 신청', exact: true }));
      const name = lineName(placed.items[0]!);
      const wantedLabel = optionsLabel(wanted);
      const claim = shopper.getByTestId('claim').first();

      // A first request, for a change of mind, is rejected: the admin must give a reason, which the
      // shopper then reads, and the order may be claimed again.
      await requestExchangeOnPage(shopper, name, wantedLabel, '단순 변심');
      await claim.filter({ hasText: '교환 · 단순 변심' }).filter({ hasText: '신청 접수' }).waitFor();
      await admin.goto(`/admin/exchanges?orderNumber=${placed.orderNumber}`);
      assert.equal(await admin.title(), '교환 · 관리자 | 박신사몰');
      const rows = admin.getByTestId('claim-row').filter({ hasText: placed.orderNumber });
      await rows.getByRole('button', { name: '거절', exact: true }).click();
      const dialog = admin.getByRole('dialog', { name: `${placed.orderNumber} 신청 거절` });
      await dialog.getByRole('button', { name: '거절하기' }).click();
      await dialog.getByText('거절 사유를 적어 주세요.').waitFor();
      const rejectReason = '단순 변심 교환은 받지 않습니다. 반품으로 신청해 주세요.';
      await dialog.getByLabel('거절 사유 (고객에게 보입니다)').fill(rejectReason);
      await dialog.getByRole('button', { name: '거절하기' }).click();
      await rows.filter({ hasText: '거절됨' }).waitFor({ timeout: SETTLE_MS });
      await reloadUntilVisible(
        shopper,
        claim.filter({ hasText: '거절됨' }).filter({ hasText: `거절 사유: ${rejectReason}` }),
      );

      await reloadUntilVisible(shopper, shopper.getByRole('button', { name: '교환 신청', exact: true }));
      await requestExchangeOnPage(shopper, name, wantedLabel, '상품 불량', 'after-sale-exchange-form-phone');
      await claim
        .filter({ hasText: '교환 · 상품 불량' })
        .filter({ hasText: '신청 접수' })
        .waitFor({ timeout: SETTLE_MS });
      await claim.getByText(`→ ${wantedLabel}`).waitFor();

      // The admin approves in the exchange queue (the new option is reserved, a pickup is booked).
      await admin.goto(`/admin/exchanges?orderNumber=${placed.orderNumber}`);
      // The rejected request stays listed beside it.
      const row = rows.filter({ hasNotText: '거절됨' });
      await row.getByRole('button', { name: '승인', exact: true }).click();
      await row.getByText('승인 (회수 예정)').waitFor({ timeout: SETTLE_MS });
      const pickupNumber = await pickupWaybill(admin, row);
      await advanceWaybill(env.courierUrl, pickupNumber, 'DELIVERED');
      await waitForClaim(env.gatewayUrl, shopperToken, placed.orderId, 'RESHIPPING');

      // The new option leaves with a waybill of its own, issued on the shipments page.
      const reshipNumber = await issueWaybillOnAdminPage(admin, placed.orderNumber, '교환 상품 배송');
      await advanceWaybill(env.courierUrl, reshipNumber, 'DELIVERED');
      await waitForClaim(env.gatewayUrl, shopperToken, placed.orderId, 'EXCHANGED');

      // The admin's history of the claim: every step, with the pickup and the re-ship.
      await admin.goto(`/admin/exchanges?orderNumber=${placed.orderNumber}`);
      const doneRow = rows.filter({ hasText: '교환 완료' });
      await doneRow.waitFor();
      await doneRow.getByRole('button', { name: '이력 보기' }).click();
      const history = admin.getByTestId('claim-history');
      for (const step of ['신청 접수', '승인 · 회수 송장 발급', '회수 완료', '교환 완료']) {
        await history.getByText(step, { exact: true }).waitFor();
      }
      await history.getByText(`교환 배송 운송장 ${reshipNumber}`).waitFor();
      await saveScreenshot(admin, 'after-sale-admin-exchanges');

      // The shopper follows both parcels and sees the exchange done.
      await shopper.goto(`/me/orders/${placed.orderId}`);
      await reloadUntilVisible(shopper, claim.filter({ hasText: '교환 완료' }));
      const reship = shopper.getByTestId('shipment-exchange');
      await reloadUntilVisible(
        shopper,
        reship.getByTestId('tracking-event').filter({ hasText: '배송 완료' }),
      );
      await reship.getByText(reshipNumber).waitFor();
      // Its only unit has been exchanged: nothing is left to return or exchange.
      assert.equal(await shopper.getByRole('button', { name: '반품 신청', exact: true }).count(), 0);
      assert.equal(await horizontalOverflow(shopper), 0, 'the order page fits a phone');
      assert.deepEqual(findInternalText(await visibleText(shopper)), []);
      await saveScreenshot(shopper, 'after-sale-exchanged-phone');
    });
    assert.deepEqual(pageErrors, []);
    await close();
  });
});

/** A Korean shopper page at `viewport` and a Korean admin page at a desktop's width. */
async function openShopperAndAdmin(
  browser: Browser,
  env: E2eEnvironment,
  viewport: typeof DESKTOP | typeof PHONE,
) {
  const shopperContext = await newShopContext(browser, env.baseUrl, 'ko', viewport);
  const adminContext = await newShopContext(browser, env.baseUrl, 'ko', DESKTOP);
  const shopper = await shopperContext.newPage();
  const admin = await adminContext.newPage();
  const pageErrors = [...collectPageErrors(shopper), ...collectPageErrors(admin)];
  await logInAt(admin, '/admin/shipping', env.adminEmail, env.adminPassword);
  return {
    shopper,
    admin,
    pageErrors,
    close: async () => {
      await shopperContext.close();
      await adminContext.close();
    },
  };
}

/** On the order page: asks to exchange the line `name` for the option `option`, for `reason`. */
async function requestExchangeOnPage(
  page: Page,
  name: string,
  option: string,
  reason: string,
  screenshot?: string,
): Promise<void> {
  await page.getByRole('button', { name: '교환 신청', exact: true }).click();
  const form = page.getByRole('form', { name: '교환 신청' });
  await form.getByRole('checkbox', { name }).check();
  await form.getByRole('combobox', { name: `${name} 교환할 옵션` }).selectOption({ label: option });
  await form.getByRole('radio', { name: reason }).check();
  await form.getByTestId('claim-fee-note').filter({ hasText: '교환 배송비는 받지 않습니다' }).waitFor();
  if (screenshot) {
    assert.equal(await horizontalOverflow(page), 0, 'the exchange form fits a phone');
    await saveScreenshot(page, screenshot);
  }
  await form.getByRole('button', { name: '교환 신청하기' }).click();
}

/** Opens a page that needs a session: the login form, then back to it. */
async function logInAt(page: Page, path: string, email: string, password: string): Promise<void> {
  await page.goto(path);
  await logIn(page, email, password);
  await page.waitForURL((url) => url.pathname === path);
}

/** From the order page to the PG's checkout and back, until the order is paid. */
async function payOrder(page: Page, env: E2eEnvironment, order: OrderDetail): Promise<void> {
  await page.getByRole('button', { name: '결제하기', exact: true }).click({ timeout: SETTLE_MS });
  await payOnPg(page, env.pgUrl, order.payableAmount, 'approve');
  await page.getByRole('heading', { name: '결제 완료', level: 1 }).waitFor({ timeout: SETTLE_MS });
  await page.goto(`/me/orders/${order.orderId}`);
  await page.getByTestId('order-status').filter({ hasText: '결제 완료' }).waitFor({ timeout: SETTLE_MS });
}

/**
 * On the admin's shipments page: finds the order's READY parcel (of `kind`), checks it, issues its
 * waybill with the bulk button and answers the tracking number the row then shows.
 */
async function issueWaybillOnAdminPage(
  admin: Page,
  orderNumber: string,
  kind = '주문 상품 배송',
): Promise<string> {
  await admin.goto(`/admin/shipping?orderNumber=${orderNumber}&status=READY`);
  assert.equal(await admin.title(), '배송 · 관리자 | 박신사몰');
  // shipping-service hears of the payment (or the collected exchange) by event: reload until it has.
  const row = admin.getByTestId('shipment-row').filter({ hasText: kind });
  await reloadUntilVisible(admin, row);
  await row.getByRole('checkbox', { name: `${orderNumber} 배송 선택` }).check();
  await admin.getByRole('button', { name: '송장 일괄 발급 (1건)' }).click();
  await admin.getByText('송장 1건을 발급했습니다.').waitFor({ timeout: SETTLE_MS });
  await saveScreenshot(admin, `after-sale-admin-shipments${kind === '주문 상품 배송' ? '' : '-reship'}`);
  // The READY filter no longer lists it: look it up among all of the order's shipments.
  await admin.goto(`/admin/shipping?orderNumber=${orderNumber}`);
  const issued = admin.getByTestId('shipment-row').filter({ hasText: kind }).getByTestId('shipment-tracking');
  await issued.filter({ hasNotText: '—' }).waitFor({ timeout: SETTLE_MS });
  const trackingNumber = (await issued.textContent())?.trim() ?? '';
  assert.match(trackingNumber, /^\S+$/);
  return trackingNumber;
}

/** The pickup waybill of an approved claim, as its history in the admin queue shows it. */
async function pickupWaybill(admin: Page, row: Locator, screenshot?: string): Promise<string> {
  await row.getByRole('button', { name: '이력 보기' }).click();
  const pickup = admin.getByTestId('claim-history').getByText(/^회수 운송장 /);
  await pickup.waitFor({ timeout: SETTLE_MS });
  if (screenshot) await saveScreenshot(admin, screenshot);
  const match = /^회수 운송장 (\S+) · /.exec((await pickup.textContent()) ?? '');
  assert.ok(match, 'the pickup waybill is in the history');
  await row.getByRole('button', { name: '이력 닫기' }).click();
  return match[1]!;
}

/** The mock courier's test control: the waybill jumps to `to` (its events in between are recorded). */
async function advanceWaybill(courierUrl: string, trackingNumber: string, to: string): Promise<void> {
  const response = await fetch(
    `${courierUrl}/api/v1/test/waybills/${encodeURIComponent(trackingNumber)}/advance`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to }) },
  );
  assert.equal(response.status, 200, await response.text());
}

/** Waits for `locator`, reloading the page while it is not there (for changes no push announces). */
async function reloadUntilVisible(page: Page, locator: Locator, timeoutMs = SETTLE_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await locator.first().waitFor({ timeout: 3_000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.reload();
    }
  }
}

/** Polls the shopper's claims until the newest is in `status`; answers it. */
async function waitForClaim(
  gatewayUrl: string,
  token: string,
  orderId: string,
  status: string,
): Promise<ClaimView> {
  const deadline = Date.now() + SETTLE_MS;
  let last: ClaimView | undefined;
  while (Date.now() < deadline) {
    const response = await fetch(`${gatewayUrl}/api/orders/${orderId}/claims`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (response.ok) {
      last = ((await response.json()) as { claims: ClaimView[] }).claims[0];
      if (last?.status === status) return last;
    }
    await sleep(500);
  }
  assert.fail(`the claim did not reach ${status} (last: ${last?.status})`);
}

/** "블랙 / M", as the shop labels an option. */
function optionsLabel(sku: CatalogSku): string {
  return Object.values(sku.options).join(' / ');
}

/** "상품명 (블랙 / M)" as the form labels an order line. */
function lineName(line: OrderLine): string {
  return line.optionLabel ? `${line.productName} (${line.optionLabel})` : line.productName;
}

async function signUp(gatewayUrl: string, email: string): Promise<void> {
  // A loaded machine can keep user-service (password hashing) past the gateway's timeout: retry.
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${gatewayUrl}/api/users/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email,
        password: PASSWORD,
        passwordConfirm: PASSWORD,
        name: '이지우',
        phone: '010-2345-6789',
      }),
    });
    if (response.status === 201 || (attempt > 0 && response.status === 409)) return;
    assert.ok(response.status === 503 && attempt < 5, await response.text());
  }
}

async function accessToken(gatewayUrl: string, email: string, password: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${gatewayUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (response.status === 200) return ((await response.json()) as { accessToken: string }).accessToken;
    assert.ok(response.status === 503 && attempt < 5, await response.text());
  }
}

/** Places the order through the API and waits until it awaits payment (stock reserved). */
async function placeOrder(
  gatewayUrl: string,
  token: string,
  items: Array<{ skuId: number; quantity: number }>,
): Promise<OrderDetail> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const idempotencyKey = randomUUID();
  let placed: Response | undefined;
  for (let attempt = 0; attempt < 5 && (!placed || placed.status === 503); attempt++) {
    placed = await fetch(`${gatewayUrl}/api/orders`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': idempotencyKey },
      body: JSON.stringify({
        items,
        delivery: {
          receiverName: '김하늘',
          receiverPhone: '010-3456-7890',
          zipcode: '04524',
          address: '서울특별시 중구 세종대로 110',
        },
      }),
    });
  }
  const answer = (await placed?.text()) ?? '';
  assert.ok(placed && (placed.status === 201 || placed.status === 202), answer);
  const { orderId } = JSON.parse(answer) as { orderId: string };
  const deadline = Date.now() + SETTLE_MS;
  while (Date.now() < deadline) {
    const order = (await (
      await fetch(`${gatewayUrl}/api/orders/${orderId}`, { headers })
    ).json()) as OrderDetail;
    if (order.status === 'PAYMENT_PENDING') return order;
    assert.notEqual(order.status, 'CANCELLED', 'the order was cancelled while reserving');
    await sleep(500);
  }
  assert.fail('the order never reached PAYMENT_PENDING');
}

/**
 * A product on sale with `count` options at one price, each with stock to spare: what an exchange
 * needs (and a two-line order of one product).
 */
async function findProductWithOptions(
  gatewayUrl: string,
  count: number,
): Promise<{ product: { id: number; name: string }; skus: CatalogSku[] }> {
  // The demo catalog is seeded on first start and reaches the catalog by events: wait for it.
  const deadline = Date.now() + SETTLE_MS;
  while (Date.now() < deadline) {
    const search = await fetch(`${gatewayUrl}/api/catalog/products?inStock=true&size=50`);
    if (search.ok) {
      for (const card of ((await search.json()) as { content: Array<{ id: number }> }).content) {
        const product = (await (await fetch(`${gatewayUrl}/api/catalog/products/${card.id}`)).json()) as {
          id: number;
          name: string;
          skus: CatalogSku[];
        };
        const usable = product.skus.filter((s) => s.status === 'ACTIVE' && s.stock >= 5);
        for (const sku of usable) {
          const samePrice = usable.filter((s) => s.price === sku.price);
          if (samePrice.length >= count) return { product, skus: samePrice.slice(0, count) };
        }
      }
    }
    await sleep(1_000);
  }
  throw new Error(`No product with ${count} options at one price and in stock appeared in the catalog`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
