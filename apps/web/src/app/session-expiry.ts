import { loginPath } from '../auth/return-to.ts';
import type { Session } from '../auth/session.ts';
import type { AppRouter } from './router.tsx';

/**
 * When the server stops honouring the session (refresh rejected: revoked, suspended, expired), take
 * the user to the login page from wherever they are, even a public page, and bring them back after.
 */
export function redirectToLoginWhenSessionExpires(session: Session, router: AppRouter): () => void {
  return session.onExpired(() => {
    const { pathname, search, hash } = router.state.location;
    if (pathname === '/login') return;
    void router.navigate(loginPath(`${pathname}${search}${hash}`, 'expired'), { replace: true });
  });
}
