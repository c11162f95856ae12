import { Anchor, Button, Group, Text } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { loginPath } from '../auth/return-to.ts';
import { useLogout } from '../auth/use-logout.ts';
import { useSession } from '../auth/use-session.ts';

/** Header links that depend on who is signed in. */
export function AccountLinks() {
  const { user } = useSession();
  const location = useLocation();
  const logout = useLogout();

  if (!user) {
    return (
      <Group gap="sm" wrap="nowrap">
        <Anchor component={Link} to={loginPath(`${location.pathname}${location.search}`)} fw={500}>
          Log in
        </Anchor>
        <Button component={Link} to="/signup" size="xs" variant="light">
          Sign up
        </Button>
      </Group>
    );
  }

  return (
    <Group gap="sm" wrap="nowrap">
      <Text size="sm" c="dimmed" visibleFrom="md" data-testid="signed-in-email">
        {user.email}
      </Text>
      {/* Staff get a way into the console, except inside it (the phone header has no room to spare). */}
      {user.role !== 'USER' && !location.pathname.startsWith('/admin') && (
        <Anchor component={Link} to="/admin" fw={500}>
          {user.role === 'AGENT' ? '상담 콘솔' : 'Admin'}
        </Anchor>
      )}
      <Anchor component={Link} to="/me" fw={500}>
        My page
      </Anchor>
      <Button size="xs" variant="default" onClick={() => void logout()}>
        Log out
      </Button>
    </Group>
  );
}
