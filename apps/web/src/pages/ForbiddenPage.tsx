import { useTranslation } from 'react-i18next';
import { ErrorPageBody } from './ErrorPageBody.tsx';

export function ForbiddenPage() {
  const { t } = useTranslation();
  return <ErrorPageBody title={t('errorPage.forbiddenTitle')} text={t('errorPage.forbiddenText')} />;
}
