import { Navigate, Outlet, useLocation } from 'react-router';
import { ShopLayout } from '../layouts/ShopLayout.tsx';
import { ForbiddenPage } from '../pages/ForbiddenPage.tsx';
import type { Role } from './access-token.ts';
import { loginPath } from './return-to.ts';
import { useSession } from './use-session.ts';

/** Renders the child routes for signed-in users; sends everyone else to log in and come back. */
export function RequireUser() {
  const { user } = useSession();
  return user ? <Outlet /> : <RedirectToLogin />;
}

/** Like RequireUser, but signed-in non-admins get a 403 page instead of the admin screens. */
export function RequireAdmin() {
  return <RequireRole roles={['ADMIN']} />;
}

/** The admin console's frame: admins and agents (who see only the chat console in it). */
export function RequireStaff() {
  return <RequireRole roles={['AGENT', 'ADMIN']} />;
}

/** Inside the admin console (its layout already drawn): admins only, a bare 403 for agents. */
export function RequireAdminInConsole() {
  return <RequireRole roles={['ADMIN']} inConsole />;
}

function RequireRole({ roles, inConsole = false }: { roles: readonly Role[]; inConsole?: boolean }) {
  const { user } = useSession();
  if (!user) return <RedirectToLogin />;
  if (roles.includes(user.role)) return <Outlet />;
  if (inConsole) return <ForbiddenPage />;
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
