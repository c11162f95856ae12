// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TOKEN_STORAGE_KEY } from '../../auth/token-store.ts';
import { ChatCenter } from '../../chat/ChatCenter.tsx';
import { setLanguage } from '../../i18n/i18n.ts';
import { FakeSockets } from '../../testing/fake-socket.ts';
import { aConversation, anOrder, aPage } from '../../testing/fixtures.ts';
import { cleanUpPages, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { AgentConsolePage } from './AgentConsolePage.tsx';

/** An admin signs in as another tab would (an admin may read any customer's orders). */
async function session(role: 'ADMIN' | null): Promise<void> {
  const claims = {
    sub: 'e7d6c5b4-0000-4000-8000-000000000009',
    email: 'admin@sagamart.dev',
    role,
    exp: Math.floor(Date.now() / 1000) + 3600,
  };
  const payload = btoa(JSON.stringify(claims)).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '');
  const tokens = { accessToken: `e30.${payload}.signature`, expiresAt: Date.now() + 3_600_000 };
  await act(async () => {
    window.dispatchEvent(
      new StorageEvent('storage', {
        key: TOKEN_STORAGE_KEY,
        newValue: role ? JSON.stringify({ ...tokens, refreshAt: Date.now() + 3_000_000 }) : null,
      }),
    );
  });
}

const conversation = aConversation();
/** The customer's 19,000원 order of a sweatshirt and chinos, paid with points alone. */
const paidWithPoints = anOrder({
  status: 'DELIVERED',
  orderName: '오버핏 크루넥 맨투맨 외 1건',
  firstProductName: '오버핏 크루넥 맨투맨',
  itemCount: 2,
  subtotal: 19_000,
  pointsUsed: 19_000,
  payableAmount: 0,
});

async function showCustomerOrders(): Promise<HTMLElement> {
  stubFetch({
    'GET /api/agent/conversations': () => Response.json(aPage([conversation])),
    [`GET /api/agent/conversations/${conversation.id}`]: () => Response.json(conversation),
    [`GET /api/chat/conversations/${conversation.id}/messages`]: () =>
      Response.json({ messages: [], hasMore: false, customerReadSeq: 2, agentReadSeq: 2 }),
    [`GET /api/agent/customers/${conversation.customerId}/orders`]: () =>
      Response.json(aPage([paidWithPoints])),
  });
  const sockets = new FakeSockets();
  vi.stubGlobal('WebSocket', function FakeWebSocket(url: string, protocols: string[]) {
    return sockets.create(url, protocols);
  });
  // The composer's autosizing textarea listens for web fonts, which happy-dom does not have.
  if (!('fonts' in document))
    Object.defineProperty(document, 'fonts', {
      value: { addEventListener: () => {}, removeEventListener: () => {} },
      configurable: true,
    });
  await session('ADMIN');
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
  await session(null);
  await setLanguage('ko');
});

describe("the agent console: a customer's order paid with points", () => {
  it('shows what it cost and that points paid it, not 0원', async () => {
    const card = await showCustomerOrders();
    expect(within(card, 'order-total')).toBe('19,000원');
    expect(within(card, 'order-points')).toBe('포인트 19,000원 결제');
    expect(card.textContent).toContain('오버핏 크루넥 맨투맨 외 1건');
  });

  it('names it in English on an English console', async () => {
    await setLanguage('en');
    const card = await showCustomerOrders();
    expect(within(card, 'order-points')).toBe('Paid with points ₩19,000');
    expect(card.textContent).toContain('오버핏 크루넥 맨투맨 and 1 more');
  });
});
