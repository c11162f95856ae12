// chat-service's REST side (/api/chat for customers, /api/agent for the console). Shapes are the
// server's schemas, imported as types only.
import type * as chat from '@sagamart/contracts/http/chat';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { Page } from '../api/page.ts';
import { serverEnum } from '../api/server-enum.ts';
import { currentLanguage } from '../i18n/i18n.ts';
import { saveText } from '../lib/save-text.ts';

export type ConversationView = chat.ConversationView;
export type ConversationStatus = chat.ConversationStatus;
export type ChatMessage = chat.ChatMessage;
export type MessagePage = chat.MessagePage;
export type SenderRole = chat.SenderRole;
export type CannedAnswer = chat.CannedAnswer;
export type CannedAnswerBody = chat.CannedAnswerBody;
export type AgentView = chat.AgentView;
export type CustomerOrder = chat.CustomerOrder;

export const CONVERSATION_STATUSES = serverEnum<ConversationStatus>()(['WAITING', 'OPEN', 'RESOLVED']);
/** The server counts code points (CHAT_TEXT_MAX_CODE_POINTS). */
export const CHAT_TEXT_MAX = 2_000;
export const HISTORY_PAGE_SIZE = 50;

/** Every chat query starts with this, so a live frame can refresh them all at once. */
export const chatQueryPrefix = ['chat'] as const;

// ---- customer ----

export const myConversationsQuery = queryOptions({
  queryKey: [...chatQueryPrefix, 'mine'],
  queryFn: ({ signal }) => api.get<chat.MyConversations>('/api/chat/conversations/mine', { signal }),
});

/** Opens a conversation (or answers the active one), optionally about one of my orders. */
export function openConversation(orderId?: string): Promise<ConversationView> {
  const body: chat.OpenConversationBody = orderId ? { orderId } : {};
  return api.post<ConversationView>('/api/chat/conversations', body);
}

/** One page of history, ascending; `before` asks for the page older than that seq. */
export function fetchMessages(conversationId: string, before?: number): Promise<MessagePage> {
  return api.get<MessagePage>(`/api/chat/conversations/${encodeURIComponent(conversationId)}/messages`, {
    query: { before, limit: HISTORY_PAGE_SIZE },
  });
}

/**
 * Saves the conversation as a text file, its own words in the reader's language (the messages stay
 * as written). The customer saves their own; agents and admins those they may read.
 */
export async function saveTranscript(
  conversation: Pick<ConversationView, 'id' | 'createdAt'>,
): Promise<void> {
  const text = await api.get<string>(
    `/api/chat/conversations/${encodeURIComponent(conversation.id)}/transcript`,
    { query: { lang: currentLanguage() } },
  );
  saveText(text, `chat-${conversation.createdAt.slice(0, 10)}.txt`);
}

// ---- agent console ----

export const AGENT_LIST_SIZE = 50;

export function agentConversationsQuery(status: ConversationStatus) {
  return queryOptions({
    queryKey: [...chatQueryPrefix, 'agent', 'conversations', status],
    queryFn: ({ signal }) =>
      api.get<Page<ConversationView>>('/api/agent/conversations', {
        query: { status, page: 0, size: AGENT_LIST_SIZE },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

const conversationPath = (id: string) => `/api/agent/conversations/${encodeURIComponent(id)}`;

/** One conversation the console shows (a link to it, or one that left the lists loaded). */
export function agentConversationQuery(id: string | null) {
  return queryOptions({
    queryKey: [...chatQueryPrefix, 'agent', 'conversation', id],
    queryFn: ({ signal }) => api.get<ConversationView>(conversationPath(id ?? ''), { signal }),
    enabled: id !== null,
  });
}

/** Takes a waiting conversation (no agentId) or assigns it to someone. */
export function assignConversation(id: string, agentId?: string): Promise<ConversationView> {
  const body: chat.AssignBody = agentId ? { agentId } : {};
  return api.post<ConversationView>(`${conversationPath(id)}/assign`, body);
}

export function transferConversation(id: string, agentId: string): Promise<ConversationView> {
  const body: chat.TransferBody = { agentId };
  return api.post<ConversationView>(`${conversationPath(id)}/transfer`, body);
}

export function resolveConversation(id: string): Promise<ConversationView> {
  return api.post<ConversationView>(`${conversationPath(id)}/resolve`);
}

export const agentsQuery = queryOptions({
  queryKey: [...chatQueryPrefix, 'agent', 'agents'],
  queryFn: ({ signal }) => api.get<chat.AgentList>('/api/agent/agents', { signal }),
});

/**
 * The orders of the customer an agent is talking to. Not under chatQueryPrefix on purpose: a frame or
 * an action (resolve, transfer) refreshes every chat query while the page still holds the
 * conversation as the agent's, and chat-service answers 404 to an agent no longer holding it. The
 * console asks only while it may read them (and again each time it shows the conversation).
 */
export function customerOrdersQuery(userId: string) {
  return queryOptions({
    queryKey: ['agent', 'customer-orders', userId],
    queryFn: ({ signal }) =>
      api.get<Page<CustomerOrder>>(`/api/agent/customers/${encodeURIComponent(userId)}/orders`, {
        query: { page: 0, size: 5 },
        signal,
      }),
  });
}

export const cannedAnswersQuery = queryOptions({
  queryKey: [...chatQueryPrefix, 'agent', 'canned-answers'],
  queryFn: ({ signal }) => api.get<chat.CannedAnswerList>('/api/agent/canned-answers', { signal }),
  staleTime: 60_000,
});

export function saveCannedAnswer(body: CannedAnswerBody, id?: number): Promise<CannedAnswer> {
  return id === undefined
    ? api.post<CannedAnswer>('/api/agent/canned-answers', body)
    : api.put<CannedAnswer>(`/api/agent/canned-answers/${id}`, body);
}

export function deleteCannedAnswer(id: number): Promise<void> {
  return api.delete<void>(`/api/agent/canned-answers/${id}`);
}

/** Code points, as the server counts them (a Hangul syllable is one, an emoji may be two UTF-16 units). */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}
