import { Anchor, Badge, Burger, Group, TextInput } from '@mantine/core';
import { Link } from 'react-router';
import { AccountLinks } from './AccountLinks.tsx';

interface AppHeaderProps {
  /** Present when the layout has a collapsible side navigation (mobile burger). */
  navigation?: { opened: boolean; toggle: () => void };
  /** Marks the admin console so it is not mistaken for the shop. */
  admin?: boolean;
}

export function AppHeader({ navigation, admin = false }: AppHeaderProps) {
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
            Admin
          </Badge>
        )}
      </Group>
      {!admin && <ProductSearchBox />}
      <Group gap="md" wrap="nowrap">
        {!admin && (
          <Anchor component={Link} to="/cart" fw={500}>
            Cart
          </Anchor>
        )}
        <AccountLinks />
      </Group>
    </Group>
  );
}

// Placeholder until the catalog service exists; it already looks and labels like the real thing.
function ProductSearchBox() {
  return (
    <search style={{ flex: 1, maxWidth: 420 }}>
      <form onSubmit={(event) => event.preventDefault()}>
        <TextInput
          type="search"
          placeholder="Search products"
          aria-label="Search products"
          visibleFrom="sm"
          radius="xl"
        />
      </form>
    </search>
  );
}
