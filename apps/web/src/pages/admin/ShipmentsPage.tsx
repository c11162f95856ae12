import { Alert, Badge, Button, Checkbox, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import {
  type AdminShipment,
  type AdminShipmentSearch,
  adminShipmentsQuery,
  adminShippingQueryPrefix,
  type IssueWaybillsResult,
  issueWaybills,
  resumeTracking,
} from '../../admin-shipping/admin-shipping-api.ts';
import { parseShipmentSearch, shipmentSearchParams } from '../../admin-shipping/shipping-search.ts';
import { formatDateTime } from '../../lib/format.ts';
import { SHIPMENT_COURIER_STATUSES, SHIPMENT_STATUSES } from '../../orders/after-sale-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { CourierStatusBadge, ShipmentStatusBadge } from '../../ui/badges.tsx';
import { type DataColumn, DataTable } from '../../ui/DataTable.tsx';
import { PagedResults } from '../../ui/PagedResults.tsx';
import { CourierHistory } from '../orders/TrackingTimeline.tsx';
import { AdminOrderLink, ListTotal, OrderNumberSearch, StatusFilter } from './ShippingListParts.tsx';

/** A shipment may get a waybill while it is READY and none was sent to the courier. */
const issuable = (shipment: AdminShipment) =>
  shipment.status === 'READY' && shipment.courierStatus === 'NOT_SENT';

/** The codes of a refused dispatch the admin is told in words; any other is worded as a refusal in general. */
const WORDED_REFUSALS = ['INVALID_REQUEST', 'INVALID_ACCOUNT_KEY', 'STOCK_REFUSED'] as const;
/** The codes only an issue answers with (not a mark on a parcel), told in words too. */
const WORDED_ISSUE_ERRORS = ['NOT_FOUND', 'NOT_READY', 'UNAVAILABLE', 'EXCHANGE_OUT_OF_STOCK'] as const;

type IssueError = NonNullable<IssueWaybillsResult['results'][number]['error']>;

/**
 * Why an issue gave no waybill, in words by its code: a refusal the same as its badge says, anything
 * else unknown as a refusal in general. Never the message: product-service's names internal ids.
 */
function issueErrorKey(
  error: IssueError,
):
  | `adminShipping.issueError.${(typeof WORDED_ISSUE_ERRORS)[number]}`
  | `adminShipping.dispatchFailure.reason.${(typeof WORDED_REFUSALS)[number] | 'other'}` {
  const issueCode = WORDED_ISSUE_ERRORS.find((known) => known === error.code);
  if (issueCode) return `adminShipping.issueError.${issueCode}`;
  const refusal = WORDED_REFUSALS.find((known) => known === error.code) ?? 'other';
  return `adminShipping.dispatchFailure.reason.${refusal}`;
}
/** The courier's codes of a refused tracking the admin is told in words. */
const WORDED_TRACKING_REFUSALS = ['NOT_FOUND_WAYBILL'] as const;

type Failure = NonNullable<AdminShipment['dispatchFailure']>;

/** A refusal for good: a red badge, the reason in words, and the other side's own message under it. */
function RefusalNotice(props: {
  testId: string;
  badge: string;
  reason: string;
  says: string | null;
  children?: ReactNode;
}) {
  return (
    <Stack gap={2} data-testid={props.testId}>
      <Badge color="red" variant="filled">
        {props.badge}
      </Badge>
      <Text size="xs" c="red.8">
        {props.reason}
      </Text>
      {props.says && (
        <Text size="xs" c="dimmed">
          {props.says}
        </Text>
      )}
      {props.children}
    </Stack>
  );
}

/**
 * The courier refused the parcel for good, or product-service the stock of an exchange's parcel: the
 * dispatcher leaves it, so the admin is told why, in words, with the courier's own message under it
 * (product-service's names internal ids: only when it refused); selecting it and issuing again retries it.
 */
function DispatchFailure({ failure }: { failure: Failure }) {
  const { t } = useTranslation();
  const code = WORDED_REFUSALS.find((known) => known === failure.code) ?? 'other';
  const at = formatDateTime(failure.failedAt);
  const stock = code === 'STOCK_REFUSED';
  return (
    <RefusalNotice
      testId="dispatch-failure"
      badge={t(stock ? 'adminShipping.dispatchFailure.stockBadge' : 'adminShipping.dispatchFailure.badge')}
      reason={t(`adminShipping.dispatchFailure.reason.${code}`)}
      says={
        stock
          ? t('adminShipping.dispatchFailure.refusedAt', { at })
          : failure.message
            ? t('adminShipping.dispatchFailure.courierSays', { at, message: failure.message })
            : null
      }
    />
  );
}

/**
 * The courier did not know the parcel's waybill: it is asked about again only now and then, so the
 * admin is told why, in words, with the courier's own message under it, and can resume its tracking
 * at once (the mark is cleared and the courier asked now).
 */
function TrackingFailure({ shipmentId, failure }: { shipmentId: string; failure: Failure }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const code = WORDED_TRACKING_REFUSALS.find((known) => known === failure.code) ?? 'other';
  const resume = useMutation({
    mutationFn: () => resumeTracking(shipmentId),
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('adminShipping.trackingFailure.resumed') });
      await queryClient.invalidateQueries({ queryKey: adminShippingQueryPrefix });
    },
  });
  return (
    <RefusalNotice
      testId="tracking-failure"
      badge={t('adminShipping.trackingFailure.badge')}
      reason={t(`adminShipping.trackingFailure.reason.${code}`)}
      says={
        failure.message
          ? t('adminShipping.trackingFailure.courierSays', {
              at: formatDateTime(failure.failedAt),
              message: failure.message,
            })
          : null
      }
    >
      <Text size="xs">{t('adminShipping.trackingFailure.resumeHint')}</Text>
      <Button size="compact-xs" variant="light" loading={resume.isPending} onClick={() => resume.mutate()}>
        {t('adminShipping.trackingFailure.resume')}
      </Button>
      <ApiErrorAlert error={resume.error} title={t('adminShipping.trackingFailure.resumeFailed')} />
    </RefusalNotice>
  );
}

/** 배송 관리: every parcel with filters; READY ones are checked and sent to the courier in one call. */
export function ShipmentsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const search = parseShipmentSearch(params);
  const shipments = useQuery(adminShipmentsQuery(search));
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [lastResult, setLastResult] = useState<IssueWaybillsResult | null>(null);
  const changeSearch = (change: Partial<AdminShipmentSearch>) => {
    setSelected(new Set());
    setParams(shipmentSearchParams({ ...search, page: 0, ...change }));
  };

  const issue = useMutation({
    mutationFn: () => issueWaybills([...selected]),
    onSuccess: async (result) => {
      setSelected(new Set());
      setLastResult(result);
      const { issued, failed } = result.summary;
      notifications.show({
        color: failed > 0 ? 'orange' : 'teal',
        message:
          failed > 0
            ? t('adminShipping.issuedSome', { issued, failed })
            : t('adminShipping.issued', { issued }),
      });
      await queryClient.invalidateQueries({ queryKey: adminShippingQueryPrefix });
    },
  });
  const failures = lastResult?.results.filter((r) => r.error) ?? [];

  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        {t('title.adminShipments')}
      </Title>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <OrderNumberSearch
          initial={search.orderNumber}
          onSearch={(orderNumber) => changeSearch({ orderNumber })}
        />
        <StatusFilter
          label={t('adminShipping.status')}
          value={search.status}
          members={SHIPMENT_STATUSES}
          labelOf={(status) => t(`status.shipment.${status}`)}
          onChange={(status) => changeSearch({ status })}
        />
        <StatusFilter
          label={t('adminShipping.courierStatus')}
          value={search.courierStatus}
          members={SHIPMENT_COURIER_STATUSES}
          labelOf={(status) => t(`status.courier.${status}`)}
          onChange={(courierStatus) => changeSearch({ courierStatus })}
        />
        <ListTotal of="shipments" page={shipments.data} />
      </Group>

      <Group gap="sm">
        <Button disabled={selected.size === 0} loading={issue.isPending} onClick={() => issue.mutate()}>
          {t('adminShipping.issue', { count: selected.size })}
        </Button>
      </Group>
      <ApiErrorAlert error={issue.error} title={t('adminShipping.issueFailed')} />
      {failures.length > 0 && (
        <Alert color="orange" variant="light" title={t('adminShipping.issueFailed')} role="status">
          {failures.map((failure) => (
            <Text key={failure.shipmentId} size="sm">
              {t('adminShipping.failedLine', {
                id:
                  shipments.data?.content.find((s) => s.id === failure.shipmentId)?.orderNumber ??
                  failure.shipmentId,
                message: failure.error ? t(issueErrorKey(failure.error)) : '',
              })}
            </Text>
          ))}
        </Alert>
      )}

      <PagedResults
        query={shipments}
        label={t('adminShipping.shipments')}
        current={search.page}
        onPage={(page) => changeSearch({ page })}
      >
        {(rows) => <ShipmentsTable shipments={rows} selected={selected} onSelect={setSelected} />}
      </PagedResults>
    </Stack>
  );
}

function ShipmentsTable({
  shipments,
  selected,
  onSelect,
}: {
  shipments: AdminShipment[];
  selected: ReadonlySet<string>;
  onSelect: (ids: ReadonlySet<string>) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  if (shipments.length === 0) {
    return (
      <Text c="dimmed" p="lg">
        {t('adminShipping.none')}
      </Text>
    );
  }
  const selectable = shipments.filter(issuable).map((s) => s.id);
  const allSelected = selectable.length > 0 && selectable.every((id) => selected.has(id));
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    onSelect(next);
  };
  const columns: DataColumn<AdminShipment>[] = [
    {
      key: 'select',
      header: t('adminShipping.selectAll'),
      headerContent: (
        <Checkbox
          aria-label={t('adminShipping.selectAll')}
          checked={allSelected}
          indeterminate={!allSelected && selectable.some((id) => selected.has(id))}
          disabled={selectable.length === 0}
          onChange={(event) => onSelect(new Set(event.currentTarget.checked ? selectable : []))}
        />
      ),
      width: 40,
      phone: 'select',
      cell: (shipment) => (
        <Checkbox
          aria-label={t('adminShipping.selectShipment', { number: shipment.orderNumber })}
          checked={selected.has(shipment.id)}
          disabled={!issuable(shipment)}
          onChange={(event) => toggle(shipment.id, event.currentTarget.checked)}
        />
      ),
    },
    {
      key: 'order',
      header: t('adminShipping.order'),
      phone: 'title',
      cell: (shipment) => (
        <>
          <AdminOrderLink order={shipment} />
          <Text size="xs" c="dimmed">
            {t(`status.shipmentKind.${shipment.kind}`)}
          </Text>
        </>
      ),
    },
    {
      key: 'goods',
      header: t('adminShipping.goods'),
      cell: (shipment) => <Text size="sm">{shipment.goodsName}</Text>,
    },
    {
      key: 'receiver',
      header: t('adminShipping.receiver'),
      cell: (shipment) => (
        <>
          <Text size="sm">{shipment.receiverName}</Text>
          <Text size="xs" c="dimmed">
            {shipment.address}
          </Text>
        </>
      ),
    },
    {
      key: 'status',
      header: t('adminShipping.status'),
      phone: 'status',
      cell: (shipment) => (
        <Stack gap={4} align="flex-start">
          <ShipmentStatusBadge status={shipment.status} />
          <CourierStatusBadge status={shipment.courierStatus} />
          {shipment.dispatchFailure && <DispatchFailure failure={shipment.dispatchFailure} />}
          {shipment.trackingFailure && (
            <TrackingFailure shipmentId={shipment.id} failure={shipment.trackingFailure} />
          )}
        </Stack>
      ),
    },
    {
      key: 'tracking',
      header: t('adminShipping.tracking'),
      cell: (shipment) => (
        <Text size="sm" ff="monospace" data-testid="shipment-tracking">
          {shipment.trackingNumber ?? '—'}
        </Text>
      ),
    },
    {
      key: 'created',
      header: t('adminShipping.created'),
      phone: 'date',
      cell: (shipment) => <Text size="sm">{formatDateTime(shipment.createdAt)}</Text>,
    },
    {
      key: 'history',
      header: t('adminShipping.history'),
      phone: 'actions',
      cell: (shipment) => (
        <Button
          size="xs"
          variant="subtle"
          disabled={shipment.history.length === 0}
          aria-expanded={open === shipment.id}
          onClick={() => setOpen(open === shipment.id ? null : shipment.id)}
        >
          {t('adminShipping.historyCount', { count: shipment.history.length })}
        </Button>
      ),
    },
  ];
  return (
    <DataTable
      label={t('adminShipping.shipments')}
      columns={columns}
      rows={shipments}
      rowKey={(shipment) => shipment.id}
      rowProps={(shipment) => ({ 'data-testid': 'shipment-row', 'data-order': shipment.orderNumber })}
      expanded={(shipment) => open === shipment.id && <CourierHistory events={shipment.history} />}
      minWidth={980}
      verticalSpacing="sm"
    />
  );
}
