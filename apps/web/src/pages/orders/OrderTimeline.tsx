import { Text, Timeline } from '@mantine/core';
import { formatDateTime } from '../../lib/format.ts';
import type { OrderTimelineEntry } from '../../orders/orders-api.ts';

const EVENT_LABELS: Record<string, string> = {
  ORDER_CREATED: 'Order received',
  PAYMENT_PENDING: 'Items reserved, waiting for payment',
  PAYMENT_APPROVED: 'Payment approved',
  PAID: 'Paid',
  PAYMENT_FAILED: 'Payment failed',
  CANCELLED: 'Cancelled',
  RESERVATIONS_RELEASED: 'Stock, coupon and points released',
  PAYMENT_REFUNDED: 'Payment refunded',
};

const EVENT_COLORS: Record<string, string> = {
  PAID: 'teal',
  PAYMENT_APPROVED: 'teal',
  PAYMENT_FAILED: 'red',
  CANCELLED: 'red',
  PAYMENT_REFUNDED: 'blue',
};

/** The order's status changes and payment reports, oldest first. */
export function OrderTimeline({ entries }: { entries: OrderTimelineEntry[] }) {
  if (entries.length === 0) return <Text c="dimmed">Nothing has happened yet.</Text>;
  return (
    <Timeline active={entries.length - 1} bulletSize={14} lineWidth={2} aria-label="Order timeline">
      {entries.map((entry, index) => (
        <Timeline.Item
          // biome-ignore lint/suspicious/noArrayIndexKey: entries are append-only and have no id
          key={index}
          color={EVENT_COLORS[entry.event] ?? 'gray'}
          title={EVENT_LABELS[entry.event] ?? entry.event}
        >
          {entry.note && (
            <Text size="sm" c="dimmed">
              {entry.note}
            </Text>
          )}
          <Text size="xs" c="dimmed" mt={2}>
            {formatDateTime(entry.at)}
          </Text>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
