// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { ChatCenter } from '../../chat/ChatCenter.tsx';
import type { CustomerOrder } from '../../chat/chat-api.ts';
import { setLanguage } from '../../i18n/i18n.ts';
import { fakeBrowserSockets } from '../../testing/fake-socket.ts';
import { aConversation, anOrder, anOrderPaidWithPoints, aPage } from '../../testing/fixtures.ts';
import { cleanUpPages, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { signInAsAdmin, signOut } from '../../testing/session.ts';
import { AgentConsolePage } from './AgentConsolePage.tsx';

const conversation = aConversation();
/** The customer's 19,000원 order of a sweatshirt and chinos, paid with points alone. */
const paidWithPoints = anOrderPaidWithPoints();

/** Two hoodies at 39,000원, one sent back: the PG gave 39,000원 of the 78,000원 back. */
const partlyReturned = anOrder({
  status: 'DELIVERED',
  orderName: '오버핏 후드',
  totalQuantity: 2,
  subtotal: 78_000,
  payableAmount: 78_000,
  refundedAmount: 39_000,
});

async function showCustomerOrders(order: CustomerOrder = paidWithPoints): Promise<HTMLElement> {
  stubFetch({
    'GET /api/agent/conversations': () => Response.json(aPage([conversation])),
    [`GET /api/agent/conversations/${conversation.id}`]: () => Response.json(conversation),
    [`GET /api/chat/conversations/${conversation.id}/messages`]: () =>
      Response.json({ messages: [], hasMore: false, customerReadSeq: 2, agentReadSeq: 2 }),
    [`GET /api/agent/customers/${conversation.customerId}/orders`]: () => Response.json(aPage([order])),
  });
  fakeBrowserSockets();
  // An admin may read any customer's orders.
  await signInAsAdmin();
  const page = await renderPage(
    <ChatCenter>
      <AgentConsolePage />
    </ChatCenter>,
    [`/admin/chat?tab=resolved&c=${conversation.id}`],
  );
  return shown(() => page.querySelector<HTMLElement>('[data-testid="customer-orders"] > *'));
}

const within = (card: HTMLElement, testId: string) =>
  card.querySelector(`[data-testid="${testId}"]`)?.textContent;

afterEach(async () => {
  await cleanUpPages();
  await signOut();
  await setLanguage('ko');
});

describe("the agent console: a customer's order paid with points", () => {
  it('shows what it cost and that points paid it, not 0원', async () => {
    const card = await showCustomerOrders();
    expect(within(card, 'order-total')).toBe('19,000원');
    expect(within(card, 'order-total-label')).toBe('주문 금액');
    expect(within(card, 'order-points')).toBe('포인트 19,000P 결제');
    expect(card.textContent).toContain('오버핏 크루넥 맨투맨 외 1건');
  });

  it('names it in English on an English console', async () => {
    await setLanguage('en');
    const card = await showCustomerOrders();
    expect(within(card, 'order-total-label')).toBe('Order total');
    expect(within(card, 'order-points')).toBe('Paid with points 19,000P');
    expect(card.textContent).toContain('오버핏 크루넥 맨투맨 and 1 more');
  });
});

describe("the agent console: a customer's order partly returned", () => {
  it('shows what was refunded and what the customer paid after it, beside the order total', async () => {
    const card = await showCustomerOrders(partlyReturned);
    expect(within(card, 'order-total')).toBe('78,000원');
    expect(within(card, 'order-refunded')).toBe('환불된 금액 39,000원');
    expect(within(card, 'order-net-paid')).toBe('환불 후 결제 금액 39,000원');
  });

  it('names them in English on an English console', async () => {
    await setLanguage('en');
    const card = await showCustomerOrders(partlyReturned);
    expect(within(card, 'order-refunded')).toBe('Refunded ₩39,000');
    expect(within(card, 'order-net-paid')).toBe('Paid after refunds ₩39,000');
  });

  it('shows no refund for an order nothing was refunded of, or from an order-service that does not say', async () => {
    const { refundedAmount: _unknown, ...unsaid } = partlyReturned;
    for (const order of [{ ...partlyReturned, refundedAmount: 0 }, unsaid]) {
      const card = await showCustomerOrders(order);
      expect(within(card, 'order-total')).toBe('78,000원');
      expect(card.querySelector('[data-testid="order-refunded"]')).toBeNull();
      expect(card.querySelector('[data-testid="order-net-paid"]')).toBeNull();
      await cleanUpPages();
    }
  });
});
