import { Anchor, Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** To the order (when known) and the order list. */
export function OrderLinks({ orderId, primary = false }: { orderId: string | null; primary?: boolean }) {
  const { t } = useTranslation();
  return (
    <Group>
      {orderId && (
        <Button
          component={Link}
          to={`/me/orders/${encodeURIComponent(orderId)}`}
          variant={primary ? 'filled' : 'light'}
        >
          {t('payment.viewOrder')}
        </Button>
      )}
      <Anchor component={Link} to="/me/orders">
        {t('common.myOrders')}
      </Anchor>
    </Group>
  );
}
