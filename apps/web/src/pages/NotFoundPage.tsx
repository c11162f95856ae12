import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../i18n/use-page-title.ts';
import { ErrorPageBody } from './ErrorPageBody.tsx';

export function NotFoundPage() {
  const { t } = useTranslation();
  usePageTitle(t('title.notFound'));
  return <ErrorPageBody title={t('errorPage.notFoundTitle')} text={t('errorPage.notFoundText')} />;
}
