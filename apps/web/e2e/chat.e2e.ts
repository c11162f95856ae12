import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { collectPageErrors, newShopContext, RESULTS_DIR, screenshotOnFailure } from './support/browser.ts';
import { saveScreenshot, settle } from './support/page-scan.ts';
import { logIn } from './support/pages.ts';
import { accessTokenByApi, PASSWORD, placeOrderByApi } from './support/shop.ts';
import { useBrowserSuite } from './support/suite.ts';

/** Assignment and delivery go through chat-service and the event transport: moments, not instants. */
const SETTLE_MS = 30_000;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

describe('live chat', { timeout: 600_000 }, () => {
  const suite = useBrowserSuite();

  it('a customer and an agent talk, with typing and read marks, until the agent resolves it', {
    timeout: 240_000,
  }, async () => {
    const { gatewayUrl, baseUrl, adminEmail, adminPassword } = suite.environment;
    const { email: customerEmail } = await signUpAs(gatewayUrl, 'chat-customer', '김하늘');
    const { email: agentEmail } = await signUpAs(gatewayUrl, 'chat-agent', '박상담');

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
      await panel.getByTestId('chat-status').filter({ hasText: '박상담 님과 연결되었습니다' }).waitFor({
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
      // The customer's orders are no longer the agent's to read: the card says so rather than fail.
      const ordersCard = agent.getByRole('region', { name: '고객의 최근 주문' });
      await ordersCard.getByText('주문 내역은 내가 맡은 상담이 진행 중일 때만 볼 수 있습니다.').waitFor();
      assert.equal(await ordersCard.getByRole('alert').count(), 0, 'the orders card shows an error');
      await screenshots('chat', [['customer-resolved', customer]]);
    });

    assert.deepEqual(pageErrors, []);
    await Promise.all([adminContext.close(), agentContext.close(), customerContext.close()]);
  });

  it('a message written before the chat socket connects is sent after a reload, once', {
    timeout: 120_000,
  }, async () => {
    const { gatewayUrl, baseUrl } = suite.environment;
    const { email: customerEmail } = await signUpAs(gatewayUrl, 'chat-reload', '이서준');
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

  it('reads in English when the shop is switched to English: the chat, the console and the canned answers', {
    timeout: 240_000,
  }, async () => {
    const { gatewayUrl, baseUrl, adminEmail, adminPassword } = suite.environment;
    // Korean names and messages: the data stays as written, only the chat's own words change.
    const customerName = '최민지';
    const agentName = '정상담';
    const question = '이 주문의 배송지를 바꿀 수 있나요?';
    const answer = '네, 바꿔 드리겠습니다.';
    const followUp = '감사합니다!';
    const shortCode = `greet-${randomUUID().slice(0, 6)}`;
    const cannedText = '안녕하세요, 무엇을 도와드릴까요?';
    const { email: customerEmail } = await signUpAs(gatewayUrl, 'chat-en-customer', customerName);
    const { email: agentEmail, userId: agentId } = await signUpAs(gatewayUrl, 'chat-en-agent', agentName);

    const agentContext = await newShopContext(suite.browser, baseUrl, 'en', DESKTOP);
    const customerContext = await newShopContext(suite.browser, baseUrl, 'en', PHONE);
    await grantAgentRole(agentContext, gatewayUrl, adminEmail, adminPassword, agentId);
    const order = await placeOrderByApi(customerContext.request, gatewayUrl, customerEmail, PASSWORD);
    const data = [customerName, agentName, question, answer, followUp, cannedText, order.orderName];
    const agent = await agentContext.newPage();
    const customer = await customerContext.newPage();
    const pageErrors = [...collectPageErrors(agent), ...collectPageErrors(customer)];
    const problems: string[] = [];
    const check = async (where: string, scope: Locator, skip?: string) => {
      for (const text of await koreanWording(scope, data, skip)) problems.push(`${where}: ${text}`);
    };

    await screenshotOnFailure('live-chat-english', [agent, customer], async () => {
      // Signed out: the chat button, and the panel asking to log in.
      await customer.goto('/');
      const chatButton = customer.getByRole('button', { name: either('Chat with us', '상담 채팅') });
      await check('chat button', chatButton);
      await chatButton.click();
      const panel = customer.getByRole('dialog');
      await panel.getByRole('link').waitFor();
      await check('chat, signed out', panel);
      await panel.getByRole('button').click();

      // The agent opens the console.
      await agent.goto('/admin');
      await logInPatiently(agent, agentEmail, agent.getByTestId('agent-presence'));
      await agent
        .getByTestId('agent-presence')
        .filter({ hasText: either('Available', '상담 가능') })
        .waitFor({ timeout: SETTLE_MS });

      // The customer asks about an order from its page.
      await customer.goto('/login');
      await logInPatiently(customer, customerEmail, customer.getByRole('link', { name: 'My page' }));
      await customer.goto(`/me/orders/${order.orderId}`);
      await customer
        .getByRole('button', { name: either('Ask about this order', '이 주문 문의하기') })
        .click();
      await panel.getByText(order.orderNumber).waitFor({ timeout: SETTLE_MS });
      await panel.getByRole('textbox').fill(question);
      await panel.getByRole('textbox').press('Enter');
      await panel.getByTestId('chat-status').filter({ hasText: agentName }).waitFor({ timeout: SETTLE_MS });

      // The agent answers; the customer sees them typing, and that the question was read.
      await agent.getByRole('tab', { name: either('Open', '진행 중') }).click();
      await agent.getByTestId('conversation-row').filter({ hasText: customerName }).click();
      const agentLog = agent.getByTestId('chat-messages');
      await agentLog.getByText(question).waitFor({ timeout: SETTLE_MS });
      await agent.getByTestId('customer-orders').getByText(order.orderNumber).waitFor({ timeout: SETTLE_MS });
      const agentMessage = agent.locator('main').getByRole('textbox');
      await agentMessage.pressSequentially(answer, { delay: 30 });
      await panel.getByTestId('chat-typing').waitFor({ timeout: SETTLE_MS });
      await panel.getByTestId('chat-read').waitFor({ timeout: SETTLE_MS });
      await check('chat, agent typing', panel);
      await agentMessage.press('Enter');
      await panel.getByText(answer).waitFor({ timeout: SETTLE_MS });
      await agentLog.getByTestId('chat-read').waitFor({ timeout: SETTLE_MS });
      await check('chat, answered', panel);

      // The customer types: the agent's console, with its menus. Other conversations' rows are
      // other tests' data; this one's row is the selected one.
      await panel.getByRole('textbox').pressSequentially(followUp, { delay: 30 });
      await agent.getByTestId('chat-typing').waitFor({ timeout: SETTLE_MS });
      await check('console', agent.locator('main'), '[data-testid="conversation-row"]:not([aria-current])');
      // The longer English words still leave the list's three tabs on one row.
      const tabTops = await agent
        .getByRole('tab')
        .evaluateAll((tabs) => tabs.map((tab) => Math.round(tab.getBoundingClientRect().top)));
      assert.equal(new Set(tabTops).size, 1, `the tabs sit on ${new Set(tabTops).size} rows`);
      await agent.getByRole('button', { name: either('Transfer', '이관') }).click();
      await check('console, transfer', agent.getByRole('menu'));
      await agent.keyboard.press('Escape');
      await agent.getByRole('menu').waitFor({ state: 'detached' });
      await agent.getByRole('button', { name: either('Canned answers', '자주 쓰는 답변') }).click();
      await check('console, canned answers', agent.getByRole('menu'));
      await agent.keyboard.press('Escape');
      await panel.getByRole('textbox').press('Enter');
      await agentLog.getByText(followUp).waitFor({ timeout: SETTLE_MS });

      await saveScreenshot(customer, 'chat-en-customer-390');
      await saveScreenshot(agent, 'chat-en-agent-desktop');
      await customer.setViewportSize(DESKTOP);
      await agent.setViewportSize(PHONE);
      await saveScreenshot(customer, 'chat-en-customer-desktop');
      await saveScreenshot(agent, 'chat-en-agent-390');
      await agent.setViewportSize(DESKTOP);

      // The agent ends it: both sides say so.
      await agent.getByRole('button', { name: either('End chat', '상담 종료') }).click();
      await agent
        .getByTestId('conversation-status')
        .filter({ hasText: either('Closed', '종료') })
        .waitFor({ timeout: SETTLE_MS });
      await panel
        .getByTestId('chat-status')
        .filter({ hasNotText: agentName })
        .filter({ hasText: /\S/ })
        .waitFor({ timeout: SETTLE_MS });
      await check('chat, ended', panel);
      await check('console, ended', agent.locator('main'), '[data-testid="conversation-row"]');

      // Both sides save the conversation: its own words in English, the messages as written.
      for (const [side, page, save] of [
        ['console', agent, agent.getByRole('button', { name: either('Save transcript', '기록 저장') })],
        ['chat', customer, panel.getByRole('button', { name: either('Save this chat', '상담 내용 저장') })],
      ] as const) {
        const [download] = await Promise.all([page.waitForEvent('download'), save.click()]);
        assert.match(download.suggestedFilename(), /^chat-\d{4}-\d{2}-\d{2}\.txt$/);
        const transcript = await readFile((await download.path())!, 'utf8');
        assert.match(transcript, /^Chat transcript \(/, `${side}: the transcript's heading`);
        assert.match(transcript, /\nAbout order: ORD-/, `${side}: the order it is about`);
        assert.match(transcript, /\nStatus: Closed\n/, `${side}: where it stands`);
        for (const [who, text] of [
          [customerName, question],
          [agentName, answer],
          [customerName, followUp],
        ])
          assert.ok(transcript.includes(`] ${who}: ${text}`), `${side}: ${who} wrote "${text}"`);
      }

      // Canned answers: the list, the form and its rule, an answer added, edited and deleted.
      await agent.goto('/admin/chat-answers');
      await agent.locator('main h1').waitFor();
      await settle(agent);
      await check('canned answers', agent.locator('main'));
      const code = agent.getByLabel(either('Shortcut', '단축어'));
      await code.fill('no spaces');
      await check('canned answers, invalid shortcut', agent.locator('main'));
      await code.fill(shortCode);
      await agent.getByLabel(either('Text', '내용')).fill(cannedText);
      await agent.getByRole('button', { name: either('Add', '추가') }).click();
      const added = agent.locator('.mantine-Notification-root');
      await added.waitFor();
      await check('canned answers, added', added);
      await agent.getByRole('button', { name: either('Edit', '수정') }).click();
      await check('canned answers, editing', agent.locator('main'));
      await agent.getByRole('button', { name: either(`Delete /${shortCode}`, `/${shortCode} 삭제`) }).click();
      const confirm = agent.getByRole('dialog');
      await check('canned answers, delete', confirm);
      await confirm.getByRole('button', { name: either('Delete', '삭제') }).click();
      await agent.getByText(`/${shortCode}`, { exact: true }).waitFor({ state: 'detached' });

      assert.equal(await customer.evaluate(() => document.documentElement.lang), 'en');
      assert.equal(await agent.evaluate(() => document.documentElement.lang), 'en');
      assert.deepEqual(problems, []);
    });

    assert.deepEqual(pageErrors, []);
    await Promise.all([agentContext.close(), customerContext.close()]);
  });
});

/**
 * Signs a new user up and answers their e-mail and id. On a loaded machine the gateway may give up (503)
 * while the signup goes on; that address's fate is then unknown, so the next attempt uses a new one.
 */
async function signUpAs(
  gatewayUrl: string,
  prefix: string,
  name: string,
): Promise<{ email: string; userId: string }> {
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
    const body = await response.text();
    assert.equal(response.status, 201, body);
    const { userId } = JSON.parse(body) as { userId: string };
    return { email, userId };
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

/** The user's role becomes AGENT (an admin's change, through the API: the Korean test does it on screen). */
async function grantAgentRole(
  context: BrowserContext,
  gatewayUrl: string,
  adminEmail: string,
  adminPassword: string,
  userId: string,
): Promise<void> {
  const token = await accessTokenByApi(context.request, gatewayUrl, adminEmail, adminPassword);
  const changed = await context.request.patch(`${gatewayUrl}/api/admin/users/${userId}`, {
    headers: { authorization: `Bearer ${token}` },
    data: { role: 'AGENT' },
  });
  assert.equal(changed.status(), 200, await changed.text());
}

/**
 * A control found by its English name or by its Korean one: a Korean word left in the English shop is
 * then reported by the wording check, with all the others, rather than as a control that is missing.
 */
function either(english: string, korean: string): RegExp {
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`^(${literal(english)}|${literal(korean)})`);
}

const HANGUL = /[\uac00-\ud7a3]/;
/** Amounts read in won in either language (`money.won`): `12,900원`. */
const WON = /\d[\d,]*원/g;

/**
 * The Korean words of a screen's chrome: every visible text and its placeholders, aria-labels and
 * titles, less the data (names, messages, an order's name) and what `skip` selects.
 */
async function koreanWording(scope: Locator, data: readonly string[], skip?: string): Promise<string[]> {
  // No named functions in here: tsx would wrap them in a helper the page does not have.
  const texts = await scope.evaluate((root, skipped) => {
    const found: string[] = [];
    for (const element of [root, ...root.querySelectorAll('*')]) {
      if (!element.checkVisibility({ visibilityProperty: true })) continue;
      if (skipped && element.closest(skipped)) continue;
      for (const child of element.childNodes) {
        const text = child.nodeType === Node.TEXT_NODE ? child.nodeValue?.trim() : '';
        if (text) found.push(text);
      }
      for (const attribute of ['placeholder', 'aria-label', 'title']) {
        const value = element.getAttribute(attribute);
        if (value) found.push(`${attribute}="${value}"`);
      }
    }
    return found;
  }, skip ?? null);
  const withoutData = (text: string) =>
    data.reduce((rest, value) => rest.replaceAll(value, ''), text).replace(WON, '');
  return [...new Set(texts.filter((text) => HANGUL.test(withoutData(text))))];
}
