import { type SideNavItem, SideNavLayout } from './SideNavLayout.tsx';

const ADMIN_NAV: SideNavItem[] = [
  { label: 'Platform', to: '/admin/platform' },
  { label: 'Users', to: '/admin/users' },
  { label: 'Products', to: '/admin/products', soon: true },
  { label: 'Orders', to: '/admin/orders', soon: true },
  { label: 'Coupons', to: '/admin/coupons', soon: true },
];

export function AdminLayout() {
  return <SideNavLayout title="Admin" items={ADMIN_NAV} admin />;
}
