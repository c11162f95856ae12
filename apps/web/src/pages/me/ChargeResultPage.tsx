import { Alert, Button, Card, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { formatWon } from '../../lib/format.ts';
import { type PaymentConfirmation, paymentConfirmationQuery } from '../../payments/payments-api.ts';
import { chargeQuery } from '../../points/points-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';

function BackToPoints() {
  return (
    <Button component={Link} to="/me/points" variant="light">
      Back to points
    </Button>
  );
}

/**
 * `/me/points/charge/success?paymentKey&orderNumber&amount`: back from the PG after paying for a
 * charge. Confirms the payment exactly as an order's (the server checks the amount), then follows
 * the charge until the points are credited.
 */
export function ChargeSuccessPage() {
  const [params] = useSearchParams();
  const paymentKey = params.get('paymentKey')?.trim();
  const orderNumber = params.get('orderNumber')?.trim();
  const amount = params.get('amount')?.trim() ?? '';
  if (!paymentKey || !orderNumber || !/^\d{1,13}$/.test(amount)) {
    return (
      <Stack gap="lg">
        <Title order={1} size="h2">
          Points charge
        </Title>
        <Alert color="red" variant="light" role="alert" title="This payment link is incomplete">
          Nothing was confirmed and no points were added.
        </Alert>
        <BackToPoints />
      </Stack>
    );
  }
  return <ConfirmCharge confirmation={{ paymentKey, orderNumber, amount: Number(amount) }} />;
}

function ConfirmCharge({ confirmation }: { confirmation: PaymentConfirmation }) {
  const confirmed = useQuery(paymentConfirmationQuery(confirmation));
  const approved = confirmed.data?.status === 'APPROVED';
  const charge = useQuery({
    ...chargeQuery(confirmation.orderNumber, true),
    enabled: confirmed.isSuccess,
  });

  let body: React.ReactNode;
  if (confirmed.isPending || (approved && charge.data?.status !== 'PAID' && !charge.isError)) {
    body = (
      <Stack align="center" py="xl" role="status">
        <Loader />
        <Text c="dimmed">Confirming your payment…</Text>
      </Stack>
    );
  } else if (confirmed.isError) {
    body = <ApiErrorAlert error={confirmed.error} title="Your payment could not be confirmed" />;
  } else if (charge.isError) {
    body = <ApiErrorAlert error={charge.error} onRetry={() => void charge.refetch()} />;
  } else if (charge.data?.status === 'PAID') {
    body = (
      <Card withBorder padding="lg">
        <Text data-testid="charge-result">{formatWon(charge.data.amount)} of points added.</Text>
      </Card>
    );
  } else {
    // Declined, or an amount that does not match the charge: nothing is charged or credited.
    body = (
      <Alert color="red" variant="light" role="alert" title="Payment failed">
        <Text size="sm">{confirmed.data?.failureMessage ?? 'The payment was not approved.'}</Text>
        <Text size="sm">No points were added and nothing was charged.</Text>
      </Alert>
    );
  }
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Points charge
      </Title>
      {body}
      <BackToPoints />
    </Stack>
  );
}

/** `/me/points/charge/fail?code&message`: the payment window was closed or refused to start. */
export function ChargeFailPage() {
  const [params] = useSearchParams();
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Points charge
      </Title>
      <Alert
        color="orange"
        variant="light"
        role="alert"
        title={params.get('message') ?? 'Payment not completed'}
      >
        Nothing was charged and no points were added.
      </Alert>
      <BackToPoints />
    </Stack>
  );
}
