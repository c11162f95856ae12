import { Alert, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { formatWon } from '../../lib/format.ts';
import { useLiveOrderUpdates } from '../../notifications/NotificationCenter.tsx';
import { myOrderQuery, type Order } from '../../orders/orders-api.ts';
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

  return (
    <Stack gap="lg" maw={640} mx="auto">
      {confirmation ? (
        <ConfirmPayment confirmation={confirmation} orderIdParam={orderIdParam} />
      ) : (
        <>
          <Title order={1} size="h2">
            Payment
          </Title>
          <Alert color="red" variant="light" title="This payment link is incomplete" role="alert">
            It lacks the payment key, the order number or the amount, so nothing was confirmed.
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
  // refunded after the order was cancelled for timing out makes no notification of its own.
  const followed = useQuery({
    ...orderPaymentsQuery(confirmation.orderNumber, true),
    enabled: pending,
  });
  const latest = followed.data?.payment;
  const payment =
    pending && latest?.paymentKey === confirmation.paymentKey ? latest : (confirmed.data ?? undefined);
  const orderId = orderIdParam ?? payment?.orderId ?? null;

  if (confirmed.isPending) {
    return <Waiting title="Confirming your payment…" text="Please keep this page open." />;
  }
  if (confirmed.isError) {
    return (
      <>
        <Title order={1} size="h2">
          Payment not confirmed
        </Title>
        <ApiErrorAlert error={confirmed.error} title="Your payment could not be confirmed" />
        <OrderLinks orderId={orderId} />
      </>
    );
  }
  if (!payment || payment.status === 'PENDING') {
    return (
      <>
        <Waiting
          title="Waiting for the card company…"
          text="The payment is being processed. This page updates by itself; nothing will be charged twice."
        />
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
  const live = useLiveOrderUpdates(() => orderId !== null && order.refetch());
  const order = useQuery({
    ...myOrderQuery(
      orderId ?? '',
      live ? undefined : (current, answers) => !isFinal(current) && answers < ORDER_PAID_POLLS,
    ),
    enabled: orderId !== null,
  });

  return (
    <>
      <Title order={1} size="h2">
        Payment complete
      </Title>
      <Card withBorder padding="lg">
        <Stack gap="xs">
          <Text>
            {formatWon(payment.amount)} paid for order <strong>{payment.orderNumber}</strong>
            {payment.method ? ` (${payment.method})` : ''}.
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
  return (
    <>
      <Title order={1} size="h2">
        {refunded ? 'Payment refunded' : 'Payment failed'}
      </Title>
      <Alert
        color={refunded ? 'blue' : 'red'}
        variant="light"
        role="alert"
        title={payment.failureMessage ?? undefined}
      >
        {refunded ? (
          <Text size="sm">The order was cancelled, so this payment was refunded in full.</Text>
        ) : (
          <>
            <Text size="sm">
              Nothing was charged. The order is cancelled and everything reserved for it (stock, coupon,
              points) is released.
            </Text>
            {payment.failureCode && (
              <Text size="xs" c="dimmed" mt={4}>
                Code: {payment.failureCode}
              </Text>
            )}
          </>
        )}
      </Alert>
      <OrderLinks orderId={orderId} primary />
    </>
  );
}

function OrderStatusLine({ order }: { order: Order | undefined }) {
  if (!order) return null;
  return (
    <Group gap="xs" aria-live="polite">
      <Text size="sm" c="dimmed">
        Order status
      </Text>
      <OrderStatusBadge status={order.status} />
      {!isFinal(order) && <Loader size="xs" aria-label="Updating" />}
    </Group>
  );
}

function isFinal(order: Order | undefined): boolean {
  return order?.status === 'PAID' || order?.status === 'CANCELLED';
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
