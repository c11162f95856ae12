import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { TOKEN_STORAGE_KEY } from '../src/auth/token-store.ts';
import { collectPageErrors, newShopContext, screenshotOnFailure } from './support/browser.ts';
import { logIn, waitForValue } from './support/pages.ts';
import { useBrowserSuite } from './support/suite.ts';

describe('identity', { timeout: 300_000 }, () => {
  const suite = useBrowserSuite();

  it('signs up, edits the profile, and is locked out once an admin suspends the account', {
    timeout: 180_000,
  }, async () => {
    const email = `shopper-${randomUUID().slice(0, 8)}@example.com`;
    const password = 'Saga!mart2024';
    const newPassword = 'Saga!mart2025';
    const userContext = await newShopContext(suite.browser, suite.environment.baseUrl);
    const adminContext = await newShopContext(suite.browser, suite.environment.baseUrl);
    const shopper = await userContext.newPage();
    const admin = await adminContext.newPage();
    const pageErrors = [...collectPageErrors(shopper), ...collectPageErrors(admin)];

    await screenshotOnFailure('identity', [shopper, admin], async () => {
      // Sign up from a product list: the new shopper is signed in and back where they were.
      await shopper.goto('/products');
      await shopper.getByRole('link', { name: 'Sign up' }).first().click();
      await shopper.getByRole('heading', { name: 'Create your account' }).waitFor();
      await shopper.getByLabel('Email', { exact: true }).fill(email);
      await shopper.getByLabel('Password', { exact: true }).fill(password);
      await shopper.getByLabel('Confirm password', { exact: true }).fill(password);
      await shopper.getByLabel('Name', { exact: true }).fill('Kim Minsu');
      await shopper.getByLabel('Phone', { exact: true }).fill('010-1234-5678');
      await shopper.getByRole('button', { name: 'Sign up' }).click();

      await shopper.getByRole('button', { name: 'Log out' }).waitFor();
      await shopper.waitForURL((url) => url.pathname === '/products');
      await assertRefreshTokenOutOfReach(userContext, shopper);

      // Edit the profile name; a reload proves the server kept it.
      await shopper.getByRole('link', { name: 'My page' }).click();
      await shopper.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
      await waitForValue(shopper.getByLabel('Name', { exact: true }), 'Kim Minsu');
      await shopper.getByLabel('Name', { exact: true }).fill('Kim Minsu Jr.');
      await shopper.getByRole('button', { name: 'Save' }).click();
      await shopper.getByText('Profile saved.').waitFor();
      await shopper.reload();
      await waitForValue(shopper.getByLabel('Name', { exact: true }), 'Kim Minsu Jr.');

      // Change the password: every other session ends, and this device stays signed in. The change
      // revokes this session's tokens too, so a refresh (brought forward) must not sign it out.
      const { value: beforeChange } = await assertRefreshTokenOutOfReach(userContext, shopper);
      await shopper.getByLabel('Current password', { exact: true }).fill(password);
      await shopper.getByLabel('New password', { exact: true }).fill(newPassword);
      await shopper.getByLabel('Confirm new password', { exact: true }).fill(newPassword);
      await shopper.getByRole('button', { name: 'Change password' }).click();
      await shopper
        .getByRole('status')
        .filter({ hasText: 'Your other sessions have been signed out. This device stays signed in.' })
        .waitFor();
      assert.equal(
        await refreshStatus(suite.environment.gatewayUrl, beforeChange),
        401,
        'the refresh token from before the change is dead',
      );
      await expireAccessToken(shopper);
      await shopper.reload();
      await waitForValue(shopper.getByLabel('Name', { exact: true }), 'Kim Minsu Jr.');
      assert.equal(new URL(shopper.url()).pathname, '/me/profile');
      await shopper.getByRole('button', { name: 'Log out' }).waitFor();

      // An admin, in their own browser context, suspends the account.
      await admin.goto('/admin/users');
      await logIn(admin, suite.environment.adminEmail, suite.environment.adminPassword);
      await admin.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
      await admin.getByLabel('Search', { exact: true }).fill(email);
      await admin.getByRole('button', { name: 'Search', exact: true }).click();
      await admin.getByRole('link', { name: email }).click();
      await admin.getByRole('heading', { name: 'Kim Minsu Jr.' }).waitFor();
      await admin.getByRole('radiogroup', { name: 'Status' }).getByText('Suspended', { exact: true }).click();
      await admin.getByRole('button', { name: 'Save' }).click();
      await admin.getByText(`${email} updated.`).waitFor();

      // The shopper's access token is still valid for minutes; bring the refresh forward instead of
      // waiting. The refresh is refused, so the app signs out and asks for a new login.
      await expireAccessToken(shopper);
      await shopper.reload();
      await shopper.waitForURL(/\/login\?(.*&)?reason=expired/);
      await shopper.getByRole('alert').filter({ hasText: 'Your session has ended' }).waitFor();
      assert.equal(await shopper.evaluate((key) => localStorage.getItem(key), TOKEN_STORAGE_KEY), null);

      // Logging in again is refused as well, with the server's explanation.
      await logIn(shopper, email, newPassword);
      await shopper.getByRole('alert').filter({ hasText: 'Login failed' }).waitFor();
      assert.equal(new URL(shopper.url()).pathname, '/login');
    });

    assert.deepEqual(pageErrors, []);
    await userContext.close();
    await adminContext.close();
  });
});

describe('session', { timeout: 300_000 }, () => {
  const suite = useBrowserSuite();

  it('refreshes with the cookie, shares the session across tabs, and logs out of every tab', {
    timeout: 180_000,
  }, async () => {
    const context = await newShopContext(suite.browser, suite.environment.baseUrl);
    const first = await context.newPage();
    const pageErrors = collectPageErrors(first);

    await screenshotOnFailure('session', [first], async () => {
      await first.goto('/login');
      await logIn(first, suite.environment.adminEmail, suite.environment.adminPassword);
      await first.getByRole('button', { name: 'Log out' }).waitFor();
      const { value: issued } = await assertRefreshTokenOutOfReach(context, first);

      // A second tab is signed in too.
      const second = await context.newPage();
      pageErrors.push(...collectPageErrors(second));
      await second.goto('/me/profile');
      await second.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();

      // The first tab refreshes (brought forward): the cookie rotates, nobody is signed out.
      await expireAccessToken(first);
      await first.goto('/me/profile');
      await first.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
      // The profile's data needs a fresh access token: the cookie has rotated once it has loaded.
      await first.getByRole('region', { name: 'Account' }).getByText(suite.environment.adminEmail).waitFor();
      const { value: rotated } = await assertRefreshTokenOutOfReach(context, first);
      assert.notEqual(rotated, issued);
      await second.reload();
      await second.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();

      // Logging out in the second tab signs the first one out as well, and the cookie is gone.
      // The tabs sign out at once; the server's answer (which clears the cookie) follows. The
      // access token the tabs hold no longer passes the gateway (as after a laptop slept past its
      // expiry): logging out needs only the cookie, so the session still ends on the server.
      const { value: live } = await assertRefreshTokenOutOfReach(context, second);
      await second.evaluate((key) => {
        const stored = JSON.parse(localStorage.getItem(key) ?? 'null');
        localStorage.setItem(key, JSON.stringify({ ...stored, accessToken: `${stored.accessToken}x` }));
      }, TOKEN_STORAGE_KEY);
      const loggedOut = second.waitForResponse((res) => res.url().endsWith('/api/auth/logout'));
      await second.getByRole('button', { name: 'Log out' }).click();
      await first.getByRole('link', { name: 'Log in' }).first().waitFor();
      assert.equal((await loggedOut).status(), 204);
      assert.equal(
        (await context.cookies()).find((c) => c.name === REFRESH_COOKIE),
        undefined,
      );
      assert.equal(await refreshStatus(suite.environment.gatewayUrl, live), 401, 'the session ended');
    });

    assert.deepEqual(pageErrors, []);
    await context.close();
  });
});

const REFRESH_COOKIE = 'sagamart_refresh';

/** Brings the access token's refresh forward (its lifetime is minutes; tests do not wait). */
async function expireAccessToken(page: Page): Promise<void> {
  await page.evaluate((key) => {
    const stored = JSON.parse(localStorage.getItem(key) ?? 'null');
    if (stored) localStorage.setItem(key, JSON.stringify({ ...stored, refreshAt: 0, expiresAt: 0 }));
  }, TOKEN_STORAGE_KEY);
}

/** What the gateway answers a refresh with this refresh cookie (outside the browser). */
async function refreshStatus(gatewayUrl: string, refreshToken: string): Promise<number> {
  const response = await fetch(`${gatewayUrl}/api/auth/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `${REFRESH_COOKIE}=${refreshToken}` },
    body: '{}',
  });
  await response.body?.cancel();
  return response.status;
}

/** The refresh token is an HttpOnly, Secure, SameSite=Strict cookie on /api/auth that no script sees. */
async function assertRefreshTokenOutOfReach(context: BrowserContext, page: Page) {
  const cookie = (await context.cookies()).find((c) => c.name === REFRESH_COOKIE);
  assert.ok(cookie, 'the refresh cookie is set');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.secure, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(cookie.path, '/api/auth');
  const visible = await page.evaluate(
    (key) => ({ cookies: document.cookie, stored: localStorage.getItem(key) ?? '' }),
    TOKEN_STORAGE_KEY,
  );
  assert.doesNotMatch(visible.cookies, new RegExp(REFRESH_COOKIE));
  assert.doesNotMatch(visible.stored, /refresh_?token/i);
  assert.ok(!visible.stored.includes(cookie.value));
  return cookie;
}
