// @vitest-environment happy-dom
import type { ChatServerFrame } from '@sagamart/contracts/http/chat';
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TOKEN_STORAGE_KEY } from '../../auth/token-store.ts';
import { ChatCenter } from '../../chat/ChatCenter.tsx';
import type { ConversationView } from '../../chat/chat-api.ts';
import { FakeSockets } from '../../testing/fake-socket.ts';
import { aConversation, aPage } from '../../testing/fixtures.ts';
import { cleanUpPages, problem, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { AgentConsolePage } from './AgentConsolePage.tsx';

// After 상담 종료 the console asked for the customer's orders once more (every chat query was
// refreshed while the page still held the conversation as open), and chat-service answered 404: an
// agent reads a customer's orders only while their open conversation is the agent's.

const AGENT_ID = 'e7d6c5b4-0000-4000-8000-000000000002';

/** The agent signs in as another tab would: their session appears in localStorage. */
async function signInAsAgent(): Promise<void> {
  const claims = {
    sub: AGENT_ID,
    email: 'agent@example.com',
    role: 'AGENT',
    exp: Math.floor(Date.now() / 1000) + 3600,
  };
  const payload = btoa(JSON.stringify(claims)).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '');
  const tokens = {
    accessToken: `e30.${payload}.signature`,
    expiresAt: Date.now() + 3_600_000,
    refreshAt: Date.now() + 3_000_000,
  };
  await act(async () => {
    window.dispatchEvent(
      new StorageEvent('storage', { key: TOKEN_STORAGE_KEY, newValue: JSON.stringify(tokens) }),
    );
  });
}

async function signOut(): Promise<void> {
  await act(async () => {
    window.dispatchEvent(new StorageEvent('storage', { key: TOKEN_STORAGE_KEY, newValue: null }));
  });
}

/**
 * chat-service for one conversation the agent holds: it answers the customer's orders while the
 * conversation is open (404 once it is not) and ends it on resolve, or when `end` is called (ended
 * elsewhere). `ordersAsked` has the conversation's status at each orders request.
 */
function serveOneConversation() {
  let conversation: ConversationView = aConversation({
    status: 'OPEN',
    assigneeId: AGENT_ID,
    resolvedAt: null,
  });
  const ordersAsked: string[] = [];
  const end = () => {
    conversation = { ...conversation, status: 'RESOLVED', resolvedAt: '2026-12-07T09:20:00.000Z' };
  };
  const conversationPath = `/api/agent/conversations/${conversation.id}`;
  stubFetch({
    'GET /api/agent/conversations': ({ url }) =>
      Response.json(aPage(url.searchParams.get('status') === conversation.status ? [conversation] : [])),
    [`GET ${conversationPath}`]: () => Response.json(conversation),
    [`POST ${conversationPath}/resolve`]: () => {
      end();
      return Response.json(conversation);
    },
    [`GET /api/chat/conversations/${conversation.id}/messages`]: () =>
      Response.json({ messages: [], hasMore: false, customerReadSeq: 2, agentReadSeq: 2 }),
    [`GET /api/agent/customers/${conversation.customerId}/orders`]: () => {
      ordersAsked.push(conversation.status);
      return conversation.status === 'OPEN'
        ? Response.json(aPage([]))
        : problem(404, { detail: 'No open conversation of yours with this customer' });
    },
  });
  return { conversation, ordersAsked, end };
}

/** The console showing `conversation` (open and the agent's), its orders card answered once. */
async function showConsole(conversation: ConversationView, ordersAsked: string[]) {
  const sockets = new FakeSockets<ChatServerFrame>();
  vi.stubGlobal('WebSocket', function FakeWebSocket(url: string, protocols: string[]) {
    return sockets.create(url, protocols);
  });
  // The composer's autosizing textarea listens for web fonts, which happy-dom does not have.
  if (!('fonts' in document))
    Object.defineProperty(document, 'fonts', {
      value: { addEventListener: () => {}, removeEventListener: () => {} },
      configurable: true,
    });
  await signInAsAgent();
  const page = await renderPage(
    <ChatCenter>
      <AgentConsolePage />
    </ChatCenter>,
    [`/admin/chat?tab=mine&c=${conversation.id}`],
  );
  // Open and the agent's: the orders card answers (this customer has none).
  await shown(() => page.textContent?.includes('주문 내역이 없습니다.'));
  expect(ordersAsked).toEqual(['OPEN']);
  return { page, sockets };
}

/** Shown ended, once the console has refreshed what it shows. */
async function shownEnded(page: HTMLElement) {
  await shown(() => page.querySelector('[data-testid="conversation-status"]')?.textContent === '종료');
  await shown(() =>
    page.textContent?.includes('주문 내역은 내가 맡은 상담이 진행 중일 때만 볼 수 있습니다.'),
  );
}

afterEach(async () => {
  await cleanUpPages();
  await signOut();
});

describe('the agent console after 상담 종료', () => {
  it('stops asking for the customer’s orders once the agent ends the chat', async () => {
    const { conversation, ordersAsked } = serveOneConversation();
    const { page } = await showConsole(conversation, ordersAsked);
    const endChat = await shown(() =>
      [...page.querySelectorAll('button')].find((button) => button.textContent === '상담 종료'),
    );
    await act(async () => endChat.click());

    await shownEnded(page);
    expect(ordersAsked, 'no orders request for a conversation that is no longer open').toEqual(['OPEN']);
    expect(page.textContent).not.toContain('주문을 불러오지 못했습니다');
  });

  it('stops asking when the chat is ended elsewhere and the socket says so', async () => {
    const { conversation, ordersAsked, end } = serveOneConversation();
    const { page, sockets } = await showConsole(conversation, ordersAsked);
    const socket = await act(() => sockets.openNewest());

    // An admin ended it from another console.
    end();
    await act(async () =>
      socket.deliver({ type: 'status', conversationId: conversation.id, status: 'RESOLVED' }),
    );

    await shownEnded(page);
    expect(ordersAsked, 'no orders request for a conversation that is no longer open').toEqual(['OPEN']);
    expect(page.textContent).not.toContain('주문을 불러오지 못했습니다');
  });
});
