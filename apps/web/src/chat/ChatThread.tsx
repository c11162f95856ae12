import { Anchor, Box, Button, Group, Loader, Stack, Text, Textarea } from '@mantine/core';
import {
  type KeyboardEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage, i18n } from '../i18n/i18n.ts';
import { formatTimeOfDay } from '../lib/format.ts';
import { ApiErrorAlert } from '../ui/ApiErrorAlert.tsx';
import { useChat, useConversation } from './ChatCenter.tsx';
import { CHAT_TEXT_MAX, type ChatMessage, codePointLength } from './chat-api.ts';
import type { OutgoingMessage } from './chat-stream.ts';

/** Send `typing:true` again this often while typing goes on (the other side drops it after 6 s). */
const TYPING_RENEW_MS = 3_000;
/** No keystroke for this long: typing stopped. */
const TYPING_IDLE_MS = 2_500;
/** Scrolled this close to the top: load the older page. */
const OLDER_THRESHOLD_PX = 48;

interface ChatThreadProps {
  conversationId: string | null;
  /** What the other side is called: 상담원 (for the customer) or the customer's name. */
  otherName: string;
  /** Shown above the messages (queue position, notices). */
  banner?: ReactNode;
  /** Sends a message; the default writes to the socket of a followed conversation. */
  onSend?: (text: string) => Promise<void> | void;
  /** Extra controls beside the send button (canned answers). */
  composerTools?: (insert: (text: string) => void) => ReactNode;
  /** Replaces the composer, e.g. for a conversation this agent cannot answer. */
  composerNotice?: ReactNode;
  emptyText: string;
}

/** The messages of one conversation, oldest first, with typing, read marks and a composer. */
export function ChatThread({
  conversationId,
  otherName,
  banner,
  onSend,
  composerTools,
  composerNotice,
  emptyText,
}: ChatThreadProps) {
  const { t } = useTranslation();
  const { me, stream, store, outgoing } = useChat();
  const { state, error, loadOlder, loadingOlder } = useConversation(conversationId);
  const messages = state?.messages ?? [];
  const pending = outgoing.filter(
    (m) =>
      m.conversationId === conversationId && !messages.some((s) => s.clientMessageId === m.clientMessageId),
  );
  const scroller = useScrollKeeper(messages, pending.length, state?.otherTyping ?? false);

  // Read marks: everything of the other side shown while the page is visible counts as read.
  const newestOther = messages.findLast((m) => m.senderRole !== me)?.seq ?? 0;
  const myReadSeq = state?.myReadSeq ?? 0;
  useEffect(() => {
    if (!conversationId || !stream || newestOther <= myReadSeq) return;
    const markRead = () => {
      if (document.visibilityState !== 'visible') return;
      stream.read(conversationId, newestOther);
      store.markRead(conversationId, newestOther);
    };
    markRead();
    document.addEventListener('visibilitychange', markRead);
    return () => document.removeEventListener('visibilitychange', markRead);
  }, [conversationId, stream, store, newestOther, myReadSeq]);

  const otherReadSeq = state?.otherReadSeq ?? 0;
  // "읽음" goes under the newest of my messages the other side has read.
  const lastReadMine = messages.findLast((m) => m.senderRole === me && m.seq <= otherReadSeq)?.seq;

  return (
    <Stack gap={0} h="100%" style={{ minHeight: 0 }}>
      {banner}
      <Box
        ref={scroller.ref}
        onScroll={(event) => {
          scroller.onScroll();
          if (event.currentTarget.scrollTop < OLDER_THRESHOLD_PX && state?.hasOlder) {
            scroller.keepPositionOnPrepend();
            void loadOlder();
          }
        }}
        px="sm"
        py="xs"
        style={{ flex: 1, overflowY: 'auto', minHeight: 0 }}
        role="log"
        aria-label={t('chat.thread.log')}
        aria-live="polite"
        data-testid="chat-messages"
      >
        {loadingOlder && (
          <Group justify="center" py={4}>
            <Loader size="xs" />
          </Group>
        )}
        {state?.hasOlder && !loadingOlder && (
          <Group justify="center" py={4}>
            <Anchor
              component="button"
              size="xs"
              onClick={() => {
                scroller.keepPositionOnPrepend();
                void loadOlder();
              }}
            >
              {t('chat.thread.older')}
            </Anchor>
          </Group>
        )}
        <ApiErrorAlert error={error} title={t('chat.thread.loadFailed')} />
        {conversationId && !state?.loaded && !error && (
          <Group justify="center" py="md">
            <Loader size="sm" />
          </Group>
        )}
        {(!conversationId || (state?.loaded && messages.length === 0)) && pending.length === 0 && (
          <Text size="sm" c="dimmed" ta="center" py="lg">
            {emptyText}
          </Text>
        )}
        <Stack gap={6}>
          {messages.map((message) => (
            <MessageBubble
              key={message.seq}
              message={message}
              mine={message.senderRole === me}
              otherName={otherName}
              read={message.seq === lastReadMine}
            />
          ))}
          {pending.map((message) => (
            <PendingBubble key={message.clientMessageId} message={message} />
          ))}
        </Stack>
        {state?.otherTyping && (
          <Text size="xs" c="dimmed" mt={6} data-testid="chat-typing">
            {t('chat.thread.typing', { name: otherName })}
          </Text>
        )}
      </Box>
      {composerNotice ?? <Composer conversationId={conversationId} onSend={onSend} tools={composerTools} />}
    </Stack>
  );
}

function MessageBubble({
  message,
  mine,
  otherName,
  read,
}: {
  message: ChatMessage;
  mine: boolean;
  otherName: string;
  read: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap={2} align={mine ? 'flex-end' : 'flex-start'} data-testid="chat-message" data-mine={mine}>
      {!mine && (
        <Text size="xs" c="dimmed">
          {otherName}
        </Text>
      )}
      <Group gap={6} align="flex-end" wrap="nowrap" style={{ flexDirection: mine ? 'row-reverse' : 'row' }}>
        <Bubble mine={mine}>{message.text}</Bubble>
        <Stack gap={0} align={mine ? 'flex-end' : 'flex-start'} style={{ flexShrink: 0 }}>
          {read && (
            <Text size="10px" c="teal.7" fw={600} data-testid="chat-read">
              {t('chat.thread.read')}
            </Text>
          )}
          <Text size="10px" c="dimmed">
            {formatTimeOfDay(new Date(message.at))}
          </Text>
        </Stack>
      </Group>
    </Stack>
  );
}

function PendingBubble({ message }: { message: OutgoingMessage }) {
  const { t } = useTranslation();
  const { stream } = useChat();
  return (
    <Stack gap={2} align="flex-end" data-testid="chat-pending">
      <Bubble mine faded>
        {message.text}
      </Bubble>
      {message.error ? (
        <Group gap={6}>
          <Text size="xs" c="red.7">
            {sendErrorText(message.error.code)}
          </Text>
          <Anchor component="button" size="xs" onClick={() => stream?.retry(message.clientMessageId)}>
            {t('chat.thread.retry')}
          </Anchor>
          <Anchor
            component="button"
            size="xs"
            c="dimmed"
            onClick={() => stream?.discard(message.clientMessageId)}
          >
            {t('chat.thread.discard')}
          </Anchor>
        </Group>
      ) : (
        <Text size="10px" c="dimmed">
          {t('chat.thread.sending')}
        </Text>
      )}
    </Stack>
  );
}

/** Why chat-service refused a message, in the reader's language (the bubble re-renders when it changes). */
function sendErrorText(code: string): string {
  switch (code) {
    case 'rate-limited':
      return i18n.t('chat.thread.refused.rateLimited');
    case 'text-too-long':
      return i18n.t('chat.thread.refused.tooLong', { max: CHAT_TEXT_MAX.toLocaleString(currentLanguage()) });
    case 'text-empty':
      return i18n.t('chat.thread.refused.empty');
    case 'not-found':
    case 'conflict':
      return i18n.t('chat.thread.refused.closed');
    default:
      return i18n.t('chat.thread.refused.other');
  }
}

function Bubble({ mine, faded = false, children }: { mine: boolean; faded?: boolean; children: string }) {
  return (
    <Box
      px="sm"
      py={6}
      style={{
        maxWidth: 'min(75vw, 420px)',
        borderRadius: 14,
        background: mine ? 'var(--mantine-color-teal-6)' : 'var(--mantine-color-gray-1)',
        color: mine ? 'white' : 'var(--mantine-color-black)',
        opacity: faded ? 0.6 : 1,
        // Text is text: React escapes it; pre-wrap keeps the writer's line breaks.
        whiteSpace: 'pre-wrap',
        overflowWrap: 'anywhere',
        fontSize: 'var(--mantine-font-size-sm)',
      }}
    >
      {children}
    </Box>
  );
}

function Composer({
  conversationId,
  onSend,
  tools,
}: {
  conversationId: string | null;
  onSend: ((text: string) => Promise<void> | void) | undefined;
  tools: ((insert: (text: string) => void) => ReactNode) | undefined;
}) {
  const { t } = useTranslation();
  const { stream } = useChat();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<unknown>(null);
  const typing = useTypingSignal(conversationId);
  const length = codePointLength(text);
  const tooLong = length > CHAT_TEXT_MAX;
  const blank = text.trim() === '';

  const submit = async () => {
    if (blank || tooLong || sending) return;
    const body = text;
    setSendError(null);
    typing.stop();
    if (onSend) {
      setSending(true);
      try {
        await onSend(body);
        setText('');
      } catch (failure) {
        setSendError(failure);
      } finally {
        setSending(false);
      }
      return;
    }
    if (!conversationId || !stream) return;
    stream.send(conversationId, body);
    setText('');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter sends, Shift+Enter is a new line; never while a Hangul syllable is still being composed.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <Box p="xs" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
      <ApiErrorAlert error={sendError} title={t('chat.thread.sendFailed')} />
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <Textarea
          aria-label={t('chat.thread.message')}
          placeholder={t('chat.thread.placeholder')}
          autosize
          minRows={1}
          maxRows={5}
          value={text}
          onChange={(event) => {
            setText(event.currentTarget.value);
            typing.keystroke(event.currentTarget.value !== '');
          }}
          onKeyDown={onKeyDown}
          onBlur={typing.stop}
          error={
            tooLong
              ? t('chat.thread.tooLong', {
                  max: CHAT_TEXT_MAX.toLocaleString(currentLanguage()),
                  length: length.toLocaleString(currentLanguage()),
                })
              : undefined
          }
          style={{ flex: 1 }}
        />
        {tools?.((inserted) => setText((current) => (current ? `${current}\n${inserted}` : inserted)))}
        <Button onClick={() => void submit()} disabled={blank || tooLong} loading={sending}>
          {t('chat.thread.send')}
        </Button>
      </Group>
    </Box>
  );
}

/** Tells the other side when typing starts, renews it while it goes on, and ends it when idle. */
function useTypingSignal(conversationId: string | null) {
  const { stream } = useChat();
  const lastSent = useRef(0);
  const idle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const stop = useCallback(() => {
    clearTimeout(idle.current);
    if (lastSent.current === 0 || !conversationId) return;
    lastSent.current = 0;
    stream?.typing(conversationId, false);
  }, [conversationId, stream]);

  const keystroke = (hasText: boolean) => {
    if (!conversationId || !stream) return;
    if (!hasText) {
      stop();
      return;
    }
    const now = Date.now();
    if (now - lastSent.current > TYPING_RENEW_MS) {
      lastSent.current = now;
      stream.typing(conversationId, true);
    }
    clearTimeout(idle.current);
    idle.current = setTimeout(stop, TYPING_IDLE_MS);
  };

  useEffect(() => stop, [stop]);
  return { keystroke, stop };
}

/**
 * Keeps the view at the newest message while the reader is there, and keeps their place when an
 * older page is put above what they are reading.
 */
function useScrollKeeper(messages: readonly ChatMessage[], pendingCount: number, typing: boolean) {
  const ref = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const fromBottom = useRef<number | null>(null);
  const shownFirst = useRef<number | undefined>(undefined);
  const first = messages[0]?.seq;
  const last = messages.at(-1)?.seq;

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the shown messages change
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    if (fromBottom.current !== null && first !== shownFirst.current) {
      element.scrollTop = element.scrollHeight - fromBottom.current;
      fromBottom.current = null;
    } else if (atBottom.current) {
      element.scrollTop = element.scrollHeight;
    }
    shownFirst.current = first;
  }, [first, last, pendingCount, typing]);

  return {
    ref,
    onScroll: () => {
      const element = ref.current;
      if (!element) return;
      atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
    },
    keepPositionOnPrepend: () => {
      const element = ref.current;
      if (element) fromBottom.current = element.scrollHeight - element.scrollTop;
    },
  };
}
