import { Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { paymentFailureLabel, paymentMethodLabel } from '../../i18n/labels.ts';
import { formatDateTime, formatPoints, formatWon } from '../../lib/format.ts';
import type { OrderPaymentEntry } from '../../orders/orders-api.ts';
import { paymentStanding } from '../../payments/payment-standing.ts';
import { PaymentStatusBadge } from '../../ui/badges.tsx';

/**
 * The payments order-service heard of for this order (approved, failed, refunded), one card each.
 * `returnsRefundedAmount` is the order's: what returns got back from its one approved payment, which
 * says whether that payment is partly or wholly refunded (a cancel's refund is a payment's own
 * REFUNDED entry, and not in it). A paid order
 * (`paidAt` set) shows the points that paid for it too: the PG never hears of those, so an order paid
 * with points alone has no payment to list, and one with nothing left to pay says so. One cancelled
 * before it was paid (`cancelledUnpaid`) says nothing was charged, not that nothing was paid "yet".
 * A cancelled order whose points its cancel gives back (`pointsReturn`, paid or not) keeps their line,
 * marked returned once its reservations were released (`returnedAt`), on their way back before.
 */
export function OrderPaymentsTable({
  payments,
  returnsRefundedAmount,
  pointsUsed = 0,
  paidAt = null,
  cancelledUnpaid = false,
  pointsReturn,
}: {
  payments: OrderPaymentEntry[];
  returnsRefundedAmount: number;
  pointsUsed?: number;
  paidAt?: string | null;
  cancelledUnpaid?: boolean;
  pointsReturn?: { returnedAt: string | null } | undefined;
}) {
  const { t } = useTranslation();
  const pointsPaid = paidAt !== null && pointsUsed > 0;
  const pointsShown = pointsUsed > 0 && (pointsPaid || pointsReturn !== undefined);
  const pointsAt = pointsReturn ? pointsReturn.returnedAt : paidAt;
  if (payments.length === 0 && !pointsShown) {
    const none =
      paidAt !== null
        ? t('order.nothingToPay')
        : cancelledUnpaid
          ? t('order.cancelledUnpaid')
          : t('order.noPayment');
    return <Text c="dimmed">{none}</Text>;
  }
  return (
    <Stack component="ul" gap="sm" m={0} p={0} aria-label={t('order.payments')}>
      {pointsShown && (
        <Stack component="li" gap={2} style={{ listStyle: 'none' }} data-testid="points-payment">
          <Group justify="space-between" wrap="nowrap">
            <Group gap="xs" wrap="nowrap">
              {pointsReturn && (
                <Badge color={pointsReturn.returnedAt ? 'blue' : 'yellow'} variant="light">
                  {pointsReturn.returnedAt ? t('order.pointsReturned') : t('order.pointsReturning')}
                </Badge>
              )}
              <Text size="sm">{pointsPaid ? t('order.pointsPayment') : t('order.pointsUsed')}</Text>
            </Group>
            <Text fw={600} size="sm">
              {formatPoints(pointsUsed)}
            </Text>
          </Group>
          {pointsAt && (
            <Text size="xs" c="dimmed">
              {formatDateTime(pointsAt)}
            </Text>
          )}
        </Stack>
      )}
      {payments.map((payment) => (
        <Stack component="li" key={payment.paymentId} gap={2} style={{ listStyle: 'none' }}>
          <Group justify="space-between" wrap="nowrap">
            <Group gap="xs" wrap="nowrap">
              <PaymentStatusBadge status={paymentStanding(payment, returnsRefundedAmount)} />
              {payment.method && <Text size="sm">{paymentMethodLabel(payment.method)}</Text>}
            </Group>
            <Text fw={600} size="sm">
              {formatWon(payment.amount)}
            </Text>
          </Group>
          <Text size="xs" c="dimmed">
            {formatDateTime(payment.refundedAt ?? payment.failedAt ?? payment.approvedAt)}
          </Text>
          {payment.status === 'FAILED' && <Text size="sm">{paymentFailureLabel(payment.code)}</Text>}
        </Stack>
      ))}
      {cancelledUnpaid && payments.length === 0 && (
        <Text component="li" c="dimmed" style={{ listStyle: 'none' }}>
          {t('order.cancelledUnpaid')}
        </Text>
      )}
    </Stack>
  );
}
