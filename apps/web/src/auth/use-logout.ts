import { notifications } from '@mantine/notifications';
import { useNavigate } from 'react-router';
import { session } from './session.ts';

/** Logs out (server revocation is best effort) and returns to the shop front. */
export function useLogout(): () => Promise<void> {
  const navigate = useNavigate();
  return async () => {
    await session.logout();
    await navigate('/');
    notifications.show({ message: 'You have been logged out.', color: 'gray' });
  };
}
