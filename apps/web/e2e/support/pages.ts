import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';

/** Fills and submits the login form, in English or Korean; the caller asserts where that leads. */
export async function logIn(page: Page, email: string, password: string): Promise<void> {
  // Wait for the login page itself: right after a client-side navigation the URL changes before
  // the new page renders, and the previous page may have fields with the same labels.
  await page.getByRole('heading', { name: /^(Log in|로그인)$/, level: 1 }).waitFor();
  await page.getByLabel(/^(Email|이메일)$/).fill(email);
  await page.getByLabel(/^(Password|비밀번호)$/).fill(password);
  await page.getByRole('button', { name: /^(Log in|로그인)$/ }).click();
}

/** Polls until the input shows `expected` (forms fill in once their query has loaded). */
export async function waitForValue(input: Locator, expected: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let actual = await input.inputValue();
  while (actual !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    actual = await input.inputValue();
  }
  assert.equal(actual, expected);
}
