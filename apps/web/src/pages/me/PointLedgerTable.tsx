import { Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { pointMovementLabel, pointReasonLabel } from '../../i18n/labels.ts';
import { formatDateTime, formatPoints, formatSignedPoints } from '../../lib/format.ts';
import type { PointLedgerEntry } from '../../points/points-api.ts';
import { CardList, CardListItem } from '../../ui/CardList.tsx';

const TYPE_COLORS: Record<string, string> = {
  CHARGE: 'teal',
  EARN: 'teal',
  RETURN: 'blue',
  REFUND: 'blue',
  RESERVE: 'orange',
  RELEASE: 'teal',
};

/**
 * The points ledger as a list of movements: what it was for (never an internal id), amount, balance.
 * user-service sends movements only (not the 0-point COMMIT row of a paid order), so a page shows what
 * its totals count.
 */
export function PointLedgerTable({ entries }: { entries: PointLedgerEntry[] }) {
  const { t } = useTranslation();
  if (entries.length === 0) {
    return <Text c="dimmed">{t('points.empty')}</Text>;
  }
  return (
    <CardList label={t('points.history')}>
      {entries.map((entry) => (
        <CardListItem key={entry.id}>
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Stack gap={2} style={{ minWidth: 0 }}>
              {/* The badge keeps its words; the reason (an order number) wraps below it on a phone. */}
              <Group gap="xs" wrap="wrap">
                <Badge variant="light" color={TYPE_COLORS[entry.type] ?? 'gray'} style={{ flexShrink: 0 }}>
                  {pointMovementLabel(entry.type)}
                </Badge>
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {pointReasonLabel(entry.reason)}
                </Text>
              </Group>
              <Text size="xs" c="dimmed">
                {formatDateTime(entry.createdAt)}
              </Text>
            </Stack>
            <Stack gap={0} align="flex-end" style={{ flexShrink: 0 }}>
              {entry.amount !== 0 && (
                <Text fw={600} c={entry.amount < 0 ? 'red.7' : 'teal.7'}>
                  {formatSignedPoints(entry.amount)}
                </Text>
              )}
              <Text size="xs" c="dimmed">
                {t('points.balance')} {formatPoints(entry.balanceAfter)}
              </Text>
            </Stack>
          </Group>
        </CardListItem>
      ))}
    </CardList>
  );
}
