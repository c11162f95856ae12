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
    expect(within(card, 'order-card-paid')).toBe('카드 결제 78,000원');
    expect(within(card, 'order-refunded')).toBe('카드 환불 39,000원');
    expect(within(card, 'order-net-paid')).toBe('환불 후 카드 결제 39,000원');
    // No points paid for it: none to give back.
    expect(card.querySelector('[data-testid="order-points-back"]')).toBeNull();
    expect(card.querySelector('[data-testid="order-net-points"]')).toBeNull();
  });

  it('names them in English on an English console', async () => {
    await setLanguage('en');
    const card = await showCustomerOrders(partlyReturned);
    expect(within(card, 'order-card-paid')).toBe('Paid by card ₩78,000');
    expect(within(card, 'order-refunded')).toBe('Refunded to the card ₩39,000');
    expect(within(card, 'order-net-paid')).toBe('Paid by card after refunds ₩39,000');
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

describe("the agent console: a customer's order partly returned that points paid part of", () => {
  /**
   * A hoodie and two pairs of socks: 30,000원 less a 1,000원 coupon, 3,000P of it in points, 26,000원
   * by card. The hoodie went back: 6,500원 to the card and 750P to the points balance.
   */
  const withPoints = anOrder({
    status: 'DELIVERED',
    orderName: '오버핏 후드 외 1건',
    firstProductName: '오버핏 후드',
    itemCount: 2,
    totalQuantity: 3,
    subtotal: 30_000,
    discountAmount: 1_000,
    couponDiscount: 1_000,
    pointsUsed: 3_000,
    payableAmount: 26_000,
    refundedAmount: 6_500,
    refundedPoints: 750,
  });

  it('shows what the card paid and the points used, what came back of each, and what each kept', async () => {
    const card = await showCustomerOrders(withPoints);
    expect(within(card, 'order-total')).toBe('29,000원');
    expect(within(card, 'order-points')).toBe('포인트 3,000P 결제');
    expect(within(card, 'order-card-paid')).toBe('카드 결제 26,000원');
    expect(within(card, 'order-refunded')).toBe('카드 환불 6,500원');
    expect(within(card, 'order-points-back')).toBe('포인트 반환 750P');
    expect(within(card, 'order-net-paid')).toBe('환불 후 카드 결제 19,500원');
    expect(within(card, 'order-net-points')).toBe('환불 후 포인트 사용 2,250P');
  });

  it('says so in English', async () => {
    await setLanguage('en');
    const card = await showCustomerOrders(withPoints);
    expect(within(card, 'order-points')).toBe('Paid with points 3,000P');
    expect(within(card, 'order-card-paid')).toBe('Paid by card ₩26,000');
    expect(within(card, 'order-refunded')).toBe('Refunded to the card ₩6,500');
    expect(within(card, 'order-points-back')).toBe('Points given back 750P');
    expect(within(card, 'order-net-paid')).toBe('Paid by card after refunds ₩19,500');
    expect(within(card, 'order-net-points')).toBe('Points used after refunds 2,250P');
  });

  it('shows the points given back of an order points paid alone, and no card lines', async () => {
    const card = await showCustomerOrders({ ...paidWithPoints, refundedAmount: 0, refundedPoints: 9_500 });
    expect(within(card, 'order-total')).toBe('19,000원');
    expect(within(card, 'order-points-back')).toBe('포인트 반환 9,500P');
    expect(within(card, 'order-net-points')).toBe('환불 후 포인트 사용 9,500P');
    expect(card.querySelector('[data-testid="order-card-paid"]')).toBeNull();
    expect(card.querySelector('[data-testid="order-refunded"]')).toBeNull();
  });

  it('leaves out what it cannot know: the points back, from an order-service that does not say', async () => {
    const { refundedPoints: _unknown, ...unsaid } = withPoints;
    const card = await showCustomerOrders(unsaid);
    expect(within(card, 'order-refunded')).toBe('카드 환불 6,500원');
    expect(within(card, 'order-net-paid')).toBe('환불 후 카드 결제 19,500원');
    expect(card.querySelector('[data-testid="order-points-back"]')).toBeNull();
    expect(card.querySelector('[data-testid="order-net-points"]')).toBeNull();
  });
});

describe("the agent console: a customer's paid order they cancelled", () => {
  /** A belt at 35,000원, 2,000P of it in points and 33,000원 by card, cancelled: all of it came back. */
  const cancelled = anOrder({
    status: 'CANCELLED',
    cancelReason: 'USER_CANCELLED',
    orderName: '레더 클래식 벨트',
    firstProductName: '레더 클래식 벨트',
    subtotal: 35_000,
    pointsUsed: 2_000,
    payableAmount: 33_000,
    refundedAmount: 33_000,
    refundedPoints: 2_000,
  });

  it('shows the card refunded and the points given back, nothing kept', async () => {
    const card = await showCustomerOrders(cancelled);
    expect(within(card, 'order-total')).toBe('35,000원');
    expect(within(card, 'order-card-paid')).toBe('카드 결제 33,000원');
    expect(within(card, 'order-refunded')).toBe('카드 환불 33,000원');
    expect(within(card, 'order-points-back')).toBe('포인트 반환 2,000P');
    expect(within(card, 'order-net-paid')).toBe('환불 후 카드 결제 0원');
    expect(within(card, 'order-net-points')).toBe('환불 후 포인트 사용 0P');
  });
});

describe('the agent console: the order the conversation is about', () => {
  const newest = anOrder({
    orderId: 'a0000000-0000-4000-8000-000000000001',
    orderNumber: 'ORD-20261208-NEWEST01',
  });
  const middle = anOrder({
    orderId: 'a0000000-0000-4000-8000-000000000002',
    orderNumber: 'ORD-20261208-MIDDLE02',
  });
  const asked = anOrder({
    orderId: 'a0000000-0000-4000-8000-000000000003',
    orderNumber: 'ORD-20261208-ASKED003',
  });

  it("comes first among the customer's orders, marked, however recent (in view in the phone's short list)", async () => {
    const about = aConversation({ orderId: asked.orderId, orderNumber: asked.orderNumber });
    stubFetch({
      'GET /api/agent/conversations': () => Response.json(aPage([about])),
      [`GET /api/agent/conversations/${about.id}`]: () => Response.json(about),
      [`GET /api/chat/conversations/${about.id}/messages`]: () =>
        Response.json({ messages: [], hasMore: false, customerReadSeq: 2, agentReadSeq: 2 }),
      [`GET /api/agent/customers/${about.customerId}/orders`]: () =>
        Response.json(aPage([newest, middle, asked])),
    });
    fakeBrowserSockets();
    await signInAsAdmin();
    const page = await renderPage(
      <ChatCenter>
        <AgentConsolePage />
      </ChatCenter>,
      [`/admin/chat?tab=resolved&c=${about.id}`],
    );
    const list = await shown(() =>
      page.querySelector<HTMLElement>('[data-testid="customer-orders"]:has(> :nth-child(3))'),
    );
    const numbers = [...list.children].map((card) => card.textContent?.match(/ORD-[\w-]+/)?.[0]);
    expect(numbers).toEqual([asked.orderNumber, newest.orderNumber, middle.orderNumber]);
    expect(list.children[0]?.textContent).toContain('이 주문에 대한 문의');
  });
});
