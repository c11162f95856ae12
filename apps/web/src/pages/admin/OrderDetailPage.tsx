import { Anchor, Badge, Button, Group, Skeleton, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import {
  ADMIN_MEMO_MAX_LENGTH,
  type AdminOrder,
  adminCancelOrder,
  adminOrderQuery,
  adminOrdersQueryPrefix,
  CANCEL_REASON_MAX_LENGTH,
  type SagaView,
  setAdminMemo,
} from '../../admin-orders/admin-orders-api.ts';
import { cancelReasonLabel } from '../../i18n/labels.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { OrderStatusBadge } from '../../ui/badges.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { OrderSections, Section } from '../orders/OrderSections.tsx';
import { BuyerLink } from './BuyerLink.tsx';
import type { ListLocationState } from './ListSearchBox.tsx';

export function OrderDetailPage() {
  const id = useParams().id ?? '';
  const listSearch = (useLocation().state as ListLocationState | null)?.listSearch ?? '';
  const order = useQuery(adminOrderQuery(id));

  return (
    <Stack gap="lg">
      <Anchor component={Link} to={`/admin/orders${listSearch}`} size="sm">
        ← Back to orders
      </Anchor>
      {order.isPending && <Skeleton h={320} />}
      {order.isError && <ApiErrorAlert error={order.error} onRetry={() => void order.refetch()} />}
      {order.data && (
        <>
          <OrderHeader order={order.data} />
          <OrderSections
            admin
            order={order.data}
            aside={
              <>
                {/* Keyed by the saved memo so the box starts again from the server's value. */}
                <MemoForm key={order.data.adminMemo ?? ''} order={order.data} />
                <SagaCard saga={order.data.saga} />
              </>
            }
          />
        </>
      )}
    </Stack>
  );
}

function useUpdateOrder(order: AdminOrder) {
  const queryClient = useQueryClient();
  return async (updated: AdminOrder) => {
    queryClient.setQueryData(adminOrderQuery(order.orderId).queryKey, updated);
    await queryClient.invalidateQueries({ queryKey: [...adminOrdersQueryPrefix, 'list'] });
  };
}

function OrderHeader({ order }: { order: AdminOrder }) {
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const update = useUpdateOrder(order);
  const cancel = useMutation({
    mutationFn: () => adminCancelOrder(order.orderId, reason.trim()),
    onSuccess: async (updated) => {
      setConfirming(false);
      await update(updated);
      notifications.show({ color: 'teal', message: `Order ${order.orderNumber} cancelled.` });
    },
    onError: () => setConfirming(false),
  });

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="sm">
            <Title order={1} size="h2">
              Order {order.orderNumber}
            </Title>
            <OrderStatusBadge status={order.status} />
          </Group>
          <Text c="dimmed" size="sm">
            {order.orderName} · ordered {formatDateTime(order.createdAt)} by{' '}
            <BuyerLink userId={order.userId} buyer={order.buyer} />
          </Text>
          {order.status === 'CANCELLED' && (
            <Text size="sm" c="red.7" mt={4}>
              {cancelReasonLabel(order.cancelReason)}
              {order.cancelNote && ` · Reason: ${order.cancelNote}`}
            </Text>
          )}
        </div>
        {order.cancellable && (
          <Button color="red" variant="light" onClick={() => setConfirming(true)}>
            Cancel order
          </Button>
        )}
      </Group>
      <ApiErrorAlert error={cancel.error} title="Could not cancel the order" />
      <ConfirmDialog
        opened={confirming}
        title={`Cancel ${order.orderNumber}?`}
        confirmLabel="Cancel order"
        danger
        loading={cancel.isPending}
        confirmDisabled={reason.trim() === '' || reason.length > CANCEL_REASON_MAX_LENGTH}
        onConfirm={() => cancel.mutate()}
        onClose={() => setConfirming(false)}
      >
        <Stack gap="sm">
          <Text size="sm">
            The shopper sees it cancelled by the shop, with your reason. Stock, coupon and points are released
            {order.status === 'PAID' ? ', and the payment is refunded through the PG.' : '.'}
          </Text>
          <Textarea
            label="Reason (shown to the shopper)"
            placeholder="예: 주문하신 상품이 입고되지 않아 취소합니다."
            required
            autosize
            minRows={2}
            maxLength={CANCEL_REASON_MAX_LENGTH}
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            data-autofocus
          />
        </Stack>
      </ConfirmDialog>
    </Stack>
  );
}

function MemoForm({ order }: { order: AdminOrder }) {
  const [memo, setMemo] = useState(order.adminMemo ?? '');
  const update = useUpdateOrder(order);
  const save = useMutation({
    mutationFn: () => setAdminMemo(order.orderId, memo.trim()),
    onSuccess: async (updated) => {
      await update(updated);
      notifications.show({ color: 'teal', message: 'Memo saved.' });
    },
  });
  const unchanged = memo.trim() === (order.adminMemo ?? '');
  const tooLong = memo.length > ADMIN_MEMO_MAX_LENGTH;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!unchanged && !tooLong) save.mutate();
  };

  return (
    <Section id="admin-memo" title="Admin memo">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <ApiErrorAlert error={save.error} title="Could not save the memo" />
          <Textarea
            label="Memo"
            description="Only admins see it; empty clears it."
            autosize
            minRows={3}
            value={memo}
            onChange={(event) => setMemo(event.currentTarget.value)}
            error={tooLong ? `At most ${ADMIN_MEMO_MAX_LENGTH} characters.` : undefined}
          />
          <Group>
            <Button type="submit" size="xs" disabled={unchanged || tooLong} loading={save.isPending}>
              Save memo
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

const OUTCOME_COLORS = { DONE: 'teal.7', REFUSED: 'orange.7', FAILED: 'red.7' } as const;
/** Invoke (reserve, commit, payment) against compensate: the workflow's two directions. */
const ACTION_COLORS = { reserve: 'blue', commit: 'teal', pay: 'grape', compensate: 'orange' } as const;

function SagaCard({ saga }: { saga: SagaView }) {
  return (
    <Section id="saga" title="Saga">
      <Stack gap="xs">
        <Group gap="xs">
          <Badge variant="light">{saga.phase}</Badge>
          <Text size="sm" c="dimmed">
            since {formatDateTime(saga.phaseSince)}
          </Text>
        </Group>
        <Text size="sm">Steps: {saga.steps.join(' → ') || '—'}</Text>
        {saga.current && (
          <Text size="sm">
            Next: {saga.current.kind} {saga.current.step} (attempt {saga.attempts + 1}, at{' '}
            {formatDateTime(saga.nextAttemptAt)})
          </Text>
        )}
        {saga.lastError && (
          <Text size="sm" c="red.7">
            Last error: {saga.lastError}
          </Text>
        )}
        {saga.log.length > 0 && (
          <Table verticalSpacing={4} fz="xs" aria-label="Saga timeline">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Step</Table.Th>
                <Table.Th>Outcome</Table.Th>
                <Table.Th ta="right">Took</Table.Th>
                <Table.Th>At</Table.Th>
                <Table.Th>Trace</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {saga.log.map((entry, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the log is append-only and has no id
                <Table.Tr key={index} data-action={entry.action}>
                  <Table.Td>
                    <Badge size="xs" variant="light" color={ACTION_COLORS[entry.action]} mr={6}>
                      {entry.action === 'compensate'
                        ? 'compensate'
                        : entry.action === 'pay'
                          ? 'payment'
                          : entry.action}
                    </Badge>
                    {entry.step}
                    {entry.attempt > 1 && (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        (attempt {entry.attempt})
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text span size="xs" fw={700} c={OUTCOME_COLORS[entry.outcome]}>
                      {entry.outcome}
                    </Text>
                    {entry.detail && (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        {entry.detail}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{entry.durationMs === null ? '—' : `${entry.durationMs} ms`}</Table.Td>
                  <Table.Td>{formatDateTime(entry.at)}</Table.Td>
                  <Table.Td>
                    {entry.traceId ? (
                      <Anchor component={Link} to={`/admin/traces/${entry.traceId}`} size="xs">
                        trace
                      </Anchor>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Section>
  );
}
