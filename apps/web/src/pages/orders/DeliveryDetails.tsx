import { Stack, Text } from '@mantine/core';
import type { OrderDelivery } from '../../orders/orders-api.ts';

export function DeliveryDetails({ delivery }: { delivery: OrderDelivery }) {
  return (
    <Stack gap={2}>
      <Text fw={600}>
        {delivery.receiverName} · {delivery.receiverPhone}
      </Text>
      <Text>
        ({delivery.zipcode}) {delivery.address}
        {delivery.addressDetail ? `, ${delivery.addressDetail}` : ''}
      </Text>
      {delivery.memo && (
        <Text size="sm" c="dimmed">
          Memo: {delivery.memo}
        </Text>
      )}
    </Stack>
  );
}
