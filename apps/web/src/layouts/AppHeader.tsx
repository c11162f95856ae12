import { Anchor, Badge, Burger, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../auth/use-session.ts';
import { useCart } from '../cart/use-cart.ts';
import { NotificationBell } from '../notifications/NotificationBell.tsx';
import { usePaidCheckoutLeavesCart } from '../orders/use-paid-checkout.ts';
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
  const { t } = useTranslation();
  return (
    <Group h="100%" px={{ base: 'xs', sm: 'md' }} justify="space-between" wrap="nowrap" gap="md">
      <Group gap="xs" wrap="nowrap">
        {navigation && (
          <Burger
            opened={navigation.opened}
            onClick={navigation.toggle}
            hiddenFrom="sm"
            size="sm"
            aria-label={t('nav.toggleNavigation')}
          />
        )}
        <Anchor
          component={Link}
          to="/"
          fw={800}
          fz={{ base: 'lg', sm: 'xl' }}
          underline="never"
          c="dark.9"
          style={{ whiteSpace: 'nowrap', letterSpacing: '-0.02em' }}
          aria-label={t('nav.home')}
        >
          {t('brand.name')}
        </Anchor>
        {admin && (
          <Badge color="orange" variant="light">
            {user?.role === 'AGENT' ? t('nav.agentBadge') : t('nav.adminBadge')}
          </Badge>
        )}
      </Group>
      {!admin && <ProductSearchBox visibleFrom="sm" />}
      <Group gap="sm" wrap="nowrap">
        {user && <NotificationBell />}
        {!admin && <CartLink />}
        <AccountLinks />
      </Group>
    </Group>
  );
}

/**
 * The cart link with the number of units in it; the link's name says the count too. It counts
 * without the lines of an order paid since (whichever way the shopper left the payment result page).
 */
function CartLink() {
  usePaidCheckoutLeavesCart();
  const { itemCount } = useCart();
  const { t } = useTranslation();
  return (
    <Anchor
      component={Link}
      to="/cart"
      fw={500}
      aria-label={itemCount > 0 ? t('nav.cartWithCount', { count: itemCount }) : t('nav.cart')}
      style={{ whiteSpace: 'nowrap' }}
    >
      <Group gap={4} wrap="nowrap">
        {t('nav.cart')}
        {itemCount > 0 && (
          <Badge size="sm" circle={itemCount < 10} variant="filled" data-testid="cart-count">
            {itemCount}
          </Badge>
        )}
      </Group>
    </Anchor>
  );
}
