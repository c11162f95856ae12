import { Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatPoints, formatWon } from '../../lib/format.ts';
import {
  type Claim,
  type ClaimType,
  claimedUnits,
  confirmPurchase,
  orderClaimsQuery,
  orderShippingQuery,
  originalShipment,
  PARCEL_POLL_MS,
  parcelOnItsWay,
} from '../../orders/after-sale-api.ts';
import { returnsRefunded } from '../../orders/order-summary.ts';
import { myOrdersQueryPrefix, type Order } from '../../orders/orders-api.ts';
import { orderPaymentsQuery } from '../../payments/payments-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { ClaimStatusBadge } from '../../ui/badges.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { ClaimItemText } from '../orders/ClaimItemText.tsx';
import { Section } from '../orders/OrderSections.tsx';
import { TrackingTimeline } from '../orders/TrackingTimeline.tsx';
import { ClaimRequestForm } from './ClaimRequestForm.tsx';

const AFTER_PAYMENT = new Set<Order['status']>(['PAID', 'SHIPPING', 'DELIVERED', 'RETURNED']);

/** 배송 조회 · 구매확정 · 반품/교환 of one of my orders (issue 10); nothing before payment. */
export function OrderAfterSale({ order }: { order: Order }) {
  const { t } = useTranslation();
  const paid = AFTER_PAYMENT.has(order.status);
  const claims = useQuery({ ...orderClaimsQuery(order.orderId), enabled: paid });
  // Pickup and transit are not pushed: look again while the parcel is on its way (see PARCEL_POLL_MS).
  const shipping = useQuery({
    ...orderShippingQuery(order.orderId),
    enabled: paid,
    refetchInterval: parcelOnItsWay(order.status) ? PARCEL_POLL_MS : false,
    refetchIntervalInBackground: false,
  });
  if (!paid) return null;
  const claimList = claims.data?.claims ?? [];
  const shipments = shipping.data?.shipments ?? [];
  // shipping-service owns the waybill: the summary shows the one the tracking below shows. The order's
  // copy learns of it by an event a moment later, so it stands in only while the tracking is unknown.
  const parcel = originalShipment(shipping.data);
  const waybill = parcel ? parcel.trackingNumber : order.trackingNumber;

  return (
    <Stack gap="lg">
      <AfterSaleSummary
        order={order}
        claims={claimList}
        claimsKnown={claims.isSuccess}
        claimableUntil={shipping.data?.claimableUntil ?? null}
        waybill={waybill}
      />
      {shipping.isError && (
        <ApiErrorAlert
          error={shipping.error}
          title={t('afterSale.trackingFailed')}
          onRetry={() => void shipping.refetch()}
        />
      )}
      {claims.isError && (
        <ApiErrorAlert
          error={claims.error}
          title={t('afterSale.claimsFailed')}
          onRetry={() => void claims.refetch()}
        />
      )}
      {shipments.length > 0 && (
        <Section id="tracking" title={t('afterSale.tracking')}>
          <TrackingTimeline shipments={shipments} />
        </Section>
      )}
      {claimList.length > 0 && (
        <Section id="claims" title={t('afterSale.claims')}>
          <ClaimList order={order} claims={claimList} />
        </Section>
      )}
      {returnsRefunded(order) > 0 && <PaymentRefunds order={order} />}
    </Stack>
  );
}

/** The waybill, delivery and confirmation, the 구매확정 button, and the return/exchange requests. */
function AfterSaleSummary({
  order,
  claims,
  claimsKnown,
  claimableUntil,
  waybill,
}: {
  order: Order;
  claims: Claim[];
  /** The claims were read: until then, which units are left to claim is not known. */
  claimsKnown: boolean;
  claimableUntil: string | null;
  /** The order's parcel's waybill; null before one is issued. */
  waybill: string | null;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [requesting, setRequesting] = useState<ClaimType | null>(null);
  // 구매확정 cannot be undone and ends returns and exchanges: asked first, as a cancel is.
  const [confirming, setConfirming] = useState(false);
  const confirm = useMutation({
    mutationFn: () => confirmPurchase(order.orderId),
    onSuccess: async (done) => {
      notifications.show({
        color: 'teal',
        message:
          done.pointsAwarded > 0
            ? t('afterSale.confirmedWithPoints', { points: done.pointsAwarded.toLocaleString('ko-KR') })
            : t('afterSale.confirmed'),
      });
      await queryClient.invalidateQueries({ queryKey: myOrdersQueryPrefix });
    },
    onSettled: () => setConfirming(false),
  });
  // shipping-service's answer says it is confirmed; the order's own copy learns it from an event a
  // moment later (and no push follows it), so the page shows the answer until then.
  const confirmedAt = order.confirmedAt ?? confirm.data?.confirmedAt ?? null;
  const unsettled = order.status === 'DELIVERED' && confirmedAt === null && order.openClaim === null;
  // Returns and exchanges only within the window shipping-service states (null once it closed), and
  // while some unit was neither returned nor exchanged (each unit is claimed once).
  const claimed = claimedUnits(claims);
  const unitsLeft = order.items.some((line) => line.quantity > (claimed.get(line.id) ?? 0));
  const claimable = unsettled && claimsKnown && claimableUntil !== null && unitsLeft;

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="after-sale-title">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title id="after-sale-title" order={2} size="h4">
            {t('afterSale.title')}
          </Title>
          {unsettled && (
            <Button size="sm" loading={confirm.isPending} onClick={() => setConfirming(true)}>
              {t('afterSale.confirm')}
            </Button>
          )}
        </Group>
        <ApiErrorAlert error={confirm.error} title={t('afterSale.confirmFailed')} />
        <ConfirmDialog
          opened={confirming}
          title={t('afterSale.confirmTitle')}
          confirmLabel={t('afterSale.confirm')}
          keepLabel={t('afterSale.confirmLater')}
          loading={confirm.isPending}
          onConfirm={() => confirm.mutate()}
          onClose={() => setConfirming(false)}
        >
          {t('afterSale.confirmText')}
        </ConfirmDialog>
        <Text size="sm" data-testid="tracking-number">
          {t('afterSale.trackingNumber')}: {waybill ?? t('afterSale.notIssued')}
        </Text>
        {order.deliveredAt && (
          <Text size="sm">{t('afterSale.deliveredAt', { date: formatDateTime(order.deliveredAt) })}</Text>
        )}
        {confirmedAt && (
          <Text size="sm">{t('afterSale.confirmedAt', { date: formatDateTime(confirmedAt) })}</Text>
        )}
        <RefundedLine order={order} claims={claims} />
        {claimable && requesting === null && (
          <>
            <Text size="sm" c="dimmed">
              {t('afterSale.claimableUntil', { date: formatDateTime(claimableUntil) })}
            </Text>
            {/* Side by side only where both labels fit whole; stacked on a phone ("Request an exchange"). */}
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" data-testid="claim-buttons">
              <Button variant="light" onClick={() => setRequesting('RETURN')}>
                {t('afterSale.requestReturn')}
              </Button>
              <Button variant="light" onClick={() => setRequesting('EXCHANGE')}>
                {t('afterSale.requestExchange')}
              </Button>
            </SimpleGrid>
          </>
        )}
        {/* Once opened, the form stays until sent or closed: if the order changed meanwhile (another
            claim, the window closed), the server's refusal says so. */}
        {requesting !== null && (
          <ClaimRequestForm
            key={requesting}
            order={order}
            type={requesting}
            claims={claims}
            onClose={() => setRequesting(null)}
          />
        )}
      </Stack>
    </Card>
  );
}

/**
 * What returns gave back so far: the PG's part (the order's `returnsRefundedAmount`) and the points of
 * the completed returns, added up from shipping-service's claims. The order's `refundedPoints` is the
 * same sum on a paid order (each completed return's `pointsRefund`, once per claim, the figure
 * user-service credits), learnt from that event a moment later; it is absent from an older
 * order-service and 0 for returns completed before its timeline kept facts, so the claims stay the
 * source here.
 */
function RefundedLine({ order, claims }: { order: Order; claims: Claim[] }) {
  const { t } = useTranslation();
  const amount = returnsRefunded(order);
  const points = claims
    .filter((claim) => claim.type === 'RETURN' && claim.status === 'COMPLETED')
    .reduce((sum, claim) => sum + claim.pointsRefund, 0);
  if (amount === 0 && points === 0) return null;
  return (
    <Text size="sm" fw={600} data-testid="refunded-amount">
      {points === 0
        ? t('afterSale.refunded', { amount: formatWon(amount) })
        : amount === 0
          ? t('afterSale.refundedPoints', { points: formatPoints(points) })
          : t('afterSale.refundedWithPoints', {
              amount: formatWon(amount),
              points: formatPoints(points),
            })}
    </Text>
  );
}

/** My returns and exchanges, newest first: state, lines, refund (and fee), a rejection's reason. */
function ClaimList({ order, claims }: { order: Order; claims: Claim[] }) {
  const { t } = useTranslation();
  return (
    <Stack component="ul" gap="sm" m={0} p={0} aria-label={t('afterSale.claims')}>
      {claims.map((claim) => (
        <Card
          component="li"
          key={claim.id}
          withBorder
          padding="sm"
          style={{ listStyle: 'none' }}
          data-testid="claim"
        >
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Text fw={600} size="sm">
              {t('afterSale.claimHeading', {
                type: t(`status.claimType.${claim.type}`),
                reason: t(`status.claimReason.${claim.reason}`),
              })}
            </Text>
            <ClaimStatusBadge status={claim.status} />
          </Group>
          <Stack gap={2} mt={4}>
            {claim.items.map((item) => (
              <Text key={item.orderItemId} size="sm" c="dimmed">
                <ClaimItemText
                  item={item}
                  productId={order.items.find((line) => line.id === item.orderItemId)?.productId}
                />
              </Text>
            ))}
          </Stack>
          {claim.type === 'RETURN' && claim.status !== 'REJECTED' && (
            <Text size="sm" mt={4} data-testid="claim-refund">
              {claim.status === 'COMPLETED'
                ? claim.feeAmount > 0
                  ? t('afterSale.refundAmountWithFee', {
                      amount: formatWon(claim.refundAmount),
                      fee: formatWon(claim.feeAmount),
                    })
                  : t('afterSale.refundAmount', { amount: formatWon(claim.refundAmount) })
                : claim.feeAmount > 0
                  ? t('afterSale.refundEstimateWithFee', {
                      amount: formatWon(claim.refundAmount),
                      fee: formatWon(claim.feeAmount),
                    })
                  : t('afterSale.refundEstimate', { amount: formatWon(claim.refundAmount) })}
            </Text>
          )}
          {claim.type === 'RETURN' && claim.status !== 'REJECTED' && claim.pointsRefund > 0 && (
            <Text size="sm" data-testid="claim-points-refund">
              {t(claim.status === 'COMPLETED' ? 'afterSale.pointsRefund' : 'afterSale.pointsRefundEstimate', {
                amount: formatPoints(claim.pointsRefund),
              })}
            </Text>
          )}
          {claim.rejectReason && (
            <Text size="sm" c="red.8" mt={4}>
              {t('afterSale.rejectReason', { reason: claim.rejectReason })}
            </Text>
          )}
          {claim.status === 'REQUESTED' && claim.pickupCancelledAt !== null ? (
            // The courier cancelled the pickup: its waybill is void, and the shop decides again.
            <Text size="sm" c="orange.8" mt={4} data-testid="claim-pickup-cancelled">
              {t('afterSale.pickupCancelled')}
            </Text>
          ) : (
            claim.pickupTrackingNumber && (
              <Text size="xs" c="dimmed" mt={4}>
                {t('afterSale.pickupNumber', { number: claim.pickupTrackingNumber })}
              </Text>
            )
          )}
          <Text size="xs" c="dimmed">
            {t('afterSale.requestedAt', { date: formatDateTime(claim.createdAt) })}
          </Text>
        </Card>
      ))}
    </Stack>
  );
}

/** What payment-service gave back through the PG for this order, refund by refund. */
function PaymentRefunds({ order }: { order: Order }) {
  const { t } = useTranslation();
  const payments = useQuery(orderPaymentsQuery(order.orderNumber));
  const refunds = payments.data?.payments.flatMap((payment) => payment.refunds) ?? [];
  if (refunds.length === 0) return null;
  return (
    <Section id="refunds" title={t('afterSale.refunds')}>
      <Stack component="ul" gap="xs" m={0} p={0} aria-label={t('afterSale.refunds')}>
        {refunds.map((refund) => (
          <Group
            component="li"
            key={refund.claimId}
            justify="space-between"
            wrap="nowrap"
            style={{ listStyle: 'none' }}
          >
            <div>
              <Text size="sm">
                {refund.status === 'DONE' ? t('afterSale.refundDone') : t('afterSale.refundPending')}
              </Text>
              <Text size="xs" c="dimmed">
                {formatDateTime(refund.refundedAt ?? refund.requestedAt)}
              </Text>
            </div>
            <Text size="sm" fw={600}>
              {formatWon(refund.amount)}
            </Text>
          </Group>
        ))}
      </Stack>
    </Section>
  );
}
