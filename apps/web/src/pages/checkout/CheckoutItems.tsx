import { Alert, Card, List, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatWon } from '../../lib/format.ts';
import type { ItemPreview } from '../../orders/checkout-items.ts';
import type { OrderItemRequest, OrderQuote, QuoteLine } from '../../orders/orders-api.ts';
import { OrderItemsTable } from '../orders/OrderItemsTable.tsx';

interface CheckoutItemsProps {
  items: OrderItemRequest[];
  /** What the cart (or, for buy now, the product page) knew of the items. */
  previews: readonly ItemPreview[];
  quote: OrderQuote | undefined;
}

/**
 * The server's priced lines once quoted; until then (or when the quote is refused) what the cart or
 * the product page knew, and a neutral name for an item neither did: never its SKU id.
 */
export function CheckoutItems({ items, previews, quote }: CheckoutItemsProps) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="items-title">
      <Stack gap="sm">
        <Title id="items-title" order={2} size="h4">
          {t('checkout.items')}
        </Title>
        {quote ? (
          <OrderItemsTable items={quote.lines} />
        ) : (
          <UnpricedItems items={items} previews={previews} />
        )}
        {quote && <StockWarning lines={quote.lines} />}
      </Stack>
    </Card>
  );
}

function UnpricedItems({ items, previews }: { items: OrderItemRequest[]; previews: readonly ItemPreview[] }) {
  const { t } = useTranslation();
  return (
    <Table verticalSpacing="sm" aria-label={t('checkout.items')}>
      <Table.Tbody>
        {items.map((item) => {
          const line = previews.find((candidate) => candidate.skuId === item.skuId);
          return (
            <Table.Tr key={item.skuId}>
              <Table.Td>
                <Text fw={500}>{line?.name ?? t('checkout.unknownItem')}</Text>
                {line?.optionLabel && (
                  <Text size="xs" c="dimmed">
                    {line.optionLabel}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right">{line ? formatWon(line.unitPrice) : '—'}</Table.Td>
              <Table.Td ta="right">× {item.quantity}</Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

/** Lines the stock may not cover; the reservation decides, so this warns rather than blocks. */
function StockWarning({ lines }: { lines: QuoteLine[] }) {
  const short = lines.filter((line) => !line.inStock || line.availableStock < line.quantity);
  const { t } = useTranslation();
  if (short.length === 0) return null;
  return (
    <Alert color="orange" variant="light" title={t('checkout.notEnoughStock')} role="alert">
      <List size="sm">
        {short.map((line) => (
          <List.Item key={line.skuId}>
            {t('checkout.stockLine', {
              name: line.productName,
              state:
                line.availableStock > 0
                  ? t('cart.onlyLeft', { count: line.availableStock })
                  : t('cart.soldOut'),
            })}
          </List.Item>
        ))}
      </List>
      <Text size="xs" mt={4}>
        {t('checkout.stockWouldCancel')}
      </Text>
    </Alert>
  );
}
