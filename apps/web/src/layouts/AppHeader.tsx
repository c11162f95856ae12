import { Anchor, Badge, Burger, Group } from '@mantine/core';
import { Link } from 'react-router';
import { useSession } from '../auth/use-session.ts';
import { useCart } from '../cart/use-cart.ts';
import { NotificationBell } from '../notifications/NotificationBell.tsx';
import { AccountLinks } from './AccountLinks.tsx';
import { ProductSearchBox } from './ProductSearchBox.tsx';

interface AppHeaderProps {
  /** Present when the layout has a collapsible side navigation (mobile burger). */
  navigation?: { opened: boolean; toggle: () => void };
  /** Marks the admin console so it is not mistaken for the shop. */
  admin?: boolean;
}

export function AppHeader({ navigation, admin = false }: AppHeaderProps) {
  const { user } = useSession();
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="md">
      <Group gap="xs" wrap="nowrap">
        {navigation && (
          <Burger
            opened={navigation.opened}
            onClick={navigation.toggle}
            hiddenFrom="sm"
            size="sm"
            aria-label="Toggle navigation"
          />
        )}
        <Anchor
          component={Link}
          to="/"
          fw={800}
          fz="xl"
          underline="never"
          c="teal.7"
          aria-label="sagamart home"
        >
          sagamart
        </Anchor>
        {admin && (
          <Badge color="orange" variant="light">
            {user?.role === 'AGENT' ? '상담' : 'Admin'}
          </Badge>
        )}
      </Group>
      {!admin && <ProductSearchBox visibleFrom="sm" />}
      <Group gap="md" wrap="nowrap">
        {user && <NotificationBell />}
        {!admin && <CartLink />}
        <AccountLinks />
      </Group>
    </Group>
  );
}

/** "Cart" with the number of units in it; the link's name says the count too. */
function CartLink() {
  const { itemCount } = useCart();
  return (
    <Anchor
      component={Link}
      to="/cart"
      fw={500}
      aria-label={itemCount > 0 ? `Cart, ${itemCount} items` : 'Cart'}
    >
      <Group gap={4} wrap="nowrap">
        Cart
        {itemCount > 0 && (
          <Badge size="sm" circle={itemCount < 10} variant="filled" data-testid="cart-count">
            {itemCount}
          </Badge>
        )}
      </Group>
    </Anchor>
  );
}
