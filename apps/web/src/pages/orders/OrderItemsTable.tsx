import { Box, Group, Image, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatWon } from '../../lib/format.ts';
import { type OrderLine, optionLabel, type QuoteLine } from '../../orders/orders-api.ts';

/** Order lines or priced quote lines, as a list (picture, name, options, price × quantity, amount): it fits a phone. */
export function OrderItemsTable({ items }: { items: Array<OrderLine | QuoteLine> }) {
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
