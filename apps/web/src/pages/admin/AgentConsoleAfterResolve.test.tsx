// @vitest-environment happy-dom
import type { ChatServerFrame } from '@sagamart/contracts/http/chat';
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatCenter } from '../../chat/ChatCenter.tsx';
import type { ConversationView } from '../../chat/chat-api.ts';
import { fakeBrowserSockets } from '../../testing/fake-socket.ts';
import { aConversation, aPage } from '../../testing/fixtures.ts';
import { cleanUpPages, problem, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { AGENT, signInAsAgent, signOut } from '../../testing/session.ts';
import { AgentConsolePage } from './AgentConsolePage.tsx';

// After 상담 종료 the console asked for the customer's orders once more (every chat query was
// refreshed while the page still held the conversation as open), and chat-service answered 404: an
// agent reads a customer's orders only while their open conversation is the agent's.

/**
 * chat-service for one conversation the agent holds: it answers the customer's orders while the
 * conversation is open (404 once it is not) and ends it on resolve, or when `end` is called (ended
 * elsewhere). `ordersAsked` has the conversation's status at each orders request.
 */
function serveOneConversation() {
  let conversation: ConversationView = aConversation({
    status: 'OPEN',
    assigneeId: AGENT.sub,
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
  const sockets = fakeBrowserSockets<ChatServerFrame>();
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
