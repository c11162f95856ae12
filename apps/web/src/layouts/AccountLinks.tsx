import { Anchor, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { loginPath } from '../auth/return-to.ts';
import { useLogout } from '../auth/use-logout.ts';
import { useSession } from '../auth/use-session.ts';

/** Header links that depend on who is signed in. */
export function AccountLinks() {
  const { user } = useSession();
  const location = useLocation();
  const logout = useLogout();
  const { t } = useTranslation();

  if (!user) {
    return (
      <Group gap="sm" wrap="nowrap">
        <Anchor
          component={Link}
          to={loginPath(`${location.pathname}${location.search}`)}
          fw={500}
          style={{ whiteSpace: 'nowrap' }}
        >
          {t('nav.login')}
        </Anchor>
        <Button
          component={Link}
          to="/signup"
          state={{ returnTo: `${location.pathname}${location.search}` }}
          size="xs"
          variant="light"
          visibleFrom="xs"
        >
          {t('nav.signup')}
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
          {user.role === 'AGENT' ? t('nav.console') : t('nav.admin')}
        </Anchor>
      )}
      <Anchor component={Link} to="/me" fw={500} style={{ whiteSpace: 'nowrap' }}>
        {t('nav.myPage')}
      </Anchor>
      <Button size="xs" variant="default" onClick={() => void logout()} visibleFrom="xs">
        {t('nav.logout')}
      </Button>
    </Group>
  );
}
