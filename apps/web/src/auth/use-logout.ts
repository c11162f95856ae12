import { notifications } from '@mantine/notifications';
import { useNavigate } from 'react-router';
import { i18n } from '../i18n/i18n.ts';
import { session } from './session.ts';

/** Logs out (server revocation is best effort) and returns to the shop front. */
export function useLogout(): () => Promise<void> {
  const navigate = useNavigate();
  return async () => {
    await session.logout();
    await navigate('/');
    notifications.show({ message: i18n.t('nav.loggedOut'), color: 'gray' });
  };
}
