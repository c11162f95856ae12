import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { AdminOrder } from '../../admin-orders/admin-orders-api.ts';

/**
 * The buyer by name and e-mail, linking to the user's page. order-service knows buyers from
 * user-service's events; one it has not heard of yet shows as such, never as an id.
 */
export function BuyerLink({ userId, buyer }: { userId: string; buyer: AdminOrder['buyer'] }) {
  const { t } = useTranslation();
  return (
    <Anchor component={Link} to={`/admin/users/${encodeURIComponent(userId)}`} size="sm">
      {buyer ? (
        <>
          {buyer.name}{' '}
          <Text span size="xs" c="dimmed">
            {buyer.email}
          </Text>
        </>
      ) : (
        t('adminOrders.buyer.unknown')
      )}
    </Anchor>
  );
}
