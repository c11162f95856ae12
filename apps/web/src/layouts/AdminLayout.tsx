import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import type { Role } from '../auth/access-token.ts';
import { useSession } from '../auth/use-session.ts';
import type { ko } from '../i18n/ko.ts';
import { type SideNavItem, SideNavLayout } from './SideNavLayout.tsx';

type AdminNavItem = Omit<SideNavItem, 'label'> & {
  /** A fixed label, or a key of the translated `adminNav` table. */
  label: string | { key: keyof typeof ko.adminNav };
  roles?: readonly Role[];
};

/** The console's pages, and who sees them: an agent sees only the help desk. */
const ADMIN_NAV: AdminNavItem[] = [
  { label: 'Platform', to: '/admin/platform' },
  { label: 'Traces', to: '/admin/traces' },
  { label: '상담 콘솔', to: '/admin/chat', roles: ['AGENT', 'ADMIN'] },
  { label: '자주 쓰는 답변', to: '/admin/chat-answers', roles: ['AGENT', 'ADMIN'] },
  { label: 'Users', to: '/admin/users' },
  { label: 'Products', to: '/admin/products' },
  { label: 'Categories', to: '/admin/categories' },
  { label: 'Orders', to: '/admin/orders' },
  { label: 'Payments', to: '/admin/payments' },
  { label: { key: 'shipments' }, to: '/admin/shipping' },
  { label: { key: 'returns' }, to: '/admin/returns' },
  { label: { key: 'exchanges' }, to: '/admin/exchanges' },
  { label: 'Coupons', to: '/admin/coupons' },
  { label: 'Discount policies', to: '/admin/policies' },
];

export function AdminLayout() {
  const { user } = useSession();
  const { t } = useTranslation();
  const role = user?.role ?? 'USER';
  const items = ADMIN_NAV.filter((item) => (item.roles ?? ['ADMIN']).includes(role)).map((item) => ({
    ...item,
    label: typeof item.label === 'string' ? item.label : t(`adminNav.${item.label.key}`),
  }));
  return <SideNavLayout title={role === 'AGENT' ? '상담' : 'Admin'} items={items} admin />;
}

/** /admin: the platform page for admins, the chat console for agents. */
export function AdminHome() {
  const { user } = useSession();
  return <Navigate to={user?.role === 'AGENT' ? 'chat' : 'platform'} replace />;
}
