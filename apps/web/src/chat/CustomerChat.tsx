import {
  ActionIcon,
  Alert,
  Anchor,
  Box,
  Button,
  CloseButton,
  Group,
  Indicator,
  Paper,
  Stack,
  Text,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { refetchAfterPush } from '../app/query-client.ts';
import { loginPath } from '../auth/return-to.ts';
import { useSession } from '../auth/use-session.ts';
import { i18n } from '../i18n/i18n.ts';
import { ApiErrorAlert } from '../ui/ApiErrorAlert.tsx';
import { useChat, useChatConnection, useConversationState } from './ChatCenter.tsx';
import { ChatThread } from './ChatThread.tsx';
import {
  type ConversationView,
  chatQueryPrefix,
  myConversationsQuery,
  openConversation,
  saveTranscript,
} from './chat-api.ts';
import { chatPanel, useChatPanel } from './chat-panel.ts';
import type { ConversationState } from './chat-store.ts';

const PANEL_Z = 300;
/** The button's size and its gap to the window's bottom right corner. */
const BUTTON_SIZE = 56;
const BUTTON_INSET = 16;

/**
 * Staff (agents, admins) answer in the console instead, so they do not get the button. The checkout
 * leaves it out too: on a phone it would sit over the amounts and the pay button (help is one page
 * away, and the payment pages after it have the button again).
 */
function useChatButtonShown(): boolean {
  const { user } = useSession();
  const { pathname } = useLocation();
  if (pathname.startsWith('/admin') || pathname === '/checkout') return false;
  return !user || user.role === 'USER';
}

/**
 * Room at the end of a page for the floating chat button (and a little gap above it), so the page's
 * last lines scroll clear of it instead of staying under it. Nothing where the button is not shown.
 */
export function ChatButtonRoom() {
  const shown = useChatButtonShown();
  if (!shown) return null;
  return <Box h={BUTTON_SIZE + BUTTON_INSET + 8} aria-hidden data-testid="chat-button-room" />;
}

/** The shop's help desk for customers: a button on every page and a panel with the conversation. */
export function CustomerChat() {
  const { user } = useSession();
  const panel = useChatPanel();
  if (!useChatButtonShown()) return null;
  return (
    <>
      {!panel.opened && <ChatButton signedIn={Boolean(user)} />}
      {panel.opened && (
        <ChatPanelFrame>
          {user ? <CustomerConversation orderId={panel.orderId} /> : <SignInPrompt />}
        </ChatPanelFrame>
      )}
      {/* Keeps the socket (and so the unread badge) live while a conversation is going on. */}
      {user && !panel.opened && <ActiveConversationWatcher />}
    </>
  );
}

function ChatButton({ signedIn }: { signedIn: boolean }) {
  const { t } = useTranslation();
  const mine = useQuery({ ...myConversationsQuery, enabled: signedIn });
  const unread = shownConversation(mine.data?.content ?? [], null)?.unreadCount ?? 0;
  return (
    <Box style={{ position: 'fixed', right: BUTTON_INSET, bottom: BUTTON_INSET, zIndex: PANEL_Z }}>
      <Indicator
        label={<span data-testid="chat-unread">{unread > 99 ? '99+' : unread}</span>}
        size={20}
        color="red"
        disabled={unread === 0}
        offset={6}
      >
        <ActionIcon
          size={BUTTON_SIZE}
          radius="xl"
          variant="filled"
          color="teal"
          aria-label={
            unread === 0
              ? t('chat.widget.open')
              : t(unread === 1 ? 'chat.widget.openUnreadOne' : 'chat.widget.openUnread', { count: unread })
          }
          onClick={() => chatPanel.open()}
          style={{ boxShadow: 'var(--mantine-shadow-md)' }}
        >
          <ChatIcon />
        </ActionIcon>
      </Indicator>
    </Box>
  );
}

function ActiveConversationWatcher() {
  const mine = useQuery(myConversationsQuery);
  const active = mine.data?.content.some((c) => c.status !== 'RESOLVED') ?? false;
  useChatConnection(active);
  return null;
}

/** Full screen on a phone, a floating card on wider screens. */
function ChatPanelFrame({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 36em)', true);
  return (
    <Paper
      role="dialog"
      aria-label={t('chat.widget.open')}
      shadow="xl"
      withBorder={!phone}
      radius={phone ? 0 : 'md'}
      style={{
        position: 'fixed',
        zIndex: PANEL_Z,
        display: 'flex',
        flexDirection: 'column',
        overflow: 'hidden',
        ...(phone
          ? { inset: 0, height: '100dvh' }
          : { right: 16, bottom: 16, width: 380, height: 'min(600px, calc(100dvh - 32px))' }),
      }}
    >
      <Group
        justify="space-between"
        px="sm"
        py="xs"
        wrap="nowrap"
        style={{
          borderBottom: '1px solid var(--mantine-color-gray-3)',
          background: 'var(--mantine-color-teal-0)',
        }}
      >
        <Text fw={700}>{t('chat.widget.title')}</Text>
        <CloseButton aria-label={t('chat.widget.close')} onClick={() => chatPanel.close()} />
      </Group>
      <Box style={{ flex: 1, minHeight: 0 }}>{children}</Box>
    </Paper>
  );
}

function SignInPrompt() {
  const { t } = useTranslation();
  const location = useLocation();
  return (
    <Stack p="md" gap="sm">
      <Text size="sm">{t('chat.widget.signIn')}</Text>
      <Button
        component={Link}
        to={loginPath(`${location.pathname}${location.search}`)}
        onClick={() => chatPanel.close()}
      >
        {t('nav.login')}
      </Button>
    </Stack>
  );
}

/**
 * The one conversation the panel shows: the one opened in it (about an order, or by a first message),
 * else the active one (a customer has at most one), else the newest. The badge counts this one's
 * unread messages only: the panel lists no other, so another's unread could never be read there and
 * would keep the badge lit for good.
 */
function shownConversation(
  mine: readonly ConversationView[],
  opened: ConversationView | null,
): ConversationView | null {
  return (
    (opened && (mine.find((c) => c.id === opened.id) ?? opened)) ??
    mine.find((c) => c.status !== 'RESOLVED') ??
    mine[0] ??
    null
  );
}

/** Picks what to show: the active conversation, or the newest one, or (on the first message) a new one. */
function CustomerConversation({ orderId }: { orderId: string | null }) {
  useChatConnection(true);
  const { t } = useTranslation();
  const { stream, store, status } = useChat();
  const queryClient = useQueryClient();
  const mine = useQuery(myConversationsQuery);
  const [opened, setOpened] = useState<ConversationView | null>(null);
  const [openError, setOpenError] = useState<unknown>(null);
  const askedAbout = useRef<string | null>(null);

  const view = shownConversation(mine.data?.content ?? [], opened);

  // "About this order": open (or find) the conversation linked to it right away.
  useEffect(() => {
    if (!orderId || askedAbout.current === orderId) return;
    askedAbout.current = orderId;
    openConversation(orderId)
      .then((conversation) => {
        setOpened(conversation);
        void refetchAfterPush(queryClient, { queryKey: chatQueryPrefix });
      })
      .catch(setOpenError);
  }, [orderId, queryClient]);

  useEffect(() => {
    if (view) store.addView(view);
  }, [view, store]);

  const send = async (text: string) => {
    if (!stream) throw new Error(t('chat.widget.connecting'));
    let conversationId = view?.id;
    if (!conversationId) {
      const created = await openConversation();
      setOpened(created);
      store.addView(created);
      void refetchAfterPush(queryClient, { queryKey: chatQueryPrefix });
      conversationId = created.id;
    }
    stream.send(conversationId, text);
  };

  return (
    <ChatThread
      conversationId={view?.id ?? null}
      otherName={t('chat.widget.agent')}
      emptyText={t('chat.widget.empty')}
      onSend={send}
      banner={
        <Stack gap={0}>
          {status === 'offline' && (
            <Alert color="red" variant="light" radius={0} py={6} data-testid="chat-offline">
              {t('chat.widget.offline')}
            </Alert>
          )}
          <ApiErrorAlert error={openError} title={t('chat.widget.openFailed')} />
          {view && <ConversationBanner view={view} />}
        </Stack>
      }
    />
  );
}

function ConversationBanner({ view }: { view: ConversationView }) {
  const { t } = useTranslation();
  const state = useConversationState(view.id);
  const save = useMutation({ mutationFn: () => saveTranscript(view) });
  return (
    <Stack gap={2} px="sm" py={6} style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
      {view.orderNumber && (
        <Text size="xs" c="dimmed">
          {t('chat.widget.aboutOrderBefore')}{' '}
          <Anchor component={Link} to={`/me/orders/${view.orderId}`} size="xs">
            {view.orderNumber}
          </Anchor>{' '}
          {t('chat.widget.aboutOrderAfter')}
        </Text>
      )}
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <Text size="sm" data-testid="chat-status" role="status">
          {statusLine(state)}
        </Text>
        <Anchor
          component="button"
          size="xs"
          style={{ flexShrink: 0 }}
          onClick={() => save.mutate()}
          disabled={save.isPending}
        >
          {t('chat.widget.transcript')}
        </Anchor>
      </Group>
      {save.isError && (
        <Text size="xs" c="red" role="alert">
          {t('chat.widget.transcriptFailed')}
        </Text>
      )}
    </Stack>
  );
}

/** In the reader's language: the banner re-renders when it changes (useTranslation). */
function statusLine(state: ConversationState | null): string {
  switch (state?.status) {
    case 'WAITING': {
      const queue = state.queue;
      if (queue && !queue.agentsOnline) return i18n.t('chat.status.noAgents');
      if (!queue) return i18n.t('chat.status.waiting');
      return i18n.t('chat.status.queue', {
        position: queue.position,
        wait: waitText(queue.estimatedWaitSeconds),
      });
    }
    case 'OPEN':
      return state.agentName
        ? i18n.t('chat.status.connectedTo', { name: state.agentName })
        : i18n.t('chat.status.connected');
    case 'RESOLVED':
      return i18n.t('chat.status.resolved');
    default:
      return '';
  }
}

export function waitText(seconds: number | null): string {
  if (seconds === null) return i18n.t('chat.status.waitUnknown');
  if (seconds < 60) return i18n.t('chat.status.waitSoon');
  return i18n.t('chat.status.waitMinutes', { count: Math.round(seconds / 60) });
}

function ChatIcon() {
  return (
    <svg
      width="28"
      height="28"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      aria-hidden="true"
    >
      <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.3A8 8 0 1 1 21 12z" />
    </svg>
  );
}
