import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessage, MessagePage } from './chat-api.ts';
import { ChatStore, mergeMessages, TYPING_TIMEOUT_MS, unreadCount } from './chat-store.ts';

const ID = '7d0c4a52-3c1e-4b8e-9a57-0f7c1e2d3b4a';

function message(
  seq: number,
  senderRole: ChatMessage['senderRole'] = 'AGENT',
  text = `m${seq}`,
): ChatMessage {
  return {
    conversationId: ID,
    seq,
    clientMessageId: `c-${seq}`,
    senderRole,
    text,
    at: '2026-12-04T10:00:00.000Z',
  };
}

function page(
  seqs: number[],
  hasMore: boolean,
  reads = { customerReadSeq: 0, agentReadSeq: 0 },
): MessagePage {
  return { messages: seqs.map((seq) => message(seq)), hasMore, ...reads };
}

describe('mergeMessages', () => {
  it('keeps one copy per seq, ascending, whatever order the runs come in', () => {
    const merged = mergeMessages(
      [message(3), message(5)],
      [message(1), message(5, 'AGENT', 'again'), message(4)],
    );
    expect(merged.map((m) => m.seq)).toEqual([1, 3, 4, 5]);
    expect(merged.at(-1)?.text).toBe('again');
  });
});

describe('ChatStore', () => {
  afterEach(() => vi.useRealTimers());

  it('puts older pages before live messages and resumes after the last seq without a gap', () => {
    const store = new ChatStore('CUSTOMER');
    store.addHistory(ID, page([4, 5, 6], true), false);
    expect(store.get(ID).hasOlder).toBe(true);
    store.apply({ type: 'message', ...message(8) });
    store.addHistory(ID, page([1, 2, 3], false), true);
    const state = store.get(ID);
    expect(state.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 8]);
    expect(state.hasOlder).toBe(false);
    // 7 is missing: a new socket asks for everything after 6.
    store.follow(ID);
    expect(store.followed()).toEqual([[ID, 6]]);
  });

  it('reads the markers of the right side', () => {
    const customer = new ChatStore('CUSTOMER');
    customer.addHistory(ID, page([1, 2], false, { customerReadSeq: 2, agentReadSeq: 1 }), false);
    expect(customer.get(ID)).toMatchObject({ myReadSeq: 2, otherReadSeq: 1 });
    customer.apply({ type: 'read', conversationId: ID, seq: 2, by: 'AGENT' });
    customer.apply({ type: 'read', conversationId: ID, seq: 1, by: 'AGENT' });
    expect(customer.get(ID).otherReadSeq).toBe(2);

    const agent = new ChatStore('AGENT');
    agent.addHistory(
      ID,
      { ...page([], false), messages: [message(1, 'CUSTOMER'), message(2, 'CUSTOMER')] },
      false,
    );
    expect(unreadCount(agent.get(ID), 'AGENT')).toBe(2);
    agent.markRead(ID, 2);
    expect(unreadCount(agent.get(ID), 'AGENT')).toBe(0);
  });

  it('shows the other side typing until their message, a stop, or a timeout', () => {
    vi.useFakeTimers();
    const store = new ChatStore('CUSTOMER');
    store.apply({ type: 'typing', conversationId: ID, typing: true, by: 'CUSTOMER' });
    expect(store.get(ID).otherTyping).toBe(false);
    store.apply({ type: 'typing', conversationId: ID, typing: true, by: 'AGENT' });
    expect(store.get(ID).otherTyping).toBe(true);
    store.apply({ type: 'message', ...message(1) });
    expect(store.get(ID).otherTyping).toBe(false);

    store.apply({ type: 'typing', conversationId: ID, typing: true, by: 'AGENT' });
    vi.advanceTimersByTime(TYPING_TIMEOUT_MS + 1);
    expect(store.get(ID).otherTyping).toBe(false);
  });

  it('follows queue, assignment and status frames', () => {
    const store = new ChatStore('CUSTOMER');
    store.apply({
      type: 'queue',
      conversationId: ID,
      position: 2,
      estimatedWaitSeconds: 120,
      agentsOnline: true,
    });
    store.apply({ type: 'status', conversationId: ID, status: 'WAITING' });
    expect(store.get(ID).queue).toEqual({ position: 2, estimatedWaitSeconds: 120, agentsOnline: true });
    store.apply({
      type: 'assigned',
      conversationId: ID,
      agentName: '박상담',
      agentId: '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b',
    });
    expect(store.get(ID)).toMatchObject({ status: 'OPEN', agentName: '박상담', queue: null });
    store.apply({ type: 'status', conversationId: ID, status: 'RESOLVED' });
    expect(store.get(ID).status).toBe('RESOLVED');
  });
});
