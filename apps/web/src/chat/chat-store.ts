import type { ChatServerFrame } from '@sagamart/contracts/http/chat';
import type {
  ChatMessage,
  ConversationStatus,
  ConversationView,
  MessagePage,
  SenderRole,
} from './chat-api.ts';

// What the page shows of each conversation, merged from REST (history pages, the conversation view)
// and the socket's frames. Immutable snapshots, so React can subscribe with useSyncExternalStore.

export interface QueueInfo {
  position: number;
  estimatedWaitSeconds: number | null;
  agentsOnline: boolean;
}

export interface ConversationState {
  /** Ascending by seq, each seq once. */
  messages: readonly ChatMessage[];
  /** Whether older messages than messages[0] exist (unknown until the first page is loaded). */
  hasOlder: boolean;
  loaded: boolean;
  status: ConversationStatus | null;
  queue: QueueInfo | null;
  agentName: string | null;
  /** The other side is typing now. */
  otherTyping: boolean;
  /** The highest seq the other side has read. */
  otherReadSeq: number;
  /** The highest seq this side has read (as the server last told us, or as we sent). */
  myReadSeq: number;
}

const EMPTY: ConversationState = {
  messages: [],
  hasOlder: false,
  loaded: false,
  status: null,
  queue: null,
  agentName: null,
  otherTyping: false,
  otherReadSeq: 0,
  myReadSeq: 0,
};

/** A typing indicator nobody renews goes out after this long (a lost `typing:false`). */
export const TYPING_TIMEOUT_MS = 6_000;

/** Merges two ascending runs of messages into one, each seq once (the later copy wins). */
export function mergeMessages(
  current: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
): readonly ChatMessage[] {
  if (incoming.length === 0) return current;
  const bySeq = new Map<number, ChatMessage>();
  for (const message of current) bySeq.set(message.seq, message);
  for (const message of incoming) bySeq.set(message.seq, message);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

export class ChatStore {
  private readonly conversations = new Map<string, ConversationState>();
  private readonly listeners = new Set<() => void>();
  private readonly typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly following = new Set<string>();

  /** `me`: which side this browser writes as (an admin answering is an AGENT). */
  constructor(readonly me: SenderRole) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get(conversationId: string): ConversationState {
    return this.conversations.get(conversationId) ?? EMPTY;
  }

  /** The conversation is shown live: a new socket resumes it (see followed()). */
  follow(conversationId: string): void {
    this.following.add(conversationId);
  }

  /** Each followed conversation with the seq to resume after. */
  followed(): Array<[conversationId: string, since: number]> {
    return [...this.following].map((id) => [id, this.lastSeq(id)]);
  }

  /** The highest seq held with no gap below it (back to the oldest loaded message); 0 when none. */
  lastSeq(conversationId: string): number {
    const { messages } = this.get(conversationId);
    let last = messages[0]?.seq ?? 0;
    for (const message of messages) {
      if (message.seq > last + 1) break;
      last = message.seq;
    }
    return last;
  }

  /** A page of history: the newest one (first load) or an older one (scrolling up). */
  addHistory(conversationId: string, page: MessagePage, older: boolean): void {
    this.update(conversationId, (state) => {
      const wasLoaded = state.loaded;
      return {
        ...state,
        messages: mergeMessages(state.messages, page.messages),
        // Only the oldest page loaded says whether there is anything before it.
        hasOlder: older || !wasLoaded ? page.hasMore : state.hasOlder,
        loaded: true,
        otherReadSeq: Math.max(state.otherReadSeq, this.otherSide(page)),
        myReadSeq: Math.max(state.myReadSeq, this.mySide(page)),
      };
    });
  }

  /** The conversation as REST answered it (status, queue, assignee). */
  addView(view: ConversationView): void {
    this.update(view.id, (state) => ({
      ...state,
      status: view.status,
      agentName: view.assigneeName,
      queue:
        view.status === 'WAITING' && view.queuePosition !== null
          ? {
              position: view.queuePosition,
              estimatedWaitSeconds: view.estimatedWaitSeconds,
              agentsOnline: view.agentsOnline,
            }
          : null,
      otherReadSeq: Math.max(
        state.otherReadSeq,
        this.me === 'CUSTOMER' ? view.agentReadSeq : view.customerReadSeq,
      ),
      myReadSeq: Math.max(state.myReadSeq, this.me === 'CUSTOMER' ? view.customerReadSeq : view.agentReadSeq),
    }));
  }

  /** This side read up to seq (sent to the server by the caller). */
  markRead(conversationId: string, seq: number): void {
    this.update(conversationId, (state) => (seq > state.myReadSeq ? { ...state, myReadSeq: seq } : state));
  }

  /** A frame from the socket (messages already deduplicated by the stream). */
  apply(frame: ChatServerFrame): void {
    switch (frame.type) {
      case 'message': {
        const { type: _, ...message } = frame;
        this.update(frame.conversationId, (state) => ({
          ...state,
          messages: mergeMessages(state.messages, [message]),
          // The other side's message ends their typing; my own message is read by me.
          otherTyping: message.senderRole === this.me ? state.otherTyping : false,
          myReadSeq:
            message.senderRole === this.me ? Math.max(state.myReadSeq, message.seq) : state.myReadSeq,
        }));
        if (message.senderRole !== this.me) this.clearTypingTimer(frame.conversationId);
        return;
      }
      case 'typing':
        if (frame.by === this.me) return;
        this.update(frame.conversationId, (state) => ({ ...state, otherTyping: frame.typing }));
        this.clearTypingTimer(frame.conversationId);
        if (frame.typing) {
          this.typingTimers.set(
            frame.conversationId,
            setTimeout(() => {
              this.update(frame.conversationId, (state) => ({ ...state, otherTyping: false }));
            }, TYPING_TIMEOUT_MS),
          );
        }
        return;
      case 'read':
        this.update(frame.conversationId, (state) =>
          frame.by === this.me
            ? { ...state, myReadSeq: Math.max(state.myReadSeq, frame.seq) }
            : { ...state, otherReadSeq: Math.max(state.otherReadSeq, frame.seq) },
        );
        return;
      case 'assigned':
        this.update(frame.conversationId, (state) => ({
          ...state,
          status: 'OPEN',
          agentName: frame.agentName,
          queue: null,
        }));
        return;
      case 'queue':
        this.update(frame.conversationId, (state) => ({
          ...state,
          queue: {
            position: frame.position,
            estimatedWaitSeconds: frame.estimatedWaitSeconds,
            agentsOnline: frame.agentsOnline,
          },
        }));
        return;
      case 'status':
        this.update(frame.conversationId, (state) => ({
          ...state,
          status: frame.status,
          queue: frame.status === 'WAITING' ? state.queue : null,
          otherTyping: frame.status === 'RESOLVED' ? false : state.otherTyping,
        }));
        return;
      default:
        return;
    }
  }

  dispose(): void {
    for (const timer of this.typingTimers.values()) clearTimeout(timer);
    this.typingTimers.clear();
    this.listeners.clear();
  }

  private otherSide(page: MessagePage): number {
    return this.me === 'CUSTOMER' ? page.agentReadSeq : page.customerReadSeq;
  }

  private mySide(page: MessagePage): number {
    return this.me === 'CUSTOMER' ? page.customerReadSeq : page.agentReadSeq;
  }

  private clearTypingTimer(conversationId: string): void {
    clearTimeout(this.typingTimers.get(conversationId));
    this.typingTimers.delete(conversationId);
  }

  private update(conversationId: string, change: (state: ConversationState) => ConversationState): void {
    const before = this.get(conversationId);
    const after = change(before);
    if (after === before) return;
    this.conversations.set(conversationId, after);
    for (const listener of this.listeners) listener();
  }
}

/** Messages of the other side this side has not read yet. */
export function unreadCount(state: ConversationState, me: SenderRole): number {
  return state.messages.filter((m) => m.senderRole !== me && m.seq > state.myReadSeq).length;
}
