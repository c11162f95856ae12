import { Alert, Button, Card, Loader, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { isApiError, isTransientError } from '../../api/api-error.ts';
import { paymentFailureLabel } from '../../i18n/labels.ts';
import { usePageTitle } from '../../i18n/use-page-title.ts';
import { formatWon } from '../../lib/format.ts';
import { type PaymentConfirmation, paymentConfirmationQuery } from '../../payments/payments-api.ts';
import { cancelCharge, chargeQuery, myPointsQueryPrefix } from '../../points/points-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';

function BackToPoints() {
  const { t } = useTranslation();
  return (
    <Button component={Link} to="/me/points" variant="light">
      {t('pointsPage.backToPoints')}
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
  const { t } = useTranslation();
  usePageTitle(t('pointsPage.resultTitle'));
  const paymentKey = params.get('paymentKey')?.trim();
  const orderNumber = params.get('orderNumber')?.trim();
  const amount = params.get('amount')?.trim() ?? '';
  if (!paymentKey || !orderNumber || !/^\d{1,13}$/.test(amount)) {
    return (
      <Stack gap="lg">
        <Title order={1} size="h2">
          {t('pointsPage.resultTitle')}
        </Title>
        <Alert color="red" variant="light" role="alert" title={t('pointsPage.incompleteLink')}>
          {t('pointsPage.incompleteLinkText')}
        </Alert>
        <BackToPoints />
      </Stack>
    );
  }
  return <ConfirmCharge confirmation={{ paymentKey, orderNumber, amount: Number(amount) }} />;
}

function ConfirmCharge({ confirmation }: { confirmation: PaymentConfirmation }) {
  const confirmed = useQuery(paymentConfirmationQuery(confirmation));
  const { t } = useTranslation();
  // Approved, or still PENDING at the PG (a slow card: payment-service settles it later): the charge
  // says how it ended. Only a payment refused at once, or a charge that failed, is a failure.
  const refused = confirmed.data?.status === 'FAILED';
  // Refused as cancelled: the charge may have expired while the shopper was at the PG.
  const cancelled = isApiError(confirmed.error) && confirmed.error.code === 'ORDER_CANCELLED';
  const charge = useQuery({
    ...chargeQuery(confirmation.orderNumber, true),
    enabled: confirmed.isSuccess || cancelled,
  });
  // Ended unpaid: not paid in time, or cancelled from the fail page and then paid in the PG's window
  // after all (the browser's back button).
  const endedUnpaid = charge.data?.status === 'EXPIRED' || charge.data?.status === 'CANCELLED';
  const settled = charge.data?.status !== undefined && charge.data.status !== 'PENDING';

  let body: React.ReactNode;
  if (
    confirmed.isPending ||
    // A retry of a confirm that did not get through (the same paymentKey charges nothing twice).
    (confirmed.isError && confirmed.isFetching) ||
    (confirmed.isSuccess && !refused && !settled && !charge.isError)
  ) {
    body = (
      <Stack align="center" py="xl" role="status">
        <Loader />
        <Text c="dimmed">{t('pointsPage.confirming')}</Text>
      </Stack>
    );
  } else if (cancelled && charge.isPending) {
    body = (
      <Stack align="center" py="xl" role="status">
        <Loader />
      </Stack>
    );
  } else if (confirmed.isError && !endedUnpaid) {
    body = (
      <ApiErrorAlert
        error={confirmed.error}
        title={t('pointsPage.notConfirmed')}
        // Unreached or failing server: ask again. A refusal (4xx) is the payment's answer.
        onRetry={isTransientError(confirmed.error) ? () => void confirmed.refetch() : undefined}
      />
    );
  } else if (charge.isError) {
    body = <ApiErrorAlert error={charge.error} onRetry={() => void charge.refetch()} />;
  } else if (charge.data?.status === 'PAID') {
    body = (
      <Card withBorder padding="lg">
        <Text data-testid="charge-result">
          {t('pointsPage.added', { amount: formatWon(charge.data.amount) })}
        </Text>
      </Card>
    );
  } else if (endedUnpaid) {
    // Expired (back from the PG too late, or a slow approval) or cancelled: a late approval is refunded.
    body = (
      <Alert
        color="orange"
        variant="light"
        role="alert"
        title={charge.data?.status === 'CANCELLED' ? t('pointsPage.cancelled') : t('pointsPage.expired')}
      >
        <Text size="sm">{t('pointsPage.expiredText')}</Text>
      </Alert>
    );
  } else {
    // Declined, or an amount that does not match the charge: nothing is charged or credited.
    body = (
      <Alert color="red" variant="light" role="alert" title={t('pointsPage.paymentFailed')}>
        <Text size="sm">
          {confirmed.data?.failureCode
            ? paymentFailureLabel(confirmed.data.failureCode)
            : t('pointsPage.notApproved')}
        </Text>
        <Text size="sm">{t('pointsPage.nothingCharged')}</Text>
      </Alert>
    );
  }
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        {t('pointsPage.resultTitle')}
      </Title>
      {body}
      <BackToPoints />
    </Stack>
  );
}

/**
 * `/me/points/charge/fail?code&message&orderNumber`: the payment window was closed or refused to
 * start. The PG's code says why, in the shopper's words (its message is the PG's, in its language:
 * not shown). The charge is cancelled whatever the reason: the web never pays a charge twice (a new
 * attempt opens a new charge), so it would otherwise wait as 결제 대기 until it expired.
 */
export function ChargeFailPage() {
  const [params] = useSearchParams();
  const { t } = useTranslation();
  usePageTitle(t('pointsPage.resultTitle'));
  const chargeNumber = params.get('orderNumber')?.trim();
  const queryClient = useQueryClient();
  const { mutate: cancel } = useMutation({
    mutationFn: cancelCharge,
    // Refused (already paid, say) or unreached: the charge says how it ended; it expires otherwise.
    onSettled: () => queryClient.invalidateQueries({ queryKey: myPointsQueryPrefix }),
  });
  useEffect(() => {
    if (chargeNumber) cancel(chargeNumber);
  }, [chargeNumber, cancel]);
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        {t('pointsPage.resultTitle')}
      </Title>
      <Alert color="orange" variant="light" role="alert" title={paymentFailureLabel(params.get('code'))}>
        {t('pointsPage.nothingCharged')}
      </Alert>
      <BackToPoints />
    </Stack>
  );
}
