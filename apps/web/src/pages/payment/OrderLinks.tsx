import { Anchor, Button, Group } from '@mantine/core';
import { Link } from 'react-router';

/** To the order (when known) and the order list. */
export function OrderLinks({ orderId, primary = false }: { orderId: string | null; primary?: boolean }) {
  return (
    <Group>
      {orderId && (
        <Button
          component={Link}
          to={`/me/orders/${encodeURIComponent(orderId)}`}
          variant={primary ? 'filled' : 'light'}
        >
          View order
        </Button>
      )}
      <Anchor component={Link} to="/me/orders">
        My orders
      </Anchor>
    </Group>
  );
}
