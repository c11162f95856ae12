import type { ChatServerFrame } from '@sagamart/contracts/http/chat';
import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { liveSocketUrl, type StreamStatus } from '../api/live-socket.ts';
import { refetchAfterPush } from '../app/query-client.ts';
import { session } from '../auth/session.ts';
import { useSession } from '../auth/use-session.ts';
import { chatQueryPrefix, fetchMessages, type SenderRole } from './chat-api.ts';
import { clearSessionOutboxes, sessionOutbox } from './chat-outbox.ts';
import { ChatStore, type ConversationState } from './chat-store.ts';
import { ChatStream, type OutgoingMessage } from './chat-stream.ts';

interface ChatContextValue {
  me: SenderRole;
  store: ChatStore;
  stream: ChatStream | null;
  status: StreamStatus | null;
  outgoing: readonly OutgoingMessage[];
  /** Holds the socket open while at least one caller holds it (the console; an open chat panel). */
  acquire(): () => void;
  /** Listens to every frame (after the store has applied it). */
  onFrame(listener: (frame: ChatServerFrame) => void): () => void;
}

const ChatContext = createContext<ChatContextValue | null>(null);

/**
 * The chat socket of the signed-in user, opened only while something needs it: a customer's panel
 * or active conversation, an agent's console (an agent is online exactly while it is open).
 */
export function ChatCenter({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const userId = user?.id;
  const me: SenderRole = user?.role === 'USER' || !user ? 'CUSTOMER' : 'AGENT';
  const queryClient = useQueryClient();
  // biome-ignore lint/correctness/useExhaustiveDependencies: one store per signed-in user
  const store = useMemo(() => new ChatStore(me), [userId, me]);
  const [holders, setHolders] = useState(0);
  const [stream, setStream] = useState<ChatStream | null>(null);
  const [status, setStatus] = useState<StreamStatus | null>(null);
  const [outgoing, setOutgoing] = useState<readonly OutgoingMessage[]>([]);
  const listeners = useRef(new Set<(frame: ChatServerFrame) => void>());

  useEffect(() => () => store.dispose(), [store]);
  useEffect(() => {
    if (!userId) clearSessionOutboxes();
  }, [userId]);

  const active = Boolean(userId) && holders > 0;
  useEffect(() => {
    if (!active || !userId) return;
    let refresh: ReturnType<typeof setTimeout> | undefined;
    // Lists (queue, unread counts, my conversations) follow the frames, at most a few times a second.
    const refreshLists = () => {
      refresh ??= setTimeout(() => {
        refresh = undefined;
        void refetchAfterPush(queryClient, { queryKey: chatQueryPrefix });
      }, 300);
    };
    const created = new ChatStream({
      url: liveSocketUrl('chat'),
      token: () => session.getAccessToken(),
      onFrame: (frame) => {
        store.apply(frame);
        if (frame.type !== 'typing' && frame.type !== 'resumed') refreshLists();
        for (const listener of listeners.current) listener(frame);
      },
      onOutgoing: setOutgoing,
      onStatus: setStatus,
      outbox: sessionOutbox(userId),
    });
    for (const [conversationId, since] of store.followed()) {
      created.follow(conversationId, since);
      // A read mark the last stream held unsent (the panel closed while connecting) goes with this one.
      created.read(conversationId, store.get(conversationId).myReadSeq);
    }
    created.start();
    setStream(created);
    return () => {
      clearTimeout(refresh);
      created.stop();
      setStream(null);
      setStatus(null);
      setOutgoing([]);
    };
  }, [active, userId, store, queryClient]);

  const acquire = useCallback(() => {
    setHolders((n) => n + 1);
    return () => setHolders((n) => n - 1);
  }, []);
  const onFrame = useCallback((listener: (frame: ChatServerFrame) => void) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  const value = useMemo(
    () => ({ me, store, stream, status, outgoing, acquire, onFrame }),
    [me, store, stream, status, outgoing, acquire, onFrame],
  );
  return <ChatContext.Provider value={value}>{children}</ChatContext.Provider>;
}

export function useChat(): ChatContextValue {
  const value = useContext(ChatContext);
  if (!value) throw new Error('useChat outside ChatCenter');
  return value;
}

/** Keeps the chat socket open while `enabled`. */
export function useChatConnection(enabled = true): void {
  const { acquire } = useChat();
  useEffect(() => (enabled ? acquire() : undefined), [enabled, acquire]);
}

/** What the page knows of one conversation, live (null for none). */
export function useConversationState(conversationId: string | null): ConversationState | null {
  const { store } = useChat();
  return useSyncExternalStore(
    store.subscribe,
    useCallback(() => (conversationId ? store.get(conversationId) : null), [store, conversationId]),
  );
}

/**
 * One conversation: its state (re-rendered on every change), with the newest page of history loaded
 * and followed live; `loadOlder` fetches the page before the oldest shown.
 */
export function useConversation(conversationId: string | null) {
  const { store, stream } = useChat();
  const state = useConversationState(conversationId);
  const [error, setError] = useState<unknown>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);

  useEffect(() => {
    if (!conversationId) return;
    let cancelled = false;
    setError(null);
    fetchMessages(conversationId)
      .then((page) => {
        if (cancelled) return;
        store.addHistory(conversationId, page, false);
        store.follow(conversationId);
      })
      .catch((failure: unknown) => {
        if (!cancelled) setError(failure);
      });
    return () => {
      cancelled = true;
    };
  }, [conversationId, store]);

  // Follow it on this socket (a new stream re-follows everything the store follows).
  useEffect(() => {
    if (!conversationId || !stream || !state?.loaded) return;
    stream.follow(conversationId, store.lastSeq(conversationId));
  }, [conversationId, stream, state?.loaded, store]);

  const loadOlder = useCallback(async () => {
    if (!conversationId || loadingOlder) return;
    const current: ConversationState = store.get(conversationId);
    const oldest = current.messages[0]?.seq;
    if (!current.hasOlder || oldest === undefined) return;
    setLoadingOlder(true);
    try {
      store.addHistory(conversationId, await fetchMessages(conversationId, oldest), true);
    } catch (failure) {
      setError(failure);
    } finally {
      setLoadingOlder(false);
    }
  }, [conversationId, loadingOlder, store]);

  return { state, error, loadOlder, loadingOlder };
}
