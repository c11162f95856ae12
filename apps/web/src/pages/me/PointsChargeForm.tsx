import { Button, Card, Group, NumberInput, Stack, Text } from '@mantine/core';
import { POINTS_MAX_CHARGE } from '@sagamart/contracts/rules';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { chargeAboveMaxLabel, serverFieldErrors } from '../../i18n/labels.ts';
import { formatWon, wonAffix } from '../../lib/format.ts';
import { pgCheckoutUrl } from '../../payments/pg-checkout.ts';
import { createCharge } from '../../points/points-api.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';

const QUICK_AMOUNTS = [10_000, 50_000, 100_000];

/** Where the PG sends the browser back after paying for a charge. */
export const CHARGE_RESULT_PAGES = { success: '/me/points/charge/success', fail: '/me/points/charge/fail' };

/**
 * Buying points: the server opens a charge with its own PG order number, the browser pays it at the
 * PG's checkout like an order, and the points are credited once the payment is approved.
 */
export function PointsChargeForm() {
  const [amount, setAmount] = useState<number | ''>('');
  const { t } = useTranslation();
  const [amountError, setAmountError] = useState<string>();

  const charge = useMutation({
    mutationFn: (won: number) => createCharge(won),
    onSuccess: (created) => {
      window.location.assign(
        pgCheckoutUrl(
          {
            orderId: created.chargeId,
            orderNumber: created.chargeNumber,
            amount: created.amount,
            orderName: created.orderName,
          },
          window.location.origin,
          CHARGE_RESULT_PAGES,
        ),
      );
    },
    onError: (error) => setAmountError(serverFieldErrors(error).amount),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (typeof amount !== 'number' || !Number.isInteger(amount) || amount <= 0) {
      setAmountError(t('pointsPage.wholeAmount'));
      return;
    }
    if (amount > POINTS_MAX_CHARGE) {
      setAmountError(chargeAboveMaxLabel());
      return;
    }
    setAmountError(undefined);
    charge.mutate(amount);
  };

  const addQuickAmount = (won: number) => {
    setAmount((current) => (typeof current === 'number' ? current : 0) + won);
    setAmountError(undefined);
  };

  // A message tied to the amount field is shown there; anything else goes in the banner.
  const showBanner = charge.isError && !amountError;

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="charge-title">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text id="charge-title" size="sm" c="dimmed" fw={600}>
            {t('pointsPage.charge')}
          </Text>
          {showBanner && <ApiErrorAlert error={charge.error} title={t('pointsPage.chargeFailed')} />}
          <NumberInput
            label={t('pointsPage.amount')}
            placeholder={formatWon(10_000)}
            {...wonAffix()}
            thousandSeparator=","
            allowDecimal={false}
            allowNegative={false}
            min={1}
            step={1000}
            hideControls
            value={amount}
            onChange={(value) => {
              setAmount(typeof value === 'number' ? value : '');
              setAmountError(undefined);
            }}
            error={amountError}
          />
          <Group gap="xs">
            {QUICK_AMOUNTS.map((won) => (
              <Button
                key={won}
                size="compact-sm"
                variant="default"
                onClick={() => addQuickAmount(won)}
                aria-label={t('pointsPage.add', { amount: formatWon(won) })}
              >
                +{formatWon(won)}
              </Button>
            ))}
          </Group>
          <Group>
            <Button type="submit" loading={charge.isPending || charge.isSuccess}>
              {t('pointsPage.pay')}
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            {t('pointsPage.payNote')}
          </Text>
        </Stack>
      </form>
    </Card>
  );
}
