import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import type { Role } from '../auth/access-token.ts';
import { useSession } from '../auth/use-session.ts';
import { usePageTitle } from '../i18n/use-page-title.ts';
import { type SideNavItem, SideNavLayout } from './SideNavLayout.tsx';

type NavKey =
  | 'dashboard'
  | 'platform'
  | 'traces'
  | 'chat'
  | 'chatAnswers'
  | 'users'
  | 'products'
  | 'categories'
  | 'orders'
  | 'payments'
  | 'shipping'
  | 'returns'
  | 'exchanges'
  | 'coupons'
  | 'policies';

/** The console's pages, and who sees them: an agent sees only the help desk. */
const ADMIN_NAV: Array<{ key: NavKey; to: string; roles?: readonly Role[] }> = [
  { key: 'dashboard', to: '/admin/dashboard' },
  { key: 'orders', to: '/admin/orders' },
  { key: 'products', to: '/admin/products' },
  { key: 'categories', to: '/admin/categories' },
  { key: 'users', to: '/admin/users' },
  { key: 'payments', to: '/admin/payments' },
  { key: 'shipping', to: '/admin/shipping' },
  { key: 'returns', to: '/admin/returns' },
  { key: 'exchanges', to: '/admin/exchanges' },
  { key: 'coupons', to: '/admin/coupons' },
  { key: 'policies', to: '/admin/policies' },
  { key: 'chat', to: '/admin/chat', roles: ['AGENT', 'ADMIN'] },
  { key: 'chatAnswers', to: '/admin/chat-answers', roles: ['AGENT', 'ADMIN'] },
  { key: 'platform', to: '/admin/platform' },
  { key: 'traces', to: '/admin/traces' },
];

export function AdminLayout() {
  const { user } = useSession();
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const role = user?.role ?? 'USER';
  const items: SideNavItem[] = ADMIN_NAV.filter((item) => (item.roles ?? ['ADMIN']).includes(role)).map(
    (item) => ({ label: t(`adminNav.${item.key}`), to: item.to }),
  );
  // Every console screen is titled by its section: "주문 · 관리자 | 박신사몰". A section that names the
  // console already (an agent's "상담 콘솔", "Help desk") is not followed by its name again.
  const section = items.find((item) => pathname === item.to || pathname.startsWith(`${item.to}/`));
  const console = role === 'AGENT' ? t('adminNav.agent') : t('adminNav.admin');
  usePageTitle(
    !section ? console : section.label.includes(console) ? section.label : `${section.label} · ${console}`,
  );
  return <SideNavLayout title={console} items={items} admin />;
}

/** /admin: the dashboard for admins, the chat console for agents. */
export function AdminHome() {
  const { user } = useSession();
  return <Navigate to={user?.role === 'AGENT' ? 'chat' : 'dashboard'} replace />;
}
