import { Text, Timeline } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { timelineLabel } from '../../i18n/labels.ts';
import { formatDateTime } from '../../lib/format.ts';
import type { OrderTimelineEntry } from '../../orders/orders-api.ts';
import { timelineNoteText } from '../../orders/timeline-note.ts';

/** Steps that failed, were refused or gave back; every other step is progress, in the theme's colour. */
const EVENT_COLORS: Partial<Record<OrderTimelineEntry['event'], string>> = {
  PAYMENT_FAILED: 'red',
  CANCELLED: 'red',
  SHIPMENT_CANCELLED: 'red',
  RETURN_REJECTED: 'orange',
  EXCHANGE_REJECTED: 'orange',
  RESERVATIONS_RELEASED: 'blue',
  PAYMENT_REFUNDED: 'blue',
};

/** The order's status changes and payment reports, oldest first. */
/** `showNotes`: each entry's facts (amounts, codes, waybills), worded for the admin, not the shopper. */
export function OrderTimeline({
  entries,
  showNotes = false,
}: {
  entries: OrderTimelineEntry[];
  showNotes?: boolean;
}) {
  const { t } = useTranslation();
  if (entries.length === 0) return <Text c="dimmed">{t('timeline.empty')}</Text>;
  return (
    <Timeline active={entries.length - 1} bulletSize={14} lineWidth={2} aria-label={t('order.timeline')}>
      {entries.map((entry, index) => {
        const note = showNotes ? timelineNoteText(entry) : null;
        return (
          <Timeline.Item
            // biome-ignore lint/suspicious/noArrayIndexKey: entries are append-only and have no id
            key={index}
            color={EVENT_COLORS[entry.event]}
            title={timelineLabel(entry.event)}
          >
            {note && (
              <Text size="sm" c="dimmed">
                {note}
              </Text>
            )}
            <Text size="xs" c="dimmed" mt={2}>
              {formatDateTime(entry.at)}
            </Text>
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
