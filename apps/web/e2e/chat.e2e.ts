import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { collectPageErrors, RESULTS_DIR, screenshotOnFailure } from './support/browser.ts';
import { logIn } from './support/pages.ts';
import { PASSWORD } from './support/shop.ts';
import { useBrowserSuite } from './support/suite.ts';

/** Assignment and delivery go through chat-service and the event transport: moments, not instants. */
const SETTLE_MS = 30_000;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

describe('live chat', { timeout: 300_000 }, () => {
  const suite = useBrowserSuite();

  it('a customer and an agent talk, with typing and read marks, until the agent resolves it', {
    timeout: 240_000,
  }, async () => {
    const { gatewayUrl, baseUrl, adminEmail, adminPassword } = suite.environment;
    const customerEmail = await signUpAs(gatewayUrl, 'chat-customer', '김하늘');
    const agentEmail = await signUpAs(gatewayUrl, 'chat-agent', '박상담');

    const adminContext = await suite.browser.newContext({ baseURL: baseUrl, viewport: DESKTOP });
    const agentContext = await suite.browser.newContext({ baseURL: baseUrl, viewport: DESKTOP });
    const customerContext = await suite.browser.newContext({ baseURL: baseUrl, viewport: PHONE });
    const admin = await adminContext.newPage();
    const agent = await agentContext.newPage();
    const customer = await customerContext.newPage();
    const pageErrors = [...collectPageErrors(agent), ...collectPageErrors(customer)];

    await screenshotOnFailure('live-chat', [admin, agent, customer], async () => {
      // An admin makes the second user an agent in the user admin (in Korean, the admin's default).
      await admin.goto('/admin/users');
      await logIn(admin, adminEmail, adminPassword);
      await admin.getByRole('heading', { name: '회원', level: 1 }).waitFor();
      await admin.getByLabel('검색', { exact: true }).fill(agentEmail);
      await admin.getByRole('button', { name: '검색', exact: true }).click();
      await admin.getByRole('link', { name: agentEmail }).click();
      await admin.getByRole('radiogroup', { name: '권한' }).getByText('상담원', { exact: true }).click();
      await admin.getByRole('button', { name: '저장' }).click();
      await admin.getByText(`${agentEmail} 회원 정보를 변경했습니다.`).waitFor();

      // The agent logs in and lands in the console; product admin is not theirs.
      await agent.goto('/admin');
      await logInPatiently(agent, agentEmail, agent.getByRole('heading', { name: '상담 콘솔', level: 1 }));
      await agent
        .getByTestId('agent-presence')
        .filter({ hasText: '상담 가능' })
        .waitFor({ timeout: SETTLE_MS });
      const nav = agent.getByRole('navigation', { name: '상담' });
      await nav.getByRole('link', { name: '자주 쓰는 답변' }).waitFor();
      assert.equal(await nav.getByRole('link', { name: 'Products' }).count(), 0);

      // The customer, on a phone, opens the chat from the shop and writes.
      await customer.goto('/login');
      // Signed in: the header's my-page link (the phone header has no room for the log-out button).
      await logInPatiently(customer, customerEmail, customer.getByRole('link', { name: '마이페이지' }));
      await customer.getByRole('button', { name: /^상담 채팅/ }).click();
      const panel = customer.getByRole('dialog', { name: '상담 채팅' });
      await panel.getByText('궁금한 점을 남겨 주세요').waitFor();
      await sendMessage(customer, '주문한 운동화 사이즈를 바꿀 수 있나요? <b>급해요</b>');

      // The only online agent gets it.
      await panel.getByTestId('chat-status').filter({ hasText: '박상담 상담원과 연결되었습니다' }).waitFor({
        timeout: SETTLE_MS,
      });
      await agent.getByRole('tab', { name: /진행 중/ }).click();
      const row = agent.getByTestId('conversation-row').filter({ hasText: '김하늘' });
      await row.getByTestId('row-unread').waitFor({ timeout: SETTLE_MS });
      await row.click();
      const agentLog = agent.getByRole('log', { name: '대화 내용' });
      // Shown as text: the markup arrives as characters, not as bold.
      await agentLog.getByText('주문한 운동화 사이즈를 바꿀 수 있나요? <b>급해요</b>').waitFor();
      assert.equal(await agentLog.locator('b').count(), 0);
      // The customer's orders beside it (this customer has none yet: the list answered, and is empty).
      await agent
        .getByRole('region', { name: '고객의 최근 주문' })
        .getByText('주문 내역이 없습니다.')
        .waitFor();

      // Opening it marks it read: the customer sees 읽음.
      await panel.getByTestId('chat-read').waitFor({ timeout: SETTLE_MS });

      // The agent types: the customer sees it; then the answer arrives.
      await agent.getByLabel('메시지').pressSequentially('네, 가능합니다', { delay: 30 });
      await panel
        .getByTestId('chat-typing')
        .filter({ hasText: '상담원님이 입력 중입니다' })
        .waitFor({ timeout: SETTLE_MS });
      await agent.getByRole('button', { name: '보내기' }).click();
      await panel.getByText('네, 가능합니다').waitFor({ timeout: SETTLE_MS });
      await panel.getByTestId('chat-typing').waitFor({ state: 'detached' });
      // The customer has the panel open, so the agent's message is read at once.
      await agentLog.getByTestId('chat-read').waitFor({ timeout: SETTLE_MS });

      // The customer types back.
      await customer.getByLabel('메시지').pressSequentially('270으로 부탁드려요', { delay: 30 });
      await agent
        .getByTestId('chat-typing')
        .filter({ hasText: '김하늘님이 입력 중입니다' })
        .waitFor({ timeout: SETTLE_MS });
      await customer.getByLabel('메시지').press('Enter');
      await agentLog.getByText('270으로 부탁드려요').waitFor({ timeout: SETTLE_MS });

      await screenshots('chat', [
        ['customer-390', customer],
        ['agent-desktop', agent],
      ]);
      await customer.setViewportSize(DESKTOP);
      await agent.setViewportSize(PHONE);
      await screenshots('chat', [
        ['customer-desktop', customer],
        ['agent-390', agent],
      ]);
      await agent.setViewportSize(DESKTOP);

      // The agent resolves it; the customer sees the conversation closed.
      await agent.getByRole('button', { name: '상담 종료' }).click();
      await agent
        .getByTestId('conversation-status')
        .filter({ hasText: '종료' })
        .waitFor({ timeout: SETTLE_MS });
      await panel
        .getByTestId('chat-status')
        .filter({ hasText: '상담이 종료되었습니다' })
        .waitFor({ timeout: SETTLE_MS });
      await screenshots('chat', [['customer-resolved', customer]]);
    });

    assert.deepEqual(pageErrors, []);
    await Promise.all([adminContext.close(), agentContext.close(), customerContext.close()]);
  });

  it('a message written before the chat socket connects is sent after a reload, once', {
    timeout: 120_000,
  }, async () => {
    const { gatewayUrl, baseUrl } = suite.environment;
    const customerEmail = await signUpAs(gatewayUrl, 'chat-reload', '이서준');
    const context = await suite.browser.newContext({ baseURL: baseUrl, viewport: PHONE });
    const customer = await context.newPage();
    const pageErrors = collectPageErrors(customer);
    // The chat socket reaches no server until released: what is written stays unconfirmed.
    let held = true;
    await customer.routeWebSocket(/\/ws\/chat/, (socket) => {
      if (!held) socket.connectToServer();
    });

    await screenshotOnFailure('chat-reload', [customer], async () => {
      await customer.goto('/login');
      await logInPatiently(customer, customerEmail, customer.getByRole('link', { name: '마이페이지' }));
      await customer.getByRole('button', { name: /^상담 채팅/ }).click();
      const panel = customer.getByRole('dialog', { name: '상담 채팅' });
      const text = '새로고침 전에 쓴 문의입니다';
      await sendMessage(customer, text);
      await panel.getByTestId('chat-pending').getByText(text).waitFor();

      // The page goes away before the server heard of it; the reloaded page sends it.
      held = false;
      await customer.reload();
      await customer.getByRole('button', { name: /^상담 채팅/ }).click();
      const log = panel.getByRole('log', { name: '대화 내용' });
      await log.getByText(text).waitFor({ timeout: SETTLE_MS });
      await panel.getByTestId('chat-pending').waitFor({ state: 'detached', timeout: SETTLE_MS });
      // Stored: a fresh tab (nothing kept) loads it from the server, once.
      const fresh = await context.newPage();
      await fresh.goto('/');
      await fresh.getByRole('button', { name: /^상담 채팅/ }).click();
      const freshLog = fresh
        .getByRole('dialog', { name: '상담 채팅' })
        .getByRole('log', { name: '대화 내용' });
      await freshLog.getByText(text).waitFor({ timeout: SETTLE_MS });
      assert.equal(await freshLog.getByText(text).count(), 1);
      assert.equal(await log.getByText(text).count(), 1);
      await fresh.close();
    });

    assert.deepEqual(pageErrors, []);
    await context.close();
  });
});

/**
 * Signs a new user up and answers their e-mail. On a loaded machine the gateway may give up (503)
 * while the signup goes on; that address's fate is then unknown, so the next attempt uses a new one.
 */
async function signUpAs(gatewayUrl: string, prefix: string, name: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const email = `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
    const response = await fetch(`${gatewayUrl}/api/users/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        email,
        password: PASSWORD,
        passwordConfirm: PASSWORD,
        name,
        phone: '010-2345-6789',
      }),
    });
    if (response.status === 503 && attempt < 5) continue;
    assert.equal(response.status, 201, await response.text());
    return email;
  }
}

/** Logs in; on a loaded machine auth-service may answer late once, so a refused login is tried again. */
async function logInPatiently(page: Page, email: string, signedIn: Locator): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await logIn(page, email, PASSWORD);
    const failed = page.getByRole('alert').filter({ hasText: 'Login failed' });
    await Promise.race([signedIn.waitFor({ timeout: SETTLE_MS }), failed.waitFor({ timeout: SETTLE_MS })]);
    if (await signedIn.isVisible()) return;
    assert.ok(attempt < 3, 'login kept failing');
  }
}

async function sendMessage(page: Page, text: string): Promise<void> {
  await page.getByLabel('메시지').fill(text);
  await page.getByRole('button', { name: '보내기' }).click();
}

/** Saved for people to look at (test-results/, git-ignored). */
async function screenshots(prefix: string, pages: Array<[string, Page]>): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  for (const [name, page] of pages) {
    await page.screenshot({ path: join(RESULTS_DIR, `${prefix}-${name}.png`) });
  }
}
