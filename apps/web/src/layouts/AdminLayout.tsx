import { type SideNavItem, SideNavLayout } from './SideNavLayout.tsx';

const ADMIN_NAV: SideNavItem[] = [
  { label: 'Platform', to: '/admin/platform' },
  { label: 'Traces', to: '/admin/traces' },
  { label: 'Users', to: '/admin/users' },
  { label: 'Products', to: '/admin/products' },
  { label: 'Categories', to: '/admin/categories' },
  { label: 'Orders', to: '/admin/orders' },
  { label: 'Payments', to: '/admin/payments' },
  { label: 'Coupons', to: '/admin/coupons' },
  { label: 'Discount policies', to: '/admin/policies' },
];

export function AdminLayout() {
  return <SideNavLayout title="Admin" items={ADMIN_NAV} admin />;
}
