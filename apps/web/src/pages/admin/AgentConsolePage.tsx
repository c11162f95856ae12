import {
  Alert,
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
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { isNotFoundError } from '../../api/api-error.ts';
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
  type CustomerOrder,
  cannedAnswersQuery,
  chatQueryPrefix,
  customerOrdersQuery,
  resolveConversation,
  saveTranscript,
  transferConversation,
} from '../../chat/chat-api.ts';
import { formatDateTime, formatPoints, formatWon } from '../../lib/format.ts';
import { orderTitle } from '../../orders/order-summary.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { OrderStatusBadge } from '../../ui/badges.tsx';
import { OrderTotal } from '../orders/OrderTotal.tsx';

/** A tab per status, named by it (chat.console.status). */
const TABS = [
  { value: 'queue', status: 'WAITING' },
  { value: 'mine', status: 'OPEN' },
  { value: 'resolved', status: 'RESOLVED' },
] as const satisfies ReadonlyArray<{ value: string; status: ConversationStatus }>;
type TabValue = (typeof TABS)[number]['value'];

/** Why the chat shown a moment ago left the pane: the agent handed it over, or may no longer read it. */
type LeftNotice = { kind: 'transferred'; name: string } | { kind: 'gone' };

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
  const { t } = useTranslation();
  const { status } = useChat();
  const [params, setParams] = useSearchParams();
  const tab = (TABS.find((candidate) => candidate.value === params.get('tab'))?.value ?? 'mine') as TabValue;
  const selectedId = params.get('c');
  const phone = useMediaQuery('(max-width: 48em)', false);
  const queryClient = useQueryClient();
  const [left, setLeft] = useState<LeftNotice | null>(null);
  /** A chat being let go of: not asked for again while the address still names it. */
  const [released, setReleased] = useState<string | null>(null);
  const releasing = selectedId !== null && selectedId === released;

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
  const single = useQuery(agentConversationQuery(releasing ? null : selectedId));
  // chat-service answers 404 to an agent who no longer holds it (transferred, taken over): what
  // react-query still holds of it, or a list not yet refreshed, would show it as theirs.
  const gone = !releasing && selectedId !== null && isNotFoundError(single.error);
  const selected = releasing || gone ? null : (single.data ?? all.find((c) => c.id === selectedId) ?? null);

  const select = (id: string | null, nextTab: TabValue = tab) => {
    const next = new URLSearchParams(params);
    next.set('tab', nextTab);
    if (id) next.set('c', id);
    else next.delete('c');
    if (id) {
      setLeft(null);
      setReleased(null);
    }
    setParams(next, { replace: !id });
  };
  /**
   * The chat leaves the pane and the console stops asking for it: every frame refreshes the chat
   * queries, and chat-service would answer 404 each time. The lists are asked again (it left them).
   */
  const letGo = (id: string, why: LeftNotice) => {
    setReleased(id);
    setLeft(why);
    select(null);
    void queryClient.invalidateQueries({ queryKey: [...chatQueryPrefix, 'agent', 'conversations'] });
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per chat found gone
  useEffect(() => {
    if (gone && selectedId) letGo(selectedId, { kind: 'gone' });
  }, [gone, selectedId]);
  // Once the address no longer names it, what the cache held of it goes (opened again, it is asked anew).
  useEffect(() => {
    if (!released || released === selectedId) return;
    queryClient.removeQueries({ queryKey: agentConversationQuery(released).queryKey, exact: true });
    setReleased(null);
  }, [released, selectedId, queryClient]);

  const badges: Record<TabValue, number> = {
    queue: queue.data?.totalElements ?? 0,
    mine: open.data?.content.reduce((sum, c) => sum + c.unreadCount, 0) ?? 0,
    resolved: 0,
  };

  const list = (
    <Paper withBorder radius="md" h="100%" style={{ display: 'flex', flexDirection: 'column', minHeight: 0 }}>
      <Tabs value={tab} onChange={(value) => select(null, (value as TabValue) ?? 'mine')}>
        <Tabs.List grow>
          {TABS.map((entry) => (
            <Tabs.Tab
              key={entry.value}
              value={entry.value}
              // Narrow padding: the three fit on one row in a narrow column in either language.
              px="xs"
              rightSection={
                badges[entry.value] > 0 ? (
                  <Badge
                    size="xs"
                    circle
                    color={entry.value === 'queue' ? 'yellow' : 'red'}
                    data-testid={`tab-badge-${entry.value}`}
                  >
                    {badges[entry.value]}
                  </Badge>
                ) : null
              }
            >
              {t(`chat.console.status.${entry.status}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <ScrollArea style={{ flex: 1 }} type="auto">
        <ApiErrorAlert error={lists[tab].error} title={t('chat.console.listFailed')} />
        <Stack gap={0} role="list" aria-label={t('chat.console.list')}>
          {lists[tab].data?.content.length === 0 && (
            <Text size="sm" c="dimmed" p="md" ta="center">
              {t(`chat.console.empty.${tab}`)}
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
      onTransferred={(to) =>
        letGo(selected.id, { kind: 'transferred', name: to.assigneeName ?? t('chat.console.otherAgent') })
      }
    />
  ) : (
    <Paper withBorder radius="md" p="xl" h="100%">
      <Text c="dimmed" ta="center">
        {selectedId && !releasing ? t('chat.console.loadingOne') : t('chat.console.pick')}
      </Text>
      <ApiErrorAlert error={single.error} title={t('chat.console.loadFailed')} />
    </Paper>
  );

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap">
        <Title order={1} size="h2">
          {t('chat.console.title')}
        </Title>
        <Group gap="md">
          <Badge color={status === 'online' ? 'teal' : 'gray'} variant="dot" data-testid="agent-presence">
            {status === 'online' ? t('chat.console.online') : t('chat.console.connecting')}
          </Badge>
          <SoundSwitch />
        </Group>
      </Group>
      {left && (
        <Alert
          color={left.kind === 'transferred' ? 'teal' : 'gray'}
          withCloseButton
          closeButtonLabel={t('common.close')}
          onClose={() => setLeft(null)}
          data-testid="conversation-left"
          py="xs"
        >
          {left.kind === 'transferred'
            ? t('chat.console.transfer.done', { name: left.name })
            : t('chat.console.gone')}
        </Alert>
      )}
      {phone ? (
        <Box h="calc(100dvh - 150px)">{selected || (selectedId && !releasing) ? detail : list}</Box>
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
  const { t } = useTranslation();
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
        {last
          ? last.senderRole === 'AGENT'
            ? t('chat.console.lastMine', { text: last.text })
            : last.text
          : t('chat.console.noMessages')}
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
              {t('chat.console.queuePosition', { position: conversation.queuePosition })}
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
  onTransferred,
}: {
  conversation: ConversationView;
  onBack?: (() => void) | undefined;
  /** Handed over: the agent may no longer read it (an admin still may, but it is not theirs to answer). */
  onTransferred: (to: ConversationView) => void;
}) {
  const { t } = useTranslation();
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
  const save = useMutation({ mutationFn: () => saveTranscript(conversation) });

  const composerNotice =
    conversation.status === 'OPEN' && mine ? undefined : (
      <Group p="sm" justify="center" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
        <Text size="sm" c="dimmed">
          {conversation.status === 'RESOLVED'
            ? t('chat.console.resolvedNotice')
            : conversation.status === 'WAITING'
              ? t('chat.console.waitingNotice')
              : t('chat.console.takenBy', {
                  name: conversation.assigneeName ?? t('chat.console.otherAgent'),
                })}
        </Text>
        {/* Any agent starts a waiting chat; only an admin takes over one another agent holds. */}
        {!mine &&
          (conversation.status === 'WAITING' ||
            (conversation.status === 'OPEN' && user?.role === 'ADMIN')) && (
            <Button size="xs" onClick={() => take.mutate()} loading={take.isPending}>
              {conversation.status === 'WAITING' ? t('chat.console.start') : t('chat.console.takeOver')}
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
              {t('chat.console.back')}
            </Anchor>
          )}
          <Text fw={700}>{conversation.customerName}</Text>
          <Badge color={STATUS_COLORS[conversation.status]} variant="light" data-testid="conversation-status">
            {t(`chat.console.status.${conversation.status}`)}
          </Badge>
          {conversation.assigneeName && !mine && (
            <Text size="xs" c="dimmed">
              {t('chat.console.assignee', { name: conversation.assigneeName })}
            </Text>
          )}
        </Group>
        <Group gap="xs">
          {conversation.status === 'OPEN' && mine && (
            <>
              <TransferMenu conversation={conversation} onTransferred={onTransferred} />
              <Button
                size="xs"
                color="gray"
                variant="light"
                onClick={() => resolve.mutate()}
                loading={resolve.isPending}
              >
                {t('chat.console.resolve')}
              </Button>
            </>
          )}
          <Button
            size="xs"
            color="gray"
            variant="subtle"
            onClick={() => save.mutate()}
            loading={save.isPending}
          >
            {t('chat.console.transcript')}
          </Button>
        </Group>
      </Group>
      <ApiErrorAlert
        error={take.error ?? resolve.error ?? save.error}
        title={t('chat.console.actionFailed')}
      />
      <Box style={{ flex: 1, minHeight: 0 }}>
        <ChatThread
          conversationId={conversation.id}
          otherName={conversation.customerName}
          emptyText={t('chat.console.threadEmpty')}
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

function TransferMenu({
  conversation,
  onTransferred,
}: {
  conversation: ConversationView;
  onTransferred: (to: ConversationView) => void;
}) {
  const { t } = useTranslation();
  const { user } = useSession();
  const queryClient = useQueryClient();
  const [agentId, setAgentId] = useState<string | null>(null);
  const [opened, setOpened] = useState(false);
  const agents = useQuery({ ...agentsQuery, enabled: opened });
  const transfer = useMutation({
    mutationFn: (to: string) => transferConversation(conversation.id, to),
    // On success the page lets the chat go (and refreshes the lists): refreshing it here would ask
    // chat-service for a chat the agent may no longer read.
    onSuccess: (to) => {
      setOpened(false);
      onTransferred(to);
    },
    onError: () => queryClient.invalidateQueries({ queryKey: chatQueryPrefix }),
  });
  const options = useMemo(
    () =>
      (agents.data?.content ?? [])
        .filter((a) => a.agentId !== user?.id)
        .map((a) => ({
          value: a.agentId,
          label: t('chat.console.transfer.agent', {
            name: a.name,
            presence: a.online ? t('chat.console.transfer.online') : t('chat.console.transfer.offline'),
            count: a.openConversations,
          }),
        })),
    [agents.data, user?.id, t],
  );
  return (
    <Menu opened={opened} onChange={setOpened} position="bottom-end" width={300} closeOnItemClick={false}>
      <Menu.Target>
        <Button size="xs" variant="default">
          {t('chat.console.transfer.open')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown p="sm">
        <Stack gap="xs">
          <Select
            label={t('chat.console.transfer.to')}
            placeholder={agents.isPending ? t('common.loading') : t('chat.console.transfer.pick')}
            data={options}
            value={agentId}
            onChange={setAgentId}
            comboboxProps={{ withinPortal: false }}
            nothingFoundMessage={t('chat.console.transfer.none')}
          />
          <ApiErrorAlert error={transfer.error} title={t('chat.console.transfer.failed')} />
          <Button
            size="xs"
            disabled={!agentId}
            loading={transfer.isPending}
            onClick={() => agentId && transfer.mutate(agentId)}
          >
            {t('chat.console.transfer.submit')}
          </Button>
        </Stack>
      </Menu.Dropdown>
    </Menu>
  );
}

function CannedAnswerMenu({ onPick }: { onPick: (text: string) => void }) {
  const { t } = useTranslation();
  const answers = useQuery(cannedAnswersQuery);
  return (
    <Menu position="top-end" width={320} withinPortal>
      <Menu.Target>
        <Button variant="default" px="xs" aria-label={t('chat.console.answers.label')}>
          {t('chat.console.answers.open')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <ScrollArea.Autosize mah={300}>
          {answers.data?.content.length === 0 && <Menu.Label>{t('chat.console.answers.none')}</Menu.Label>}
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
          {t('chat.console.answers.manage')}
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
  const { t } = useTranslation();
  const { user } = useSession();
  // chat-service shows an agent a customer's orders only while their open conversation is the agent's
  // (an admin always): after it ends, or once transferred, the card says so instead of failing.
  const mayRead =
    user?.role === 'ADMIN' || (conversation.status === 'OPEN' && conversation.assigneeId === user?.id);
  const orders = useQuery({ ...customerOrdersQuery(conversation.customerId), enabled: mayRead });
  const listed = orders.data && aboutFirst(orders.data.content, conversation.orderId);
  return (
    <Card
      withBorder
      radius="md"
      padding="sm"
      h={compact ? undefined : '100%'}
      component="section"
      aria-label={t('chat.console.orders.label')}
    >
      <Text fw={700} size="sm" mb="xs">
        {t('chat.console.orders.title', { name: conversation.customerName })}
      </Text>
      {mayRead ? (
        <>
          <ApiErrorAlert error={orders.error} title={t('chat.console.orders.failed')} />
          {orders.isPending && <Skeleton h={64} radius="sm" />}
          {orders.data?.content.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('chat.console.orders.none')}
            </Text>
          )}
          <ScrollArea.Autosize mah={compact ? 220 : '100%'}>
            <Stack gap="xs" data-testid="customer-orders">
              {listed?.map((order) => (
                <Box
                  key={order.orderId}
                  p={6}
                  style={{
                    borderRadius: 6,
                    border: `1px solid var(--mantine-color-${order.orderId === conversation.orderId ? 'blue-4' : 'gray-2'})`,
                  }}
                >
                  {/* An order number is one word: a long status goes under it rather than breaking it. */}
                  <Group justify="space-between" gap={4}>
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
                    {orderTitle(order)}
                  </Text>
                  <Group justify="space-between" align="flex-start">
                    <Text size="xs" c="dimmed">
                      {formatDateTime(order.createdAt)}
                    </Text>
                    <Stack gap={0} align="flex-end">
                      <OrderTotal order={order} size="sm" />
                      <OrderRefunds order={order} />
                    </Stack>
                  </Group>
                  {order.orderId === conversation.orderId && (
                    <Text size="xs" c="blue.7">
                      {t('chat.console.orders.thisOrder')}
                    </Text>
                  )}
                </Box>
              ))}
            </Stack>
          </ScrollArea.Autosize>
        </>
      ) : (
        <Text size="sm" c="dimmed">
          {t('chat.console.orders.notYours')}
        </Text>
      )}
    </Card>
  );
}

/**
 * The order the conversation is about first, the others newest first as they came: on a phone the list
 * is a short scroll box, and the order being asked about must not start out of view.
 */
function aboutFirst(orders: CustomerOrder[], orderId: string | null): CustomerOrder[] {
  if (!orderId) return orders;
  return [...orders.filter((o) => o.orderId === orderId), ...orders.filter((o) => o.orderId !== orderId)];
}

/**
 * After a return, or a cancel of a paid order, the total is not what the customer paid: what the card
 * paid and what came back to it, what points came back to the balance, and what each part kept, so the
 * agent quotes the right amounts (the points paid are under the total). Shown once something came back. An order-service that sends
 * no refundedAmount or refundedPoints knows of no such refund, or does not say: that part is left out.
 */
function OrderRefunds({ order }: { order: CustomerOrder }) {
  const { t } = useTranslation();
  const refunded = order.refundedAmount ?? 0;
  const pointsBack = order.refundedPoints;
  if (refunded === 0 && !pointsBack) return null;
  return (
    <>
      {order.payableAmount > 0 && (
        <>
          <Text size="xs" data-testid="order-card-paid">
            {t('chat.console.orders.cardPaid', { amount: formatWon(order.payableAmount) })}
          </Text>
          {refunded > 0 && (
            <Text size="xs" c="red.7" data-testid="order-refunded">
              {t('chat.console.orders.cardRefunded', { amount: formatWon(refunded) })}
            </Text>
          )}
        </>
      )}
      {pointsBack !== undefined && pointsBack > 0 && (
        <Text size="xs" c="red.7" data-testid="order-points-back">
          {t('chat.console.orders.pointsBack', { points: formatPoints(pointsBack) })}
        </Text>
      )}
      {order.payableAmount > 0 && (
        <Text size="xs" fw={600} data-testid="order-net-paid">
          {t('chat.console.orders.netCard', { amount: formatWon(order.payableAmount - refunded) })}
        </Text>
      )}
      {pointsBack !== undefined && order.pointsUsed > 0 && (
        <Text size="xs" fw={600} data-testid="order-net-points">
          {t('chat.console.orders.netPoints', { points: formatPoints(order.pointsUsed - pointsBack) })}
        </Text>
      )}
    </>
  );
}

function SoundSwitch() {
  const { t } = useTranslation();
  const [on, setOn] = useState(soundEnabled);
  return (
    <Switch
      size="sm"
      label={t('chat.console.sound')}
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
