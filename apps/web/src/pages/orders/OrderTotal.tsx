import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatPoints, formatWon } from '../../lib/format.ts';
import { isPaid, orderTotal } from '../../orders/order-summary.ts';
import type { OrderSummary } from '../../orders/orders-api.ts';

/**
 * An order's amount in a list: what it cost, points included, so an order paid with points does not
 * read "0원"; the points under it ("포인트 19,000P 결제", or "사용" while unpaid or once cancelled).
 * Named "주문 금액", as the order page names the same figure (what the card paid is a line there),
 * unless a table's column header names it (`labelled` false).
 */
export function OrderTotal({
  order,
  size = 'md',
  labelled = true,
}: {
  order: Pick<OrderSummary, 'status' | 'payableAmount' | 'pointsUsed'>;
  size?: 'sm' | 'md';
  labelled?: boolean;
}) {
  const { t } = useTranslation();
  const points = formatPoints(order.pointsUsed);
  return (
    <Stack gap={0} align="flex-end">
      {labelled && (
        <Text size="xs" c="dimmed" data-testid="order-total-label">
          {t('order.orderTotal')}
        </Text>
      )}
      <Text fw={size === 'md' ? 700 : 600} size={size} data-testid="order-total">
        {formatWon(orderTotal(order))}
      </Text>
      {order.pointsUsed > 0 && (
        <Text size="xs" c="dimmed" data-testid="order-points">
          {isPaid(order.status)
            ? t('order.pointsPaid', { amount: points })
            : t('order.pointsApplied', { amount: points })}
        </Text>
      )}
    </Stack>
  );
}
