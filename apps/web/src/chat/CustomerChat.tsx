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
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { refetchAfterPush } from '../app/query-client.ts';
import { loginPath } from '../auth/return-to.ts';
import { useSession } from '../auth/use-session.ts';
import { ApiErrorAlert } from '../ui/ApiErrorAlert.tsx';
import { useChat, useChatConnection, useConversationState } from './ChatCenter.tsx';
import { ChatThread } from './ChatThread.tsx';
import {
  type ConversationView,
  chatQueryPrefix,
  myConversationsQuery,
  openConversation,
} from './chat-api.ts';
import { chatPanel, useChatPanel } from './chat-panel.ts';
import type { ConversationState } from './chat-store.ts';

const PANEL_Z = 300;

/**
 * The shop's help desk for customers: a button on every page and a panel with the conversation.
 * Staff (agents, admins) answer in the console instead, so they do not get the button.
 */
export function CustomerChat() {
  const { user } = useSession();
  const { pathname } = useLocation();
  const panel = useChatPanel();
  if (pathname.startsWith('/admin') || (user && user.role !== 'USER')) return null;
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
  const mine = useQuery({ ...myConversationsQuery, enabled: signedIn });
  const unread = mine.data?.content.reduce((sum, c) => sum + c.unreadCount, 0) ?? 0;
  return (
    <Box style={{ position: 'fixed', right: 16, bottom: 16, zIndex: PANEL_Z }}>
      <Indicator
        label={<span data-testid="chat-unread">{unread > 99 ? '99+' : unread}</span>}
        size={20}
        color="red"
        disabled={unread === 0}
        offset={6}
      >
        <ActionIcon
          size={56}
          radius="xl"
          variant="filled"
          color="teal"
          aria-label={unread > 0 ? `상담 채팅, 새 메시지 ${unread}개` : '상담 채팅'}
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
  const phone = useMediaQuery('(max-width: 36em)', true);
  return (
    <Paper
      role="dialog"
      aria-label="상담 채팅"
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
        <Text fw={700}>고객센터 상담</Text>
        <CloseButton aria-label="상담 창 닫기" onClick={() => chatPanel.close()} />
      </Group>
      <Box style={{ flex: 1, minHeight: 0 }}>{children}</Box>
    </Paper>
  );
}

function SignInPrompt() {
  const location = useLocation();
  return (
    <Stack p="md" gap="sm">
      <Text size="sm">로그인하면 상담원과 실시간으로 채팅할 수 있습니다.</Text>
      <Button
        component={Link}
        to={loginPath(`${location.pathname}${location.search}`)}
        onClick={() => chatPanel.close()}
      >
        로그인
      </Button>
    </Stack>
  );
}

/** Picks what to show: the active conversation, or the newest one, or (on the first message) a new one. */
function CustomerConversation({ orderId }: { orderId: string | null }) {
  useChatConnection(true);
  const { stream, store, status } = useChat();
  const queryClient = useQueryClient();
  const mine = useQuery(myConversationsQuery);
  const [opened, setOpened] = useState<ConversationView | null>(null);
  const [openError, setOpenError] = useState<unknown>(null);
  const askedAbout = useRef<string | null>(null);

  const list = mine.data?.content ?? [];
  const view =
    (opened && (list.find((c) => c.id === opened.id) ?? opened)) ??
    list.find((c) => c.status !== 'RESOLVED') ??
    list[0] ??
    null;

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
    if (!stream) throw new Error('연결하는 중입니다. 잠시 후 다시 보내 주세요.');
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
      otherName="상담원"
      emptyText="궁금한 점을 남겨 주세요. 상담원이 답변드립니다."
      onSend={send}
      banner={
        <Stack gap={0}>
          {status === 'offline' && (
            <Alert color="red" variant="light" radius={0} py={6} data-testid="chat-offline">
              연결이 끊겼습니다. 다시 연결하는 중입니다…
            </Alert>
          )}
          <ApiErrorAlert error={openError} title="상담을 시작하지 못했습니다" />
          {view && <ConversationBanner view={view} />}
        </Stack>
      }
    />
  );
}

function ConversationBanner({ view }: { view: ConversationView }) {
  const state = useConversationState(view.id);
  return (
    <Stack gap={2} px="sm" py={6} style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
      {view.orderNumber && (
        <Text size="xs" c="dimmed">
          주문{' '}
          <Anchor component={Link} to={`/me/orders/${view.orderId}`} size="xs">
            {view.orderNumber}
          </Anchor>{' '}
          관련 문의
        </Text>
      )}
      <Text size="sm" data-testid="chat-status" role="status">
        {statusLine(state)}
      </Text>
    </Stack>
  );
}

function statusLine(state: ConversationState | null): string {
  switch (state?.status) {
    case 'WAITING': {
      const queue = state.queue;
      if (queue && !queue.agentsOnline) {
        return '지금은 상담 가능한 상담원이 없습니다. 남겨 주신 메시지는 상담원이 연결되는 대로 답변드립니다.';
      }
      if (!queue) return '상담원 연결을 기다리고 있습니다.';
      return `대기 순서 ${queue.position}번째 · ${waitText(queue.estimatedWaitSeconds)}`;
    }
    case 'OPEN':
      return state.agentName ? `${state.agentName} 상담원과 연결되었습니다.` : '상담원과 연결되었습니다.';
    case 'RESOLVED':
      return '상담이 종료되었습니다. 메시지를 보내면 상담이 다시 시작됩니다.';
    default:
      return '';
  }
}

export function waitText(seconds: number | null): string {
  if (seconds === null) return '예상 대기 시간을 알 수 없습니다';
  if (seconds < 60) return '곧 연결됩니다';
  return `예상 대기 약 ${Math.round(seconds / 60)}분`;
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
