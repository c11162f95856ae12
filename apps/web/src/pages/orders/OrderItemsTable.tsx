import { Box, Group, Image, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatWon } from '../../lib/format.ts';
import type { LineClaims } from '../../orders/order-summary.ts';
import { type OrderLine, optionLabel, type QuoteLine } from '../../orders/orders-api.ts';

/**
 * Order lines or priced quote lines, as a list (picture, name, options, price × quantity, amount): it
 * fits a phone. `claims` (by order line id) marks the units each line sent back in returns and exchanges.
 */
export function OrderItemsTable({
  items,
  claims,
}: {
  items: Array<OrderLine | QuoteLine>;
  claims?: ReadonlyMap<number, LineClaims>;
}) {
  const { t } = useTranslation();
  return (
    <Stack component="ul" gap="sm" m={0} p={0} aria-label={t('order.items')}>
      {items.map((item) => (
        <Box component="li" key={item.skuId} style={{ listStyle: 'none' }} data-testid="order-line">
          <Group gap="sm" wrap="nowrap" align="flex-start">
            {item.thumbnailUrl && <Image src={item.thumbnailUrl} alt="" w={48} h={48} radius="sm" />}
            <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
              <Text fw={500} size="sm">
                {item.productName}
              </Text>
              {Object.keys(item.options).length > 0 && (
                <Text size="xs" c="dimmed">
                  {optionLabel(item.options)}
                </Text>
              )}
              <Text size="xs" c="dimmed">
                {formatWon(item.unitPrice)} × {t('common.unit', { count: item.quantity })}
              </Text>
              {'id' in item && <ClaimedUnits line={claims?.get(item.id)} />}
            </Stack>
            <Text fw={600} size="sm" style={{ whiteSpace: 'nowrap' }}>
              {formatWon(item.lineTotal)}
            </Text>
          </Group>
        </Box>
      ))}
    </Stack>
  );
}

/** "반품 1개 · 교환 진행 중 1개": what of the line went back, so "× 2개" is not read as all kept. */
function ClaimedUnits({ line }: { line: LineClaims | undefined }) {
  const { t } = useTranslation();
  if (!line) return null;
  const parts = [
    line.returned > 0 && t('order.lineReturned', { count: line.returned }),
    line.exchanged > 0 && t('order.lineExchanged', { count: line.exchanged }),
    line.returning > 0 && t('order.lineReturning', { count: line.returning }),
    line.exchanging > 0 && t('order.lineExchanging', { count: line.exchanging }),
  ].filter(Boolean);
  if (parts.length === 0) return null;
  return (
    <Text size="xs" fw={500} c="orange.8" data-testid="line-claims">
      {parts.join(' · ')}
    </Text>
  );
}
