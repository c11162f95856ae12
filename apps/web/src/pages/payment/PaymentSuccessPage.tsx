import { Alert, Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { isTransientError } from '../../api/api-error.ts';
import { cart } from '../../cart/cart-store.ts';
import { paymentFailureLabel, paymentMethodLabel, problemCodeLabel } from '../../i18n/labels.ts';
import { usePageTitle } from '../../i18n/use-page-title.ts';
import { formatWon } from '../../lib/format.ts';
import { useLiveOrderUpdates } from '../../notifications/NotificationCenter.tsx';
import { checkoutRetryPath, completePaidCheckout } from '../../orders/checkout-draft.ts';
import { myOrderQuery, myOrderQueryKey, type Order } from '../../orders/orders-api.ts';
import {
  orderPaymentsQuery,
  type Payment,
  type PaymentConfirmation,
  paymentConfirmationQuery,
} from '../../payments/payments-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { OrderStatusBadge } from '../../ui/badges.tsx';
import { OrderLinks } from './OrderLinks.tsx';

/**
 * Without the notification socket (offline, reconnecting): order-service turns an approved payment
 * into PAID within moments, so look this many times, a second apart.
 */
const ORDER_PAID_POLLS = 30;

/**
 * `/payment/success?paymentKey&orderNumber&amount&orderId`: where the PG sends the shopper after the
 * payment window. Confirms the payment with the server (which checks the amount), follows a payment
 * the PG has not settled yet, then shows the order turning PAID. The order follows the notification
 * socket (its 결제 완료 refreshes it): it polls only while the socket is not online, and is read once
 * more when the socket (re)connects.
 */
export function PaymentSuccessPage() {
  const [params] = useSearchParams();
  const confirmation = readConfirmation(params);
  const orderIdParam = params.get('orderId');
  const { t } = useTranslation();
  usePageTitle(t('payment.title'));

  return (
    <Stack gap="lg" maw={640} mx="auto">
      {confirmation ? (
        <ConfirmPayment confirmation={confirmation} orderIdParam={orderIdParam} />
      ) : (
        <>
          <Title order={1} size="h2">
            {t('payment.title')}
          </Title>
          <Alert color="red" variant="light" title={t('payment.incompleteLink')} role="alert">
            {t('payment.incompleteLinkText')}
          </Alert>
          <OrderLinks orderId={orderIdParam} />
        </>
      )}
    </Stack>
  );
}

function readConfirmation(params: URLSearchParams): PaymentConfirmation | null {
  const paymentKey = params.get('paymentKey')?.trim();
  const orderNumber = params.get('orderNumber')?.trim();
  const amountText = params.get('amount')?.trim() ?? '';
  if (!paymentKey || !orderNumber || !/^\d{1,13}$/.test(amountText)) return null;
  return { paymentKey, orderNumber, amount: Number(amountText) };
}

function ConfirmPayment({
  confirmation,
  orderIdParam,
}: {
  confirmation: PaymentConfirmation;
  orderIdParam: string | null;
}) {
  const confirmed = useQuery(paymentConfirmationQuery(confirmation));
  const pending = confirmed.data?.status === 'PENDING';
  // 202: the PG did not answer in time; payment-service settles it and this follows along. A push
  // (결제 완료, 결제 실패) refreshes it at once, but it keeps polling while PENDING: a late approval
  // for an order cancelled meanwhile is pushed only once it has been refunded (결제 환불).
  const followed = useQuery({
    ...orderPaymentsQuery(confirmation.orderNumber, true),
    enabled: pending,
  });
  const latest = followed.data?.payment;
  const payment =
    pending && latest?.paymentKey === confirmation.paymentKey ? latest : (confirmed.data ?? undefined);
  const orderId = orderIdParam ?? payment?.orderId ?? null;
  const { t } = useTranslation();

  // A retry of a confirm that did not get through (the same paymentKey charges nothing twice).
  if (confirmed.isPending || (confirmed.isError && confirmed.isFetching)) {
    return <Waiting title={t('payment.confirming')} text={t('payment.keepOpen')} />;
  }
  if (confirmed.isError) {
    // Unreached or failing server: ask again. A refusal (4xx) is the payment's answer: a link whose
    // key, order or amount the server does not confirm (cut short, edited), or an order it names why.
    const transient = isTransientError(confirmed.error);
    return (
      <>
        <Title order={1} size="h2">
          {t('payment.notConfirmedTitle')}
        </Title>
        {transient ? (
          <ApiErrorAlert error={confirmed.error} onRetry={() => void confirmed.refetch()} />
        ) : (
          <ApiErrorAlert
            error={confirmed.error}
            title={t('payment.linkNotConfirmed')}
            message={problemCodeLabel(confirmed.error) ?? t('payment.linkNotConfirmedText')}
          />
        )}
        <OrderLinks orderId={orderId} />
      </>
    );
  }
  if (!payment || payment.status === 'PENDING') {
    return (
      <>
        <Waiting title={t('payment.waitingCard')} text={t('payment.waitingCardText')} />
        {followed.isError && <ApiErrorAlert error={followed.error} onRetry={() => void followed.refetch()} />}
        <OrderLinks orderId={orderId} />
      </>
    );
  }
  if (payment.status === 'APPROVED') return <PaymentApproved payment={payment} orderId={orderId} />;
  return <PaymentNotApproved payment={payment} orderId={orderId} />;
}

function PaymentApproved({ payment, orderId }: { payment: Payment; orderId: string | null }) {
  // The order becomes PAID once order-service has processed the approval: its 결제 완료 notification
  // refreshes it (polling only while the socket is not online).
  const live = useLiveOrderUpdates(orderId === null ? null : myOrderQueryKey(orderId));
  const order = useQuery({
    ...myOrderQuery(
      orderId ?? '',
      live ? undefined : (current, answers) => !isFinal(current) && answers < ORDER_PAID_POLLS,
    ),
    enabled: orderId !== null,
  });
  const { t } = useTranslation();
  const status = order.data?.status;
  // Only once the order is paid do the ordered lines leave the cart.
  useEffect(() => {
    if (orderId && status) completePaidCheckout({ orderId, status }, cart);
  }, [orderId, status]);

  return (
    <>
      <Title order={1} size="h2">
        {t('payment.completeTitle')}
      </Title>
      <Card withBorder padding="lg">
        <Stack gap="xs">
          <Text>
            {t('payment.paidFor', { amount: formatWon(payment.amount), number: payment.orderNumber })}
            {payment.method ? ` (${paymentMethodLabel(payment.method)})` : ''}
          </Text>
          <OrderStatusLine order={order.data} />
        </Stack>
      </Card>
      <OrderLinks orderId={orderId} primary />
    </>
  );
}

function PaymentNotApproved({ payment, orderId }: { payment: Payment; orderId: string | null }) {
  const refunded = payment.status === 'REFUNDED';
  const { t } = useTranslation();
  return (
    <>
      <Title order={1} size="h2">
        {refunded ? t('payment.refundedTitle') : t('payment.failedTitle')}
      </Title>
      <Alert
        color={refunded ? 'blue' : 'red'}
        variant="light"
        role="alert"
        title={refunded ? undefined : paymentFailureLabel(payment.failureCode)}
      >
        <Text size="sm">
          {refunded ? t('payment.refundedText') : t('payment.failedText', { number: payment.orderNumber })}
        </Text>
      </Alert>
      {/* The failed payment cancelled the order (the saga does): there is nothing left to pay, only to
          order its lines again, which checkout reads from the order itself. */}
      {!refunded && (
        <Button component={Link} to={checkoutRetryPath(orderId)} size="md">
          {t('payment.orderAgain')}
        </Button>
      )}
      <OrderLinks orderId={orderId} primary={refunded} />
    </>
  );
}

function OrderStatusLine({ order }: { order: Order | undefined }) {
  const { t } = useTranslation();
  if (!order) return null;
  return (
    <Group gap="xs" aria-live="polite">
      <Text size="sm" c="dimmed">
        {t('payment.orderStatus')}
      </Text>
      <OrderStatusBadge status={order.status} />
      {!isFinal(order) && <Loader size="xs" aria-label={t('payment.updating')} />}
    </Group>
  );
}

/** Settled as far as this page goes: paid (and maybe shipped on since), or cancelled. */
function isFinal(order: Order | undefined): boolean {
  return order !== undefined && order.status !== 'PENDING' && order.status !== 'PAYMENT_PENDING';
}

function Waiting({ title, text }: { title: string; text: string }) {
  return (
    <Stack gap="sm" py="xl" align="center" role="status">
      <Loader />
      <Title order={1} size="h3">
        {title}
      </Title>
      <Text c="dimmed" ta="center">
        {text}
      </Text>
    </Stack>
  );
}
