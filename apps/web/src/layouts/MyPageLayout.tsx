import { type SideNavItem, SideNavLayout } from './SideNavLayout.tsx';

const MY_PAGE_NAV: SideNavItem[] = [
  { label: 'Profile', to: '/me/profile' },
  { label: 'Points', to: '/me/points' },
  { label: 'Orders', to: '/me/orders' },
  { label: 'Coupons', to: '/me/coupons' },
];

export function MyPageLayout() {
  return <SideNavLayout title="My page" items={MY_PAGE_NAV} />;
}
