import { Alert, Button, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { Link, useSearchParams } from 'react-router';
import { paymentFailureLabel } from '../../i18n/labels.ts';
import { usePageTitle } from '../../i18n/use-page-title.ts';
import { checkoutRetryPath } from '../../orders/checkout-draft.ts';
import { OrderLinks } from './OrderLinks.tsx';

/** The PG's code when the shopper closed or cancelled the payment window. */
const USER_CANCELLED_CODE = 'PAY_PROCESS_CANCELED';

/**
 * `/payment/fail?code&message&orderNumber&orderId`: the PG sent the shopper back without a payment
 * (the window was cancelled, or the PG refused to start). Nothing was charged; the order still waits
 * for payment until it is paid from its page or cancelled (by the shopper or the unpaid timeout).
 */
export function PaymentFailPage() {
  const [params] = useSearchParams();
  const code = params.get('code');
  const orderNumber = params.get('orderNumber');
  const orderId = params.get('orderId');
  const cancelledByShopper = code === USER_CANCELLED_CODE;
  const { t } = useTranslation();
  usePageTitle(t('title.payment'));

  return (
    <Stack gap="lg" maw={640} mx="auto">
      <Title order={1} size="h2">
        {cancelledByShopper ? t('payment.cancelledTitle') : t('payment.notCompletedTitle')}
      </Title>
      <Alert color="orange" variant="light" role="alert" title={paymentFailureLabel(code)}>
        <Text size="sm">
          {t('payment.nothingCharged')} {orderNumber && t('payment.orderKept', { number: orderNumber })}
        </Text>
      </Alert>
      {/* The order waits for payment, its items held: its page pays it again (결제하기). Checkout, with
          the same items and address, places a new one and lets this one go. */}
      {orderId && (
        <Button component={Link} to={`/me/orders/${encodeURIComponent(orderId)}`} size="md">
          {t('payment.payThisOrder')}
        </Button>
      )}
      <Button
        component={Link}
        to={checkoutRetryPath(orderId)}
        size="md"
        variant={orderId ? 'light' : 'filled'}
      >
        {t('payment.backToCheckout')}
      </Button>
      <OrderLinks orderId={null} />
    </Stack>
  );
}
