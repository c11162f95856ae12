import {
  Anchor,
  Badge,
  Box,
  Button,
  Card,
  Grid,
  Group,
  Menu,
  Paper,
  ScrollArea,
  Select,
  Skeleton,
  Stack,
  Switch,
  Tabs,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useSession } from '../../auth/use-session.ts';
import { playChime, setSoundEnabled, soundEnabled, TitleFlasher } from '../../chat/attention.ts';
import { useChat, useChatConnection } from '../../chat/ChatCenter.tsx';
import { ChatThread } from '../../chat/ChatThread.tsx';
import {
  agentConversationQuery,
  agentConversationsQuery,
  agentsQuery,
  assignConversation,
  type ConversationStatus,
  type ConversationView,
  cannedAnswersQuery,
  chatQueryPrefix,
  customerOrdersQuery,
  resolveConversation,
  transferConversation,
} from '../../chat/chat-api.ts';
import { formatDateTime, formatWon } from '../../lib/format.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { OrderStatusBadge } from '../../ui/badges.tsx';

const TABS = [
  { value: 'queue', status: 'WAITING', label: '대기' },
  { value: 'mine', status: 'OPEN', label: '진행 중' },
  { value: 'resolved', status: 'RESOLVED', label: '종료' },
] as const satisfies ReadonlyArray<{ value: string; status: ConversationStatus; label: string }>;
type TabValue = (typeof TABS)[number]['value'];

const STATUS_LABELS: Record<ConversationStatus, string> = {
  WAITING: '대기',
  OPEN: '진행 중',
  RESOLVED: '종료',
};
const STATUS_COLORS: Record<ConversationStatus, string> = {
  WAITING: 'yellow',
  OPEN: 'teal',
  RESOLVED: 'gray',
};

/**
 * The help desk: the queue, my conversations and resolved ones, the selected conversation, and the
 * customer's recent orders beside it. Holding this page open is what makes the agent "online".
 */
export function AgentConsolePage() {
  useChatConnection(true);
  useNewMessageAttention();
  const { status } = useChat();
  const [params, setParams] = useSearchParams();
  const tab = (TABS.find((t) => t.value === params.get('tab'))?.value ?? 'mine') as TabValue;
  const selectedId = params.get('c');
  const phone = useMediaQuery('(max-width: 48em)', false);

  const queue = useQuery(agentConversationsQuery('WAITING'));
  const open = useQuery(agentConversationsQuery('OPEN'));
  const resolved = useQuery(agentConversationsQuery('RESOLVED'));
  const lists = { queue, mine: open, resolved };
  const all = [
    ...(queue.data?.content ?? []),
    ...(open.data?.content ?? []),
    ...(resolved.data?.content ?? []),
  ];
  // The lists refresh on every frame; the conversation itself answers for one not (yet) in them.
  const single = useQuery(agentConversationQuery(selectedId));
  const selected = single.data ?? all.find((c) => c.id === selectedId) ?? null;

  const select = (id: string | null, nextTab: TabValue = tab) => {
    const next = new URLSearchParams(params);
    next.set('tab', nextTab);
    if (id) next.set('c', id);
    else next.delete('c');
    setParams(next, { replace: !id });
  };

  const badges: Record<TabValue, number> = {
    queue: queue.data?.totalElements ?? 0,
    mine: open.data?.content.reduce((sum, c) => sum + c.unreadCount, 0) ?? 0,
    resolved: 0,
  };

  const list = (
    <Paper withBorder radius="md" h="100%" style={{ display: 'flex', flexDirection: 'column', minHeight: 0 }}>
      <Tabs value={tab} onChange={(value) => select(null, (value as TabValue) ?? 'mine')}>
        <Tabs.List grow>
          {TABS.map((t) => (
            <Tabs.Tab
              key={t.value}
              value={t.value}
              rightSection={
                badges[t.value] > 0 ? (
                  <Badge
                    size="xs"
                    circle
                    color={t.value === 'queue' ? 'yellow' : 'red'}
                    data-testid={`tab-badge-${t.value}`}
                  >
                    {badges[t.value]}
                  </Badge>
                ) : null
              }
            >
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <ScrollArea style={{ flex: 1 }} type="auto">
        <ApiErrorAlert error={lists[tab].error} title="목록을 불러오지 못했습니다" />
        <Stack gap={0} role="list" aria-label="상담 목록">
          {lists[tab].data?.content.length === 0 && (
            <Text size="sm" c="dimmed" p="md" ta="center">
              {tab === 'queue'
                ? '대기 중인 상담이 없습니다.'
                : tab === 'mine'
                  ? '진행 중인 상담이 없습니다.'
                  : '종료된 상담이 없습니다.'}
            </Text>
          )}
          {lists[tab].data?.content.map((conversation) => (
            <ConversationRow
              key={conversation.id}
              conversation={conversation}
              selected={conversation.id === selectedId}
              onSelect={() => select(conversation.id)}
            />
          ))}
        </Stack>
      </ScrollArea>
    </Paper>
  );

  const detail = selected ? (
    <AgentConversation
      key={selected.id}
      conversation={selected}
      onBack={phone ? () => select(null) : undefined}
    />
  ) : (
    <Paper withBorder radius="md" p="xl" h="100%">
      <Text c="dimmed" ta="center">
        {selectedId ? '상담을 불러오는 중입니다…' : '왼쪽 목록에서 상담을 선택하세요.'}
      </Text>
      <ApiErrorAlert error={single.error} title="상담을 불러오지 못했습니다" />
    </Paper>
  );

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap">
        <Title order={1} size="h2">
          상담 콘솔
        </Title>
        <Group gap="md">
          <Badge color={status === 'online' ? 'teal' : 'gray'} variant="dot" data-testid="agent-presence">
            {status === 'online' ? '상담 가능' : '연결 중…'}
          </Badge>
          <SoundSwitch />
        </Group>
      </Group>
      {phone ? (
        <Box h="calc(100dvh - 150px)">{selected || selectedId ? detail : list}</Box>
      ) : (
        <Grid gap="sm" style={{ height: 'calc(100dvh - 150px)' }} styles={{ inner: { height: '100%' } }}>
          <Grid.Col span={{ base: 12, md: 4, lg: 3 }} h="100%">
            {list}
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8, lg: 9 }} h="100%">
            {detail}
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}

function ConversationRow({
  conversation,
  selected,
  onSelect,
}: {
  conversation: ConversationView;
  selected: boolean;
  onSelect: () => void;
}) {
  const last = conversation.lastMessage;
  return (
    <UnstyledButton
      role="listitem"
      onClick={onSelect}
      px="sm"
      py="xs"
      aria-current={selected || undefined}
      data-testid="conversation-row"
      style={{
        borderBottom: '1px solid var(--mantine-color-gray-2)',
        background: selected ? 'var(--mantine-color-teal-0)' : undefined,
      }}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text fw={conversation.unreadCount > 0 ? 700 : 500} size="sm" truncate>
          {conversation.customerName}
        </Text>
        <Group gap={4} wrap="nowrap">
          {conversation.unreadCount > 0 && (
            <Badge size="xs" color="red" circle data-testid="row-unread">
              {conversation.unreadCount}
            </Badge>
          )}
          <Text size="xs" c="dimmed">
            {formatDateTime(last?.at ?? conversation.updatedAt).slice(5)}
          </Text>
        </Group>
      </Group>
      <Text size="xs" c="dimmed" truncate>
        {last ? `${last.senderRole === 'AGENT' ? '나: ' : ''}${last.text}` : '아직 메시지가 없습니다'}
      </Text>
      {(conversation.orderNumber || conversation.status === 'WAITING') && (
        <Group gap={4} mt={2}>
          {conversation.orderNumber && (
            <Badge size="xs" variant="light" color="blue">
              {conversation.orderNumber}
            </Badge>
          )}
          {conversation.queuePosition !== null && (
            <Badge size="xs" variant="light" color="yellow">
              대기 {conversation.queuePosition}번
            </Badge>
          )}
        </Group>
      )}
    </UnstyledButton>
  );
}

function AgentConversation({
  conversation,
  onBack,
}: {
  conversation: ConversationView;
  onBack?: (() => void) | undefined;
}) {
  const { user } = useSession();
  const { store } = useChat();
  const queryClient = useQueryClient();
  const mine = conversation.assigneeId === user?.id;
  const refresh = () => queryClient.invalidateQueries({ queryKey: chatQueryPrefix });
  const phone = useMediaQuery('(max-width: 62em)', false);

  useEffect(() => {
    store.addView(conversation);
  }, [conversation, store]);

  const take = useMutation({ mutationFn: () => assignConversation(conversation.id), onSettled: refresh });
  const resolve = useMutation({ mutationFn: () => resolveConversation(conversation.id), onSettled: refresh });

  const composerNotice =
    conversation.status === 'OPEN' && mine ? undefined : (
      <Group p="sm" justify="center" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
        <Text size="sm" c="dimmed">
          {conversation.status === 'RESOLVED'
            ? '종료된 상담입니다. 고객이 메시지를 보내면 다시 열립니다.'
            : conversation.status === 'WAITING'
              ? '상담을 시작하면 답변할 수 있습니다.'
              : `${conversation.assigneeName ?? '다른 상담원'} 상담원이 진행 중인 상담입니다.`}
        </Text>
        {conversation.status !== 'RESOLVED' && !mine && (
          <Button size="xs" onClick={() => take.mutate()} loading={take.isPending}>
            {conversation.status === 'WAITING' ? '상담 시작' : '가져오기'}
          </Button>
        )}
      </Group>
    );

  const thread = (
    <Paper
      withBorder
      radius="md"
      h="100%"
      style={{ display: 'flex', flexDirection: 'column', minHeight: 0, overflow: 'hidden' }}
    >
      <Group
        justify="space-between"
        px="sm"
        py="xs"
        wrap="wrap"
        gap="xs"
        style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
      >
        <Group gap="xs" wrap="nowrap">
          {onBack && (
            <Anchor component="button" onClick={onBack} size="sm">
              ← 목록
            </Anchor>
          )}
          <Text fw={700}>{conversation.customerName}</Text>
          <Badge color={STATUS_COLORS[conversation.status]} variant="light" data-testid="conversation-status">
            {STATUS_LABELS[conversation.status]}
          </Badge>
          {conversation.assigneeName && !mine && (
            <Text size="xs" c="dimmed">
              담당: {conversation.assigneeName}
            </Text>
          )}
        </Group>
        {conversation.status === 'OPEN' && mine && (
          <Group gap="xs">
            <TransferMenu conversation={conversation} />
            <Button
              size="xs"
              color="gray"
              variant="light"
              onClick={() => resolve.mutate()}
              loading={resolve.isPending}
            >
              상담 종료
            </Button>
          </Group>
        )}
      </Group>
      <ApiErrorAlert error={take.error ?? resolve.error} title="처리하지 못했습니다" />
      <Box style={{ flex: 1, minHeight: 0 }}>
        <ChatThread
          conversationId={conversation.id}
          otherName={conversation.customerName}
          emptyText="아직 메시지가 없습니다."
          composerNotice={composerNotice}
          composerTools={(insert) => <CannedAnswerMenu onPick={insert} />}
        />
      </Box>
    </Paper>
  );

  if (phone) {
    return (
      <Stack h="100%" gap="sm">
        <Box style={{ flex: 1, minHeight: 0 }}>{thread}</Box>
        <CustomerOrders conversation={conversation} compact />
      </Stack>
    );
  }
  return (
    <Grid gap="sm" h="100%" styles={{ inner: { height: '100%' } }}>
      <Grid.Col span={8} h="100%">
        {thread}
      </Grid.Col>
      <Grid.Col span={4} h="100%">
        <CustomerOrders conversation={conversation} />
      </Grid.Col>
    </Grid>
  );
}

function TransferMenu({ conversation }: { conversation: ConversationView }) {
  const { user } = useSession();
  const queryClient = useQueryClient();
  const [agentId, setAgentId] = useState<string | null>(null);
  const [opened, setOpened] = useState(false);
  const agents = useQuery({ ...agentsQuery, enabled: opened });
  const transfer = useMutation({
    mutationFn: (to: string) => transferConversation(conversation.id, to),
    onSuccess: () => setOpened(false),
    onSettled: () => queryClient.invalidateQueries({ queryKey: chatQueryPrefix }),
  });
  const options = useMemo(
    () =>
      (agents.data?.content ?? [])
        .filter((a) => a.agentId !== user?.id)
        .map((a) => ({
          value: a.agentId,
          label: `${a.name} · ${a.online ? '접속 중' : '오프라인'} · 진행 ${a.openConversations}건`,
        })),
    [agents.data, user?.id],
  );
  return (
    <Menu opened={opened} onChange={setOpened} position="bottom-end" width={300} closeOnItemClick={false}>
      <Menu.Target>
        <Button size="xs" variant="default">
          이관
        </Button>
      </Menu.Target>
      <Menu.Dropdown p="sm">
        <Stack gap="xs">
          <Select
            label="넘겨받을 상담원"
            placeholder={agents.isPending ? '불러오는 중…' : '상담원 선택'}
            data={options}
            value={agentId}
            onChange={setAgentId}
            comboboxProps={{ withinPortal: false }}
            nothingFoundMessage="다른 상담원이 없습니다"
          />
          <ApiErrorAlert error={transfer.error} title="이관하지 못했습니다" />
          <Button
            size="xs"
            disabled={!agentId}
            loading={transfer.isPending}
            onClick={() => agentId && transfer.mutate(agentId)}
          >
            이관하기
          </Button>
        </Stack>
      </Menu.Dropdown>
    </Menu>
  );
}

function CannedAnswerMenu({ onPick }: { onPick: (text: string) => void }) {
  const answers = useQuery(cannedAnswersQuery);
  return (
    <Menu position="top-end" width={320} withinPortal>
      <Menu.Target>
        <Button variant="default" px="xs" aria-label="자주 쓰는 답변">
          답변
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <ScrollArea.Autosize mah={300}>
          {answers.data?.content.length === 0 && <Menu.Label>등록된 답변이 없습니다.</Menu.Label>}
          {answers.data?.content.map((answer) => (
            <Menu.Item key={answer.id} onClick={() => onPick(answer.content)}>
              <Text size="xs" c="dimmed">
                /{answer.shortCode}
              </Text>
              <Text size="sm" lineClamp={2}>
                {answer.content}
              </Text>
            </Menu.Item>
          ))}
        </ScrollArea.Autosize>
        <Menu.Divider />
        <Menu.Item component={Link} to="/admin/chat-answers">
          답변 관리
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

function CustomerOrders({
  conversation,
  compact = false,
}: {
  conversation: ConversationView;
  compact?: boolean;
}) {
  const { user } = useSession();
  const orders = useQuery(customerOrdersQuery(conversation.customerId));
  return (
    <Card
      withBorder
      radius="md"
      padding="sm"
      h={compact ? undefined : '100%'}
      component="section"
      aria-label="고객의 최근 주문"
    >
      <Text fw={700} size="sm" mb="xs">
        {conversation.customerName}님의 최근 주문
      </Text>
      <ApiErrorAlert error={orders.error} title="주문을 불러오지 못했습니다" />
      {orders.isPending && <Skeleton h={64} radius="sm" />}
      {orders.data?.content.length === 0 && (
        <Text size="sm" c="dimmed">
          주문 내역이 없습니다.
        </Text>
      )}
      <ScrollArea.Autosize mah={compact ? 220 : '100%'}>
        <Stack gap="xs" data-testid="customer-orders">
          {orders.data?.content.map((order) => (
            <Box
              key={order.orderId}
              p={6}
              style={{
                borderRadius: 6,
                border: `1px solid var(--mantine-color-${order.orderId === conversation.orderId ? 'blue-4' : 'gray-2'})`,
              }}
            >
              <Group justify="space-between" wrap="nowrap" gap={4}>
                {user?.role === 'ADMIN' ? (
                  <Anchor component={Link} to={`/admin/orders/${order.orderId}`} size="xs" fw={600}>
                    {order.orderNumber}
                  </Anchor>
                ) : (
                  <Text size="xs" fw={600}>
                    {order.orderNumber}
                  </Text>
                )}
                <OrderStatusBadge status={order.status} />
              </Group>
              <Text size="sm" truncate>
                {order.orderName}
              </Text>
              <Group justify="space-between">
                <Text size="xs" c="dimmed">
                  {formatDateTime(order.createdAt)}
                </Text>
                <Text size="sm" fw={600}>
                  {formatWon(order.payableAmount)}
                </Text>
              </Group>
              {order.orderId === conversation.orderId && (
                <Text size="xs" c="blue.7">
                  이 주문에 대한 문의
                </Text>
              )}
            </Box>
          ))}
        </Stack>
      </ScrollArea.Autosize>
    </Card>
  );
}

function SoundSwitch() {
  const [on, setOn] = useState(soundEnabled);
  return (
    <Switch
      size="sm"
      label="알림음"
      checked={on}
      onChange={(event) => {
        setOn(event.currentTarget.checked);
        setSoundEnabled(event.currentTarget.checked);
        if (event.currentTarget.checked) playChime();
      }}
    />
  );
}

/** A customer's new message while the agent looks elsewhere: the title flashes (and a chime, if on). */
function useNewMessageAttention() {
  const { onFrame } = useChat();
  useEffect(() => {
    const flasher = new TitleFlasher();
    const unsubscribe = onFrame((frame) => {
      if (frame.type !== 'message' || frame.senderRole !== 'CUSTOMER') return;
      if (document.visibilityState !== 'visible' || !document.hasFocus()) flasher.notify();
      if (soundEnabled()) playChime();
    });
    return () => {
      unsubscribe();
      flasher.stop();
    };
  }, [onFrame]);
}
