import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { OrderDelivery } from '../../orders/orders-api.ts';

export function DeliveryDetails({ delivery }: { delivery: OrderDelivery }) {
  const { t } = useTranslation();
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
          {t('delivery.memoLabel', { memo: delivery.memo })}
        </Text>
      )}
    </Stack>
  );
}
