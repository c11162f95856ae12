import { Badge, Button, Group, Stack, Text, Timeline } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n/i18n.ts';
import { formatDateTime } from '../../lib/format.ts';
import type { Shipment, TrackingEvent } from '../../orders/after-sale-api.ts';
import { CourierStatusBadge } from '../../ui/badges.tsx';

/** The latest events a history shows before "earlier events": a phone sees where the parcel is now. */
const RECENT_EVENTS = 3;

/**
 * One parcel's way as the courier recorded it, newest first (status, place, time), the earlier events
 * folded away. The shopper's order page and the admin's shipment list both show it. The status is
 * worded here; the place and remark are the courier's own (Korean) words: the place is shown in any
 * language, the courier's sentence only to a Korean reader (the status already says it).
 */
export function CourierHistory({ events }: { events: TrackingEvent[] }) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  const courierWords = currentLanguage() === 'ko';
  if (events.length === 0)
    return (
      <Text c="dimmed" size="sm">
        {t('afterSale.noHistory')}
      </Text>
    );
  const newestFirst = [...events].reverse();
  const shown = all ? newestFirst : newestFirst.slice(0, RECENT_EVENTS);
  const hidden = newestFirst.length - shown.length;
  return (
    <Stack gap="xs" align="flex-start">
      {/* Every event has happened: the whole line is drawn as done. */}
      <Timeline active={shown.length - 1} bulletSize={14} lineWidth={2}>
        {shown.map((event, index) => (
          <Timeline.Item
            // biome-ignore lint/suspicious/noArrayIndexKey: a courier's history is append-only and has no id
            key={index}
            color={event.status === 'CANCELLED' ? 'red' : index === 0 ? 'indigo' : 'blue'}
            title={t(`status.courier.${event.status}`)}
            data-testid="tracking-event"
          >
            <Text size="sm">
              <span lang="ko">{event.where}</span>
              {courierWords && event.remark && ` · ${event.remark}`}
            </Text>
            <Text size="xs" c="dimmed" mt={2}>
              {formatDateTime(event.at)}
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>
      {(hidden > 0 || all) && newestFirst.length > RECENT_EVENTS && (
        <Button variant="subtle" size="xs" px={0} onClick={() => setAll(!all)} aria-expanded={all}>
          {all ? t('afterSale.fewerEvents') : t('afterSale.olderEvents', { count: hidden })}
        </Button>
      )}
    </Stack>
  );
}

/** The order's parcels (the original and any exchange re-ship), each with its courier history. */
export function TrackingTimeline({ shipments }: { shipments: Shipment[] }) {
  const { t } = useTranslation();
  return (
    <Stack gap="lg">
      {shipments.map((shipment) => {
        // Cancelled before a waybill (or with it): never "waiting for a waybill".
        const stopped = shipment.status === 'CANCELLED';
        return (
          <Stack
            key={shipment.id}
            gap="xs"
            component="section"
            aria-label={t('afterSale.trackingOf', { kind: t(`status.shipmentKind.${shipment.kind}`) })}
            data-testid={`shipment-${shipment.kind.toLowerCase()}`}
          >
            <Group justify="space-between" gap="xs" wrap="wrap">
              <Text fw={600} size="sm">
                {t(`status.shipmentKind.${shipment.kind}`)}
              </Text>
              <CourierStatusBadge status={stopped ? 'CANCELLED' : shipment.courierStatus} />
            </Group>
            {stopped && (
              <Text size="sm" c="dimmed">
                {t('afterSale.shipmentStopped')}
              </Text>
            )}
            {shipment.trackingNumber ? (
              <Group gap="xs">
                <Text size="sm" c="dimmed">
                  {t('afterSale.courier')}
                </Text>
                {/* The courier's brand, a proper noun: as it names itself. */}
                <Badge variant="default" radius="sm" translate="no">
                  {shipment.courierName}
                </Badge>
                <Text size="sm" ff="monospace" translate="no">
                  {shipment.trackingNumber}
                </Text>
              </Group>
            ) : (
              !stopped && (
                <Text size="sm" c="dimmed">
                  {t('afterSale.waitingWaybill')}
                </Text>
              )
            )}
            {shipment.trackingNumber && <CourierHistory events={shipment.history} />}
          </Stack>
        );
      })}
    </Stack>
  );
}
