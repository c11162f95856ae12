// @vitest-environment happy-dom
import type { ChatServerFrame } from '@sagamart/contracts/http/chat';
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowserSockets } from '../testing/fake-socket.ts';
import { aConversation } from '../testing/fixtures.ts';
import { cleanUpPages, renderPage, shown, stubFetch } from '../testing/page-harness.tsx';
import { signInAsShopper, signOut } from '../testing/session.ts';
import { ChatCenter } from './ChatCenter.tsx';
import { CustomerChat } from './CustomerChat.tsx';
import type { ChatMessage } from './chat-api.ts';
import { chatPanel } from './chat-panel.ts';

describe("the shopper's chat button", () => {
  afterEach(async () => {
    await cleanUpPages();
    await signOut();
  });

  it('counts the unread messages of the conversation the panel opens to, not of older ones it never shows', async () => {
    // The newest chat (about an order) ended with the agent's last words unread; an older one, which the
    // panel no longer shows (it opens the active chat, else the newest), has two unread messages too.
    const newest = aConversation({
      id: '0b9e2f4c-6a1d-4c3e-8f5a-7d2b9e4c6a18',
      orderNumber: 'ORD-20261208-K2M4P6Q8',
      lastSeq: 4,
      customerReadSeq: 3,
      unreadCount: 1,
      updatedAt: '2026-12-08T10:00:00.000Z',
    });
    const older = aConversation({ lastSeq: 5, customerReadSeq: 3, unreadCount: 2 });
    stubFetch({ 'GET /api/chat/conversations/mine': () => Response.json({ content: [newest, older] }) });
    await signInAsShopper();
    const page = await renderPage(
      <ChatCenter>
        <CustomerChat />
      </ChatCenter>,
    );

    const badge = await shown(() => page.querySelector('[data-testid="chat-unread"]'));
    expect(badge.textContent).toBe('1');
    expect(page.querySelector('button')?.getAttribute('aria-label')).toBe('상담 채팅, 새 메시지 1개');
  });

  it('stays off the checkout, where it would cover the amounts and the pay button on a phone', async () => {
    stubFetch({ 'GET /api/chat/conversations/mine': () => Response.json({ content: [] }) });
    await signInAsShopper();
    const chatButton = (page: HTMLElement) => page.querySelector('button[aria-label="상담 채팅"]');
    const shop = await renderPage(
      <ChatCenter>
        <CustomerChat />
      </ChatCenter>,
      ['/products'],
    );
    await shown(() => chatButton(shop));
    await cleanUpPages();

    const checkout = await renderPage(
      <ChatCenter>
        <p>주문/결제</p>
        <CustomerChat />
      </ChatCenter>,
      ['/checkout'],
    );
    await shown(() => checkout.querySelector('p'));
    expect(chatButton(checkout)).toBeNull();
  });

  it('sends the read mark the panel made while connecting, even if it was closed before the socket opened', async () => {
    const conversation = aConversation({ lastSeq: 4, customerReadSeq: 3, agentReadSeq: 4, unreadCount: 1 });
    const said = (seq: number, senderRole: ChatMessage['senderRole'], text: string): ChatMessage => ({
      conversationId: conversation.id,
      seq,
      clientMessageId: `m-${seq}`,
      senderRole,
      text,
      at: `2026-12-07T09:0${seq}:00.000Z`,
    });
    const history = {
      messages: [
        said(1, 'CUSTOMER', '주문한 후드 언제 오나요?'),
        said(2, 'AGENT', '확인해 보겠습니다.'),
        said(3, 'AGENT', '내일 도착 예정입니다.'),
        said(4, 'AGENT', '더 궁금한 점이 있으면 말씀해 주세요.'),
      ],
      hasMore: false,
      customerReadSeq: 3,
      agentReadSeq: 4,
    };
    stubFetch({
      'GET /api/chat/conversations/mine': () => Response.json({ content: [conversation] }),
      [`GET /api/chat/conversations/${conversation.id}/messages`]: () => Response.json(history),
    });
    const sockets = fakeBrowserSockets<ChatServerFrame>();
    await signInAsShopper();
    const page = await renderPage(
      <ChatCenter>
        <CustomerChat />
      </ChatCenter>,
    );
    const chatButton = () => page.querySelector<HTMLButtonElement>('button[aria-label^="상담 채팅"]');

    // The shopper opens the panel: the agent's last words show (and count as read) while the socket connects…
    await act(async () => (await shown(chatButton)).click());
    await shown(() => page.textContent?.includes('더 궁금한 점이 있으면 말씀해 주세요.'));
    await shown(() => sockets.created.length === 1);
    // …and closes it before the socket is open (a resolved chat keeps no socket open).
    await act(async () =>
      page.querySelector<HTMLButtonElement>('button[aria-label="상담 창 닫기"]')?.click(),
    );

    // The next socket the page opens tells chat-service, so the badge goes out.
    await act(async () => (await shown(chatButton)).click());
    await shown(() => sockets.created.length === 2);
    const socket = await act(() => sockets.openNewest());
    expect(socket.sent).toContainEqual({ type: 'read', conversationId: conversation.id, seq: 4 });
  });

  it('names the agent it is connected to once, whatever their name (the demo agent was called 상담원)', async () => {
    // The header read "상담원 상담원과 연결되었습니다.": the words added 상담원 to a name that was already that.
    const conversation = aConversation({
      id: '9a4c1e7b-2d5f-4b8a-8c3e-6f1a2b3c4d5e',
      status: 'OPEN',
      assigneeName: '상담원',
      resolvedAt: null,
    });
    stubFetch({
      'GET /api/chat/conversations/mine': () => Response.json({ content: [conversation] }),
      [`GET /api/chat/conversations/${conversation.id}/messages`]: () =>
        Response.json({ messages: [], hasMore: false, customerReadSeq: 2, agentReadSeq: 2 }),
    });
    fakeBrowserSockets<ChatServerFrame>();
    await signInAsShopper();
    const page = await renderPage(
      <ChatCenter>
        <CustomerChat />
      </ChatCenter>,
    );
    // Opened as the button (or an order's "ask about this order") opens it; it may be open already.
    await act(async () => chatPanel.open());

    const status = await shown(() => {
      const line = page.querySelector('[data-testid="chat-status"]');
      return line?.textContent?.includes('연결') && line;
    });
    expect(status.textContent).toBe('상담원 님과 연결되었습니다.');
  });
});
