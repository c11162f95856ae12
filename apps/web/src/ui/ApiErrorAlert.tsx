import { Alert, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/api-error.ts';
import { currentLanguage } from '../i18n/i18n.ts';
import { errorTitle } from '../i18n/labels.ts';

const HANGUL = /[\uac00-\ud7a3]/;
/**
 * A figure as a program prints it: an amount without its separators ("10000"), an internal id (a
 * UUID). Shoppers read amounts formatted and never an internal id, so a detail with one is not shown.
 */
const RAW_FIGURE = /\d{4,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/i;
/** Order and charge numbers (ORD-/PNT-yyyyMMdd-…) are the shopper's own references: not raw figures. */
const SHOPPER_NUMBER = /\b(?:ORD|PNT)-\d{8}-[0-9A-Z]{8}\b/g;
const hasRawFigure = (detail: string) => RAW_FIGURE.test(detail.replace(SHOPPER_NUMBER, ''));

interface ApiErrorAlertProps {
  error: unknown;
  title?: string;
  /** What to say under the title instead of the server's words (e.g. an admin's view of a refusal). */
  message?: string | undefined;
  onRetry?: () => void;
}

/**
 * A failure in the shopper's words. The server's detail is shown only in the reader's language and
 * without raw figures; the trace id stays available for support, folded away under "details for support".
 */
export function ApiErrorAlert({ error, title, message: given, onRetry }: ApiErrorAlertProps) {
  const { t } = useTranslation();
  if (!error) return null;
  const apiError = isApiError(error) ? error : null;
  const heading = title ?? errorTitle(error);
  const detail = apiError && !apiError.isNetworkError ? apiError.detail : undefined;
  // The server's own words when they are in the reader's language: most services explain in
  // English, shipping-service's refusals (return window closed, a claim already open) in Korean.
  // Not when they carry a raw figure: the web's words for the failure say it better. Nor for a 429:
  // its detail names a wait ("try again in 2 s") that the alert would show unchanged, never counting down.
  const readable =
    detail &&
    apiError?.status !== 429 &&
    HANGUL.test(detail) === (currentLanguage() === 'ko') &&
    !hasRawFigure(detail)
      ? detail
      : undefined;
  const message = given ?? (title ? (readable ?? errorTitle(error)) : readable);
  return (
    <Alert color="red" variant="light" title={heading} role="alert">
      {message && message !== heading && <Text size="sm">{message}</Text>}
      {apiError?.traceId && (
        <Text component="details" size="xs" c="dimmed" mt={4}>
          <summary style={{ cursor: 'pointer' }}>{t('error.support')}</summary>
          {t('error.traceId')}: <span translate="no">{apiError.traceId}</span>
        </Text>
      )}
      {onRetry && (
        <Group mt="sm">
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        </Group>
      )}
    </Alert>
  );
}
