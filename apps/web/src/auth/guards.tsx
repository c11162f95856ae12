import { Navigate, Outlet, useLocation } from 'react-router';
import { ShopLayout } from '../layouts/ShopLayout.tsx';
import { ForbiddenPage } from '../pages/ForbiddenPage.tsx';
import { loginPath } from './return-to.ts';
import { useSession } from './use-session.ts';

/** Renders the child routes for signed-in users; sends everyone else to log in and come back. */
export function RequireUser() {
  const { user } = useSession();
  return user ? <Outlet /> : <RedirectToLogin />;
}

/** Like RequireUser, but signed-in non-admins get a 403 page instead of the admin screens. */
export function RequireAdmin() {
  const { user } = useSession();
  if (!user) return <RedirectToLogin />;
  if (user.role === 'ADMIN') return <Outlet />;
  return (
    <ShopLayout>
      <ForbiddenPage />
    </ShopLayout>
  );
}

function RedirectToLogin() {
  const { signOutReason } = useSession();
  const location = useLocation();
  const here = `${location.pathname}${location.search}${location.hash}`;
  return <Navigate to={loginPath(here, signOutReason)} replace />;
}
