import { Button, Group, Modal, Stack, Text, Textarea, Timeline, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { adminOrderQuery } from '../../admin-orders/admin-orders-api.ts';
import {
  type AdminClaim,
  type AdminClaimSearch,
  adminClaimsQuery,
  adminShippingQueryPrefix,
  approveClaim,
  CLAIM_QUEUE_PATH,
  rejectClaim,
} from '../../admin-shipping/admin-shipping-api.ts';
import { claimSearchParams, parseClaimSearch } from '../../admin-shipping/shipping-search.ts';
import { formatDateTime, formatPoints, formatWon } from '../../lib/format.ts';
import { CLAIM_STATUSES, type ClaimStatus, type ClaimType } from '../../orders/after-sale-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { ClaimStatusBadge } from '../../ui/badges.tsx';
import { type DataColumn, DataTable } from '../../ui/DataTable.tsx';
import { PagedResults } from '../../ui/PagedResults.tsx';
import { ClaimItemText } from '../orders/ClaimItemText.tsx';
import { AdminOrderLink, ListTotal, OrderNumberSearch, StatusFilter } from './ShippingListParts.tsx';

/** The states each kind of claim goes through (a return is COMPLETED, an exchange EXCHANGED). */
const CLAIM_STATUSES_OF: Record<ClaimType, readonly ClaimStatus[]> = {
  RETURN: CLAIM_STATUSES.filter((status) => status !== 'RESHIPPING' && status !== 'EXCHANGED'),
  EXCHANGE: CLAIM_STATUSES.filter((status) => status !== 'COMPLETED'),
};

/** The server's limit for a rejection's reason. */
const REJECT_REASON_MAX_LENGTH = 500;

/** 반품 관리 / 교환 관리: the queue of one claim type, with approve, reject (with a reason) and history. */
export function ClaimsPage({ type }: { type: ClaimType }) {
  const { t } = useTranslation();
  const title = t(type === 'RETURN' ? 'title.adminReturns' : 'title.adminExchanges');
  const [params, setParams] = useSearchParams();
  const search = parseClaimSearch(params);
  const claims = useQuery(adminClaimsQuery(type, search));
  const changeSearch = (change: Partial<AdminClaimSearch>) =>
    setParams(claimSearchParams({ ...search, page: 0, ...change }));

  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        {title}
      </Title>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <OrderNumberSearch
          initial={search.orderNumber}
          onSearch={(orderNumber) => changeSearch({ orderNumber })}
        />
        <StatusFilter
          label={t('adminShipping.claimStatus')}
          value={search.status}
          members={CLAIM_STATUSES_OF[type]}
          labelOf={(status) => t(`status.claim.${status}`)}
          onChange={(status) => changeSearch({ status })}
        />
        <ListTotal of={CLAIM_QUEUE_PATH[type]} page={claims.data} />
      </Group>
      <PagedResults
        query={claims}
        label={t('adminShipping.claims')}
        current={search.page}
        onPage={(page) => changeSearch({ page })}
      >
        {(rows) => <ClaimsTable type={type} claims={rows} />}
      </PagedResults>
    </Stack>
  );
}

function ClaimsTable({ type, claims }: { type: ClaimType; claims: AdminClaim[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState<AdminClaim | null>(null);
  const approve = useMutation({
    mutationFn: (claim: AdminClaim) => approveClaim(type, claim.id),
    onSuccess: async (claim) => {
      notifications.show({
        color: 'teal',
        message: t('adminShipping.approved', { number: claim.orderNumber }),
      });
      await queryClient.invalidateQueries({ queryKey: adminShippingQueryPrefix });
    },
    // Refused, most often because someone else decided it first: the row shows how it stands now.
    onError: () => queryClient.invalidateQueries({ queryKey: adminShippingQueryPrefix }),
  });
  if (claims.length === 0) {
    return (
      <Text c="dimmed" p="lg">
        {t('adminShipping.noneClaims')}
      </Text>
    );
  }
  const columns: DataColumn<AdminClaim>[] = [
    {
      key: 'order',
      header: t('adminShipping.order'),
      phone: 'title',
      nowrap: true,
      cell: (claim) => <AdminOrderLink order={claim} />,
    },
    {
      key: 'items',
      header: t('adminShipping.items'),
      cell: (claim) =>
        claim.items.map((item) => (
          <Text key={item.orderItemId} size="sm">
            <AdminClaimItem orderId={claim.orderId} item={item} />
          </Text>
        )),
    },
    {
      key: 'reason',
      header: t('adminShipping.reason'),
      cell: (claim) => (
        <>
          <Text size="sm">{t(`status.claimReason.${claim.reason}`)}</Text>
          {claim.detail && (
            <Text size="xs" c="dimmed" lineClamp={2}>
              {claim.detail}
            </Text>
          )}
        </>
      ),
    },
    ...(type === 'RETURN'
      ? [
          {
            key: 'refund',
            header: t('adminShipping.refund'),
            align: 'right',
            phone: 'amount',
            nowrap: true,
            cellProps: { 'data-testid': 'claim-refund' },
            cell: (claim) => (
              <>
                <Text size="sm">{formatWon(claim.refundAmount)}</Text>
                {claim.pointsRefund > 0 && (
                  <Text size="sm">
                    {t('adminShipping.pointsRefund', { amount: formatPoints(claim.pointsRefund) })}
                  </Text>
                )}
                {claim.feeAmount > 0 && (
                  <Text size="xs" c="dimmed">
                    {t('adminShipping.fee', { amount: formatWon(claim.feeAmount) })}
                  </Text>
                )}
              </>
            ),
          } satisfies DataColumn<AdminClaim>,
        ]
      : []),
    {
      key: 'status',
      header: t('adminShipping.claimStatus'),
      phone: 'status',
      cell: (claim) => (
        <>
          <ClaimStatusBadge status={claim.status} />
          {claim.status === 'REQUESTED' && claim.pickupCancelledAt !== null && (
            <Text size="xs" c="orange.8" mt={4} maw={220} data-testid="claim-pickup-cancelled">
              {t('adminShipping.pickupCancelledHint')}
            </Text>
          )}
          {claim.pickupUnderWay && (
            <Text size="xs" c="red.8" mt={4} maw={220} data-testid="claim-pickup-under-way">
              {t('adminShipping.pickupUnderWayHint', {
                number: claim.pickupUnderWay.trackingNumber,
                status: claim.pickupUnderWay.courierStatus
                  ? t(`status.courier.${claim.pickupUnderWay.courierStatus}`)
                  : '—',
                at: formatDateTime(claim.pickupUnderWay.seenAt),
              })}
            </Text>
          )}
        </>
      ),
    },
    {
      key: 'requested',
      header: t('adminShipping.requested'),
      phone: 'date',
      nowrap: true,
      cell: (claim) => <Text size="sm">{formatDateTime(claim.createdAt)}</Text>,
    },
    {
      key: 'actions',
      header: t('adminShipping.actions'),
      phone: 'actions',
      cell: (claim) => (
        <Group gap={6} wrap="nowrap">
          {claim.status === 'REQUESTED' && (
            <>
              <Button
                size="xs"
                loading={approve.isPending && approve.variables?.id === claim.id}
                onClick={() => approve.mutate(claim)}
              >
                {t('adminShipping.approve')}
              </Button>
              <Button size="xs" variant="default" color="red" onClick={() => setRejecting(claim)}>
                {t('adminShipping.reject')}
              </Button>
            </>
          )}
          <Button
            size="xs"
            variant="subtle"
            aria-expanded={open === claim.id}
            onClick={() => setOpen(open === claim.id ? null : claim.id)}
          >
            {open === claim.id ? t('adminShipping.hideHistory') : t('adminShipping.showHistory')}
          </Button>
        </Group>
      ),
    },
  ];
  return (
    <>
      <ApiErrorAlert error={approve.error} title={t('adminShipping.decisionFailed')} />
      <DataTable
        label={t('adminShipping.claims')}
        columns={columns}
        rows={claims}
        rowKey={(claim) => claim.id}
        rowProps={(claim) => ({ 'data-testid': 'claim-row', 'data-order': claim.orderNumber })}
        expanded={(claim) => open === claim.id && <ClaimHistory claim={claim} />}
        minWidth={1000}
        verticalSpacing="sm"
      />
      <RejectDialog type={type} claim={rejecting} onClose={() => setRejecting(null)} />
    </>
  );
}

/** A claim's line; an exchange's new option is named from the order's line (its product). */
function AdminClaimItem({ orderId, item }: { orderId: string; item: AdminClaim['items'][number] }) {
  const order = useQuery({ ...adminOrderQuery(orderId), enabled: item.newSkuId !== null });
  return (
    <ClaimItemText
      item={item}
      productId={order.data?.items.find((line) => line.id === item.orderItemId)?.productId}
    />
  );
}

/**
 * A claim's way so far, oldest first, from the times shipping-service recorded for each state. A pickup
 * the courier cancelled clears the approval, so an approval shown after it is the one made again.
 */
export function ClaimHistory({ claim }: { claim: AdminClaim }) {
  const { t } = useTranslation();
  const steps = [
    { key: 'requested', at: claim.createdAt },
    { key: 'pickupCancelled', at: claim.pickupCancelledAt },
    { key: 'approved', at: claim.approvedAt },
    { key: 'rejected', at: claim.rejectedAt },
    { key: 'collected', at: claim.collectedAt },
    { key: claim.type === 'RETURN' ? 'completed' : 'exchanged', at: claim.completedAt },
  ] as const;
  const reached = steps.filter((step) => step.at !== null);
  return (
    <Stack gap="xs" aria-label={t('adminShipping.claimHistory')} data-testid="claim-history">
      <Timeline active={reached.length - 1} bulletSize={12} lineWidth={2}>
        {reached.map((step) => (
          <Timeline.Item
            key={step.key}
            title={t(`adminShipping.step.${step.key}`)}
            color={step.key === 'rejected' ? 'red' : step.key === 'pickupCancelled' ? 'orange' : 'teal'}
          >
            <Text size="xs" c="dimmed">
              {formatDateTime(step.at)}
            </Text>
            {step.key === 'rejected' && claim.rejectReason && (
              <Text size="sm">{t('afterSale.rejectReason', { reason: claim.rejectReason })}</Text>
            )}
          </Timeline.Item>
        ))}
      </Timeline>
      {claim.pickupTrackingNumber && (
        <Text size="sm">
          {t('adminShipping.pickup', {
            number: claim.pickupTrackingNumber,
            status: claim.pickupCourierStatus ? t(`status.courier.${claim.pickupCourierStatus}`) : '—',
          })}
        </Text>
      )}
      {claim.reshipTrackingNumber && (
        <Text size="sm">{t('adminShipping.reship', { number: claim.reshipTrackingNumber })}</Text>
      )}
      {claim.detail && <Text size="sm">{t('adminShipping.detail', { detail: claim.detail })}</Text>}
    </Stack>
  );
}

function RejectDialog({
  type,
  claim,
  onClose,
}: {
  type: ClaimType;
  claim: AdminClaim | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const close = () => {
    setReason('');
    setMissing(false);
    reject.reset();
    onClose();
  };
  const reject = useMutation({
    mutationFn: (target: AdminClaim) => rejectClaim(type, target.id, reason.trim()),
    onSuccess: async (rejected) => {
      notifications.show({
        color: 'teal',
        message: t('adminShipping.rejected', { number: rejected.orderNumber }),
      });
      await queryClient.invalidateQueries({ queryKey: adminShippingQueryPrefix });
      close();
    },
    onError: () => queryClient.invalidateQueries({ queryKey: adminShippingQueryPrefix }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!claim) return;
    if (!reason.trim()) return setMissing(true);
    reject.mutate(claim);
  };
  return (
    <Modal
      opened={claim !== null}
      onClose={close}
      title={claim ? t('adminShipping.rejectTitle', { number: claim.orderNumber }) : ''}
      centered
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <Textarea
            label={t('adminShipping.rejectReason')}
            value={reason}
            onChange={(event) => {
              setReason(event.currentTarget.value);
              setMissing(false);
            }}
            error={missing ? t('adminShipping.rejectReasonRequired') : undefined}
            maxLength={REJECT_REASON_MAX_LENGTH}
            autosize
            minRows={3}
            data-autofocus
          />
          <ApiErrorAlert error={reject.error} title={t('adminShipping.decisionFailed')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={reject.isPending}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={reject.isPending}>
              {t('adminShipping.confirmReject')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
