import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { collectPageErrors, newShopContext, screenshotOnFailure } from './support/browser.ts';
import { logIn } from './support/pages.ts';
import { placeOrderByApi, won } from './support/shop.ts';
import { useBrowserSuite } from './support/suite.ts';

/** The saga, the PG and the notification all happen by events: moments, not instants. */
const SETTLE_MS = 60_000;

describe('live notifications', { timeout: 300_000 }, () => {
  const suite = useBrowserSuite();

  it('moves the order detail page and the bell when the order is paid in another tab', {
    timeout: 240_000,
  }, async () => {
    const { gatewayUrl, pgUrl, baseUrl } = suite.environment;
    const context = await newShopContext(suite.browser, baseUrl);
    const watching = await context.newPage();
    const paying = await context.newPage();
    const pageErrors = [...collectPageErrors(watching), ...collectPageErrors(paying)];

    await screenshotOnFailure('live-notifications', [watching, paying], async () => {
      // A shopper with a PAYMENT_PENDING order (set up through the API: the checkout has its own test).
      const email = `watcher-${randomUUID().slice(0, 8)}@example.com`;
      const password = 'Saga!mart2024';
      const http = context.request;
      const signup = await http.post(`${gatewayUrl}/api/users/signup`, {
        data: { email, password, passwordConfirm: password, name: '김하늘', phone: '010-3456-7890' },
      });
      assert.equal(signup.status(), 201, await signup.text());
      const order = await placeOrderByApi(http, gatewayUrl, email, password);
      assert.equal(order.status, 'PAYMENT_PENDING');

      // The shopper watches the order's page.
      await watching.goto('/login');
      await logIn(watching, email, password);
      await watching.getByRole('button', { name: 'Log out' }).waitFor();
      await watching.goto(`/me/orders/${order.orderId}`);
      await watching.getByTestId('order-status').filter({ hasText: 'Awaiting payment' }).waitFor();
      // "Order received" is already there, unread.
      await watching
        .getByTestId('notification-count')
        .filter({ hasText: '1' })
        .waitFor({ timeout: SETTLE_MS });
      await watching.evaluate(() => {
        (window as unknown as { notReloaded: boolean }).notReloaded = true;
      });

      // ...while it is paid at the PG in another tab.
      const back = (path: string) => `${baseUrl}${path}?${new URLSearchParams({ orderId: order.orderId })}`;
      await paying.goto(
        `${pgUrl}/checkout?${new URLSearchParams({
          orderNumber: order.orderNumber,
          amount: String(order.payableAmount),
          orderName: order.orderName,
          successUrl: back('/payment/success'),
          failUrl: back('/payment/fail'),
        })}`,
      );
      await paying.getByRole('radio', { name: '(approve)' }).check();
      await paying.getByRole('button', { name: '결제하기' }).click();

      // The paying tab's result page follows the order by the same socket: PAID without a reload.
      await paying
        .getByRole('heading', { name: 'Payment complete', level: 1 })
        .waitFor({ timeout: SETTLE_MS });
      await paying
        .locator('[aria-live="polite"]')
        .filter({ hasText: 'Order status' })
        .filter({ hasText: 'PAID' })
        .waitFor({ timeout: SETTLE_MS });

      // The watched page moves by itself: the status, a toast, and the bell.
      await watching.getByTestId('order-status').filter({ hasText: 'PAID' }).waitFor({ timeout: SETTLE_MS });
      // In the reader's language (notification-service writes Korean; the web words it from its facts).
      await watching
        .getByText(
          `Order ${order.orderNumber} is paid (${won(order.payableAmount)}). We are getting it ready.`,
        )
        .first()
        .waitFor();
      await watching.getByTestId('notification-count').filter({ hasText: '2' }).waitFor();
      assert.equal(
        await watching.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
        true,
        'the page was not reloaded',
      );

      // The bell lists both; opening one marks it read.
      await watching.getByRole('button', { name: /^Notifications/ }).click();
      const list = watching.getByRole('list', { name: 'Notification list' });
      await list.getByText('Order received', { exact: true }).waitFor();
      await list.getByText('Payment complete', { exact: true }).click();
      await watching.getByTestId('notification-count').filter({ hasText: '1' }).waitFor();
    });

    assert.deepEqual(pageErrors, []);
    await context.close();
  });
});
