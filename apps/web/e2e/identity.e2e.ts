import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { TOKEN_STORAGE_KEY } from '../src/auth/token-store.ts';
import { collectPageErrors, screenshotOnFailure } from './support/browser.ts';
import { logIn, waitForValue } from './support/pages.ts';
import { useBrowserSuite } from './support/suite.ts';

describe('identity', { timeout: 300_000 }, () => {
  const suite = useBrowserSuite();

  it('signs up, edits the profile, and is locked out once an admin suspends the account', {
    timeout: 180_000,
  }, async () => {
    const email = `shopper-${randomUUID().slice(0, 8)}@example.com`;
    const password = 'Saga!mart2024';
    const userContext = await suite.browser.newContext({ baseURL: suite.environment.baseUrl });
    const adminContext = await suite.browser.newContext({ baseURL: suite.environment.baseUrl });
    const shopper = await userContext.newPage();
    const admin = await adminContext.newPage();
    const pageErrors = [...collectPageErrors(shopper), ...collectPageErrors(admin)];

    await screenshotOnFailure('identity', [shopper, admin], async () => {
      // Sign up, then log in with the e-mail the login page pre-fills.
      await shopper.goto('/signup');
      await shopper.getByRole('heading', { name: 'Create your account' }).waitFor();
      await shopper.getByLabel('Email', { exact: true }).fill(email);
      await shopper.getByLabel('Password', { exact: true }).fill(password);
      await shopper.getByLabel('Confirm password', { exact: true }).fill(password);
      await shopper.getByLabel('Name', { exact: true }).fill('Kim Minsu');
      await shopper.getByLabel('Phone', { exact: true }).fill('010-1234-5678');
      await shopper.getByRole('button', { name: 'Sign up' }).click();

      await shopper.getByRole('heading', { name: 'Log in', level: 1 }).waitFor();
      assert.equal(await shopper.getByLabel('Email', { exact: true }).inputValue(), email);
      await logIn(shopper, email, password);
      await shopper.getByRole('button', { name: 'Log out' }).waitFor();

      // Edit the profile name; a reload proves the server kept it.
      await shopper.getByRole('link', { name: 'My page' }).click();
      await shopper.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
      await waitForValue(shopper.getByLabel('Name', { exact: true }), 'Kim Minsu');
      await shopper.getByLabel('Name', { exact: true }).fill('Kim Minsu Jr.');
      await shopper.getByRole('button', { name: 'Save' }).click();
      await shopper.getByText('Profile saved.').waitFor();
      await shopper.reload();
      await waitForValue(shopper.getByLabel('Name', { exact: true }), 'Kim Minsu Jr.');

      // An admin, in their own browser context, suspends the account.
      await admin.goto('/admin/users');
      await logIn(admin, suite.environment.adminEmail, suite.environment.adminPassword);
      await admin.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
      await admin.getByLabel('Search', { exact: true }).fill(email);
      await admin.getByRole('button', { name: 'Search', exact: true }).click();
      await admin.getByRole('link', { name: email }).click();
      await admin.getByRole('heading', { name: 'Kim Minsu Jr.' }).waitFor();
      await admin.getByRole('radiogroup', { name: 'Status' }).getByText('SUSPENDED', { exact: true }).click();
      await admin.getByRole('button', { name: 'Save' }).click();
      await admin.getByText(`${email} updated.`).waitFor();

      // The shopper's access token is still valid for minutes; bring the refresh forward instead of
      // waiting. The refresh is refused, so the app signs out and asks for a new login.
      await shopper.evaluate((key) => {
        const stored = JSON.parse(localStorage.getItem(key) ?? 'null');
        if (stored) localStorage.setItem(key, JSON.stringify({ ...stored, refreshAt: 0, expiresAt: 0 }));
      }, TOKEN_STORAGE_KEY);
      await shopper.reload();
      await shopper.waitForURL(/\/login\?(.*&)?reason=expired/);
      await shopper.getByRole('alert').filter({ hasText: 'Your session has ended' }).waitFor();
      assert.equal(await shopper.evaluate((key) => localStorage.getItem(key), TOKEN_STORAGE_KEY), null);

      // Logging in again is refused as well, with the server's explanation.
      await logIn(shopper, email, password);
      await shopper.getByRole('alert').filter({ hasText: 'Login failed' }).waitFor();
      assert.equal(new URL(shopper.url()).pathname, '/login');
    });

    assert.deepEqual(pageErrors, []);
    await userContext.close();
    await adminContext.close();
  });
});
