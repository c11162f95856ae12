import { Group, Image, Table, Text } from '@mantine/core';
import { formatWon } from '../../lib/format.ts';
import { type OrderLine, optionLabel, type QuoteLine } from '../../orders/orders-api.ts';

/** Order lines or priced quote lines: what both have in common is shown. */
export function OrderItemsTable({ items }: { items: Array<OrderLine | QuoteLine> }) {
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table verticalSpacing="sm" aria-label="Items">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Item</Table.Th>
            <Table.Th ta="right">Price</Table.Th>
            <Table.Th ta="right">Qty</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={item.skuId}>
              <Table.Td>
                <Group gap="sm" wrap="nowrap">
                  {item.thumbnailUrl && <Image src={item.thumbnailUrl} alt="" w={40} h={40} radius="sm" />}
                  <div>
                    <Text fw={500}>{item.productName}</Text>
                    {Object.keys(item.options).length > 0 && (
                      <Text size="xs" c="dimmed">
                        {optionLabel(item.options)}
                      </Text>
                    )}
                  </div>
                </Group>
              </Table.Td>
              <Table.Td ta="right">{formatWon(item.unitPrice)}</Table.Td>
              <Table.Td ta="right">{item.quantity}</Table.Td>
              <Table.Td ta="right">{formatWon(item.lineTotal)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
