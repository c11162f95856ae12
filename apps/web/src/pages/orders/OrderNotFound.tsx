import { Button, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/**
 * An order URL that names no order of this shopper's (order-service answers 404 for someone else's
 * too): said as a page, with the way to the orders that are there. Nothing to try again.
 */
export function OrderNotFound() {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" py="xl" align="center" ta="center" data-testid="order-not-found">
      <Title order={1} size="h2">
        {t('order.notFoundTitle')}
      </Title>
      <Text c="dimmed">{t('order.notFoundText')}</Text>
      <Button component={Link} to="/me/orders" variant="light">
        {t('order.toMyOrders')}
      </Button>
    </Stack>
  );
}
