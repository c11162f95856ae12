import { Anchor, Badge, Button, Group, Skeleton, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
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
import { adminCancelRefusal } from '../../admin-orders/cancel-refusal.ts';
import { sagaCallLabel } from '../../admin-orders/saga-labels.ts';
import { cancelReasonLabel } from '../../i18n/labels.ts';
import { formatCount, formatDateTime } from '../../lib/format.ts';
import { orderTitle } from '../../orders/order-summary.ts';
import { factsText } from '../../orders/timeline-note.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { OrderStatusBadge } from '../../ui/badges.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { type DataColumn, DataTable } from '../../ui/DataTable.tsx';
import { OrderSections, Section } from '../orders/OrderSections.tsx';
import { BuyerLink } from './BuyerLink.tsx';
import type { ListLocationState } from './ListSearchBox.tsx';

export function OrderDetailPage() {
  const { t } = useTranslation();
  const id = useParams().id ?? '';
  const listSearch = (useLocation().state as ListLocationState | null)?.listSearch ?? '';
  const order = useQuery(adminOrderQuery(id));

  return (
    <Stack gap="lg">
      <Anchor component={Link} to={`/admin/orders${listSearch}`} size="sm">
        {t('adminOrders.detail.back')}
      </Anchor>
      {order.isPending && <Skeleton h={320} />}
      {order.isError && <ApiErrorAlert error={order.error} onRetry={() => void order.refetch()} />}
      {order.data && (
        <>
          <OrderHeader order={order.data} />
          <OrderSections
            admin
            order={order.data}
            main={<SagaCard saga={order.data.saga} />}
            aside={
              // Keyed by the saved memo so the box starts again from the server's value.
              <MemoForm key={order.data.adminMemo ?? ''} order={order.data} />
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
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const update = useUpdateOrder(order);
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => adminCancelOrder(order.orderId, reason.trim()),
    onSuccess: async (updated) => {
      setConfirming(false);
      await update(updated);
      notifications.show({
        color: 'teal',
        message: t('adminOrders.detail.cancelled', { number: order.orderNumber }),
      });
    },
    onError: async () => {
      setConfirming(false);
      // A refusal often means the order moved on (paid, shipped): show where it stands now.
      await queryClient.invalidateQueries({ queryKey: adminOrderQuery(order.orderId).queryKey });
    },
  });

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="sm">
            <Title order={1} size="h2">
              {t('adminOrders.detail.title', { number: order.orderNumber })}
            </Title>
            <OrderStatusBadge status={order.status} />
          </Group>
          <Text c="dimmed" size="sm">
            {t('adminOrders.detail.orderedBy', {
              name: orderTitle(order),
              at: formatDateTime(order.createdAt),
            })}{' '}
            <BuyerLink userId={order.userId} buyer={order.buyer} />
          </Text>
          {order.status === 'CANCELLED' && (
            <Text size="sm" c="red.7" mt={4}>
              {cancelReasonLabel(order.cancelReason)}
              {order.cancelNote && ` · ${t('adminOrders.detail.cancelNote', { note: order.cancelNote })}`}
            </Text>
          )}
        </div>
        {order.cancellable && (
          <Button color="red" variant="light" onClick={() => setConfirming(true)}>
            {t('adminOrders.detail.cancel')}
          </Button>
        )}
      </Group>
      <ApiErrorAlert
        error={cancel.error}
        title={t('adminOrders.detail.cancelFailed')}
        message={adminCancelRefusal(cancel.error)}
      />
      <ConfirmDialog
        opened={confirming}
        title={t('adminOrders.detail.confirmTitle', { number: order.orderNumber })}
        confirmLabel={t('adminOrders.detail.cancel')}
        danger
        loading={cancel.isPending}
        confirmDisabled={reason.trim() === '' || reason.length > CANCEL_REASON_MAX_LENGTH}
        onConfirm={() => cancel.mutate()}
        onClose={() => setConfirming(false)}
      >
        <Stack gap="sm">
          <Text size="sm">
            {order.status === 'PAID'
              ? t('adminOrders.detail.confirmTextPaid')
              : t('adminOrders.detail.confirmText')}
          </Text>
          <Textarea
            label={t('adminOrders.detail.reason')}
            placeholder={t('adminOrders.detail.reasonPlaceholder')}
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
  const { t } = useTranslation();
  const [memo, setMemo] = useState(order.adminMemo ?? '');
  const update = useUpdateOrder(order);
  const save = useMutation({
    mutationFn: () => setAdminMemo(order.orderId, memo.trim()),
    onSuccess: async (updated) => {
      await update(updated);
      notifications.show({ color: 'teal', message: t('adminOrders.detail.memo.saved') });
    },
  });
  const unchanged = memo.trim() === (order.adminMemo ?? '');
  const tooLong = memo.length > ADMIN_MEMO_MAX_LENGTH;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!unchanged && !tooLong) save.mutate();
  };

  return (
    <Section id="admin-memo" title={t('adminOrders.detail.memo.title')}>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <ApiErrorAlert error={save.error} title={t('adminOrders.detail.memo.saveFailed')} />
          <Textarea
            label={t('adminOrders.detail.memo.label')}
            description={t('adminOrders.detail.memo.description')}
            autosize
            minRows={3}
            value={memo}
            onChange={(event) => setMemo(event.currentTarget.value)}
            error={tooLong ? t('adminOrders.detail.memo.tooLong', { max: ADMIN_MEMO_MAX_LENGTH }) : undefined}
          />
          <Group>
            <Button type="submit" size="xs" disabled={unchanged || tooLong} loading={save.isPending}>
              {t('adminOrders.detail.memo.save')}
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
  const { t } = useTranslation();
  const columns: DataColumn<{ entry: SagaView['log'][number] }>[] = [
    {
      key: 'step',
      header: t('adminOrders.saga.column.step'),
      phone: 'title',
      // Kept on one line: a narrow column would otherwise squeeze the badge to "…".
      nowrap: true,
      cell: ({ entry }) => (
        <>
          <Badge size="xs" variant="light" color={ACTION_COLORS[entry.action]} mr={6}>
            {t(`adminOrders.saga.action.${entry.action}`)}
          </Badge>
          {t(`adminOrders.saga.step.${entry.step}`)}
          {entry.attempt > 1 && (
            <Text span size="xs" c="dimmed">
              {' '}
              {t('adminOrders.saga.attempt', { attempt: entry.attempt })}
            </Text>
          )}
        </>
      ),
    },
    {
      key: 'outcome',
      header: t('adminOrders.saga.column.outcome'),
      cell: ({ entry }) => (
        <>
          <Text span size="xs" fw={700} c={OUTCOME_COLORS[entry.outcome]}>
            {t(`adminOrders.saga.outcome.${entry.outcome}`)}
          </Text>
          {(entry.facts || entry.detail) && (
            // A payment's facts worded for the reader; the PG's own message (any language) on hover.
            <Text span size="xs" c="dimmed" title={entry.facts ? (entry.detail ?? undefined) : undefined}>
              {' '}
              {(entry.facts && factsText(entry.facts)) || entry.detail}
            </Text>
          )}
        </>
      ),
    },
    {
      key: 'took',
      header: t('adminOrders.saga.column.took'),
      align: 'right',
      phone: 'amount',
      nowrap: true,
      cell: ({ entry }) =>
        entry.durationMs === null
          ? '—'
          : t('adminOrders.saga.duration', { ms: formatCount(entry.durationMs) }),
    },
    {
      key: 'at',
      header: t('adminOrders.saga.column.at'),
      phone: 'date',
      nowrap: true,
      cell: ({ entry }) => formatDateTime(entry.at),
    },
    {
      key: 'trace',
      header: t('adminOrders.saga.column.trace'),
      cell: ({ entry }) =>
        entry.traceId ? (
          <Anchor component={Link} to={`/admin/traces/${entry.traceId}`} size="xs">
            {t('adminOrders.saga.trace')}
          </Anchor>
        ) : (
          '—'
        ),
    },
  ];
  return (
    <Section id="saga" title={t('adminOrders.saga.title')}>
      <Stack gap="xs">
        <Group gap="xs">
          <Badge variant="light">{t(`adminOrders.saga.phase.${saga.phase}`)}</Badge>
          <Text size="sm" c="dimmed">
            {t('adminOrders.saga.since', { at: formatDateTime(saga.phaseSince) })}
          </Text>
        </Group>
        <Text size="sm">
          {t('adminOrders.saga.steps', {
            steps: saga.steps.map((step) => t(`adminOrders.saga.step.${step}`)).join(' → ') || '—',
          })}
        </Text>
        {saga.current && (
          <Text size="sm">
            {t('adminOrders.saga.next', {
              call: sagaCallLabel(saga.current),
              attempt: saga.attempts + 1,
              at: formatDateTime(saga.nextAttemptAt),
            })}
          </Text>
        )}
        {saga.lastError && (
          <Text size="sm" c="red.7">
            {t('adminOrders.saga.lastError', { error: saga.lastError })}
          </Text>
        )}
        {saga.log.length > 0 && (
          <DataTable
            label={t('adminOrders.saga.timeline')}
            columns={columns}
            // The log is append-only and has no id: an entry is known by its place.
            rows={saga.log.map((entry, index) => ({ entry, index }))}
            rowKey={({ index }) => index}
            rowProps={({ entry }) => ({ 'data-action': entry.action })}
            minWidth={560}
            verticalSpacing={4}
            fz="xs"
          />
        )}
      </Stack>
    </Section>
  );
}
