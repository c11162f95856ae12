import { Alert, Button, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { isNotFoundError } from '../../api/api-error.ts';
import { cart } from '../../cart/cart-store.ts';
import { paymentFailureLabel } from '../../i18n/labels.ts';
import { usePageTitle } from '../../i18n/use-page-title.ts';
import { checkoutRetryPath, completePaidCheckout } from '../../orders/checkout-draft.ts';
import { myOrderQuery, type Order } from '../../orders/orders-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { OrderLinks } from './OrderLinks.tsx';

/** The PG's code when the shopper closed or cancelled the payment window. */
const USER_CANCELLED_CODE = 'PAY_PROCESS_CANCELED';

/**
 * `/payment/fail?code&message&orderNumber&orderId`: the PG sent the shopper back without a payment
 * (the window was cancelled, or the PG refused to start). Nothing was charged. What is offered
 * follows the order's status, read from the server: an order still waiting for payment can be paid
 * from its page (or let go by ordering again); one paid meanwhile (another tab, 주문 내역) is only
 * to be viewed; a cancelled one can be ordered again.
 */
export function PaymentFailPage() {
  const [params] = useSearchParams();
  const orderId = params.get('orderId');
  const { t } = useTranslation();
  usePageTitle(t('title.payment'));
  const query = myOrderQuery(orderId ?? '');
  const order = useQuery({ ...query, enabled: orderId === null ? false : query.enabled });
  const seen = order.data;
  // Paid meanwhile: its lines leave the cart here too.
  useEffect(() => {
    if (seen) completePaidCheckout(seen, cart);
  }, [seen]);

  let body: ReactNode;
  if (orderId === null || (order.isError && isNotFoundError(order.error))) {
    body = <NotPaid params={params} orderId={null} />;
  } else if (order.isError) {
    body = (
      <>
        <Title order={1} size="h2">
          {t('payment.notCompletedTitle')}
        </Title>
        <ApiErrorAlert error={order.error} onRetry={() => void order.refetch()} />
        <OrderLinks orderId={orderId} />
      </>
    );
  } else if (!seen) {
    body = (
      <Stack gap="sm" py="xl" align="center" role="status">
        <Loader />
        <Text c="dimmed">{t('payment.checkingOrder')}</Text>
      </Stack>
    );
  } else if (seen.status === 'PENDING' || seen.status === 'PAYMENT_PENDING') {
    body = <NotPaid params={params} orderId={seen.orderId} orderNumber={seen.orderNumber} />;
  } else if (seen.status === 'CANCELLED') {
    body = <Cancelled params={params} order={seen} />;
  } else {
    body = <AlreadyPaid order={seen} />;
  }
  return (
    <Stack gap="lg" maw={640} mx="auto">
      {body}
    </Stack>
  );
}

function FailTitle({ params }: { params: URLSearchParams }) {
  const { t } = useTranslation();
  return (
    <Title order={1} size="h2">
      {params.get('code') === USER_CANCELLED_CODE
        ? t('payment.cancelledTitle')
        : t('payment.notCompletedTitle')}
    </Title>
  );
}

/** The order (if any is known) still waits for payment. */
function NotPaid({
  params,
  orderId,
  orderNumber = params.get('orderNumber'),
}: {
  params: URLSearchParams;
  orderId: string | null;
  orderNumber?: string | null;
}) {
  const { t } = useTranslation();
  return (
    <>
      <FailTitle params={params} />
      <Alert color="orange" variant="light" role="alert" title={paymentFailureLabel(params.get('code'))}>
        <Text size="sm">
          {t('payment.nothingCharged')}{' '}
          {orderId && orderNumber && t('payment.orderKept', { number: orderNumber })}
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
    </>
  );
}

/** Cancelled meanwhile (the unpaid timeout, the shopper, an admin): nothing to pay, only to order again. */
function Cancelled({ params, order }: { params: URLSearchParams; order: Order }) {
  const { t } = useTranslation();
  return (
    <>
      <FailTitle params={params} />
      <Alert color="orange" variant="light" role="alert" title={paymentFailureLabel(params.get('code'))}>
        <Text size="sm">
          {t('payment.nothingCharged')} {t('payment.orderCancelledText', { number: order.orderNumber })}
        </Text>
      </Alert>
      <Button component={Link} to={checkoutRetryPath(order.orderId)} size="md">
        {t('payment.orderAgain')}
      </Button>
      <OrderLinks orderId={order.orderId} />
    </>
  );
}

/** Paid meanwhile (another tab, 주문 내역 → 결제하기): nothing to pay again. */
function AlreadyPaid({ order }: { order: Order }) {
  const { t } = useTranslation();
  return (
    <>
      <Title order={1} size="h2">
        {t('payment.alreadyPaidTitle')}
      </Title>
      <Alert color="teal" variant="light" role="status">
        <Text size="sm">{t('payment.alreadyPaidText', { number: order.orderNumber })}</Text>
      </Alert>
      <OrderLinks orderId={order.orderId} primary />
    </>
  );
}
