// @vitest-environment happy-dom
import type { ChatServerFrame } from '@sagamart/contracts/http/chat';
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatCenter } from '../../chat/ChatCenter.tsx';
import type { ConversationView } from '../../chat/chat-api.ts';
import { setLanguage } from '../../i18n/i18n.ts';
import { fakeBrowserSockets } from '../../testing/fake-socket.ts';
import { aConversation, aPage } from '../../testing/fixtures.ts';
import { cleanUpPages, problem, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { AGENT, signInAsAgent, signOut } from '../../testing/session.ts';
import { AgentConsolePage } from './AgentConsolePage.tsx';

// After 이관 the console kept the chat open as the agent's (진행 중, 이관, 상담 종료, the composer):
// chat-service answers 404 to an agent who no longer holds it, and react-query kept the answer it had
// before. Every frame asked again (404 each time), and a message typed there could not be sent.

const ADMIN_ID = 'e7d6c5b4-0000-4000-8000-000000000009';

/**
 * chat-service for one conversation the agent holds until it is transferred (or taken) away: from
 * then on the agent reads it nowhere (404), as chat-service answers. `asked` counts the requests for it.
 */
function serveOneConversation() {
  let conversation: ConversationView = aConversation({
    status: 'OPEN',
    assigneeId: AGENT.sub,
    assigneeName: '정하은',
    resolvedAt: null,
  });
  let held = true;
  const asked = { conversation: 0, afterLosingIt: 0 };
  const loseIt = () => {
    conversation = { ...conversation, assigneeId: ADMIN_ID, assigneeName: '관리자' };
    held = false;
  };
  const conversationPath = `/api/agent/conversations/${conversation.id}`;
  stubFetch({
    'GET /api/agent/conversations': ({ url }) =>
      Response.json(
        aPage(held && url.searchParams.get('status') === conversation.status ? [conversation] : []),
      ),
    [`GET ${conversationPath}`]: () => {
      asked.conversation += 1;
      if (held) return Response.json(conversation);
      asked.afterLosingIt += 1;
      return problem(404, { detail: 'No such conversation' });
    },
    [`POST ${conversationPath}/transfer`]: () => {
      loseIt();
      return Response.json(conversation);
    },
    'GET /api/agent/agents': () =>
      Response.json({
        content: [
          { agentId: AGENT.sub, name: '정하은', role: 'AGENT', online: true, openConversations: 1 },
          { agentId: ADMIN_ID, name: '관리자', role: 'ADMIN', online: true, openConversations: 0 },
        ],
      }),
    'GET /api/agent/canned-answers': () => Response.json({ content: [] }),
    [`GET /api/chat/conversations/${conversation.id}/messages`]: () =>
      Response.json({ messages: [], hasMore: false, customerReadSeq: 2, agentReadSeq: 2 }),
    [`GET /api/agent/customers/${conversation.customerId}/orders`]: () =>
      held ? Response.json(aPage([])) : problem(404, { detail: 'Not yours' }),
  });
  return { conversation: () => conversation, asked, loseIt };
}

async function showConsole(id: string) {
  const sockets = fakeBrowserSockets<ChatServerFrame>();
  await signInAsAgent();
  const page = await renderPage(
    <ChatCenter>
      <AgentConsolePage />
    </ChatCenter>,
    [`/admin/chat?tab=mine&c=${id}`],
  );
  await shown(() => page.querySelector('textarea'));
  return { page, sockets };
}

const button = (page: HTMLElement, text: string) =>
  [...page.ownerDocument.querySelectorAll('button')].find((b) => b.textContent === text);

/** Nothing left of the chat as the agent's: no status 진행 중, no 이관 or 상담 종료, no composer. */
function expectNoLongerMine(page: HTMLElement) {
  expect(page.querySelector('textarea'), 'no composer').toBeNull();
  expect(button(page, '이관'), 'no 이관').toBeUndefined();
  expect(button(page, '상담 종료'), 'no 상담 종료').toBeUndefined();
  expect(page.querySelector('[data-testid="conversation-status"]')?.textContent).not.toBe('진행 중');
}

afterEach(async () => {
  await cleanUpPages();
  await signOut();
  await setLanguage('ko');
});

describe('the agent console after 이관', () => {
  it('lets the chat go once the agent transfers it, says to whom, and stops asking for it', async () => {
    const { conversation, asked } = serveOneConversation();
    const { page, sockets } = await showConsole(conversation().id);
    const socket = await act(() => sockets.openNewest());

    await act(async () => button(page, '이관')?.click());
    const picker = await shown(() =>
      page.ownerDocument.querySelector<HTMLInputElement>('input[placeholder="상담원 선택"]'),
    );
    await act(async () => picker.click());
    const option = await shown(() =>
      [...page.ownerDocument.querySelectorAll<HTMLElement>('[role="option"]')].find((o) =>
        o.textContent?.startsWith('관리자'),
      ),
    );
    await act(async () => option.click());
    const submit = await shown(() =>
      [...page.ownerDocument.querySelectorAll('button')].find(
        (b) => b.textContent === '이관하기' && !b.disabled,
      ),
    );
    await act(async () => submit.click());

    await shown(() => page.textContent?.includes('관리자님에게 이관했습니다.'));
    expectNoLongerMine(page);
    // Frames keep coming (the lists refresh): the chat it no longer holds is not asked for again.
    await act(async () => socket.deliver({ type: 'queue', conversationId: conversation().id } as never));
    await act(async () => new Promise((resolve) => setTimeout(resolve, 400)));
    expect(asked.afterLosingIt, 'no request for the transferred chat').toBe(0);
    expectNoLongerMine(page);
  }, 15_000);

  it('does not keep showing a chat taken away elsewhere as the agent’s own', async () => {
    const { conversation, asked, loseIt } = serveOneConversation();
    const { page, sockets } = await showConsole(conversation().id);
    const socket = await act(() => sockets.openNewest());

    // An admin took it over from another console: the socket says so, the console asks again (404).
    loseIt();
    await act(async () =>
      socket.deliver({
        type: 'assigned',
        conversationId: conversation().id,
        agentId: ADMIN_ID,
        agentName: '관리자',
        lastSeq: 2,
      } as ChatServerFrame),
    );
    await shown(() => page.textContent?.includes('이 상담은 이제 볼 수 없습니다.'));
    expectNoLongerMine(page);

    // More frames: the 404 is not asked for again and again.
    const before = asked.afterLosingIt;
    for (let i = 0; i < 3; i += 1) {
      await act(async () =>
        socket.deliver({ type: 'status', conversationId: conversation().id, status: 'OPEN' }),
      );
      await act(async () => new Promise((resolve) => setTimeout(resolve, 350)));
    }
    expect(asked.afterLosingIt - before, 'no polling of a chat the agent cannot read').toBe(0);
  }, 15_000);
});
