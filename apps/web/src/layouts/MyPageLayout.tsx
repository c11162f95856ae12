import { useTranslation } from 'react-i18next';
import { SideNavLayout } from './SideNavLayout.tsx';

export function MyPageLayout() {
  const { t } = useTranslation();
  return (
    <SideNavLayout
      title={t('myPage.title')}
      items={[
        { label: t('myPage.profile'), to: '/me/profile' },
        { label: t('myPage.addresses'), to: '/me/addresses' },
        { label: t('myPage.points'), to: '/me/points' },
        { label: t('myPage.orders'), to: '/me/orders' },
        { label: t('myPage.coupons'), to: '/me/coupons' },
      ]}
    />
  );
}
