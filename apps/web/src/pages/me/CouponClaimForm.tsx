import { Button, Card, Group, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { COUPON_CODE_MAX_LENGTH } from '@sagamart/contracts/rules';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { claimCoupon, myCouponsQueryPrefix } from '../../coupons/coupons-api.ts';
import { serverFieldErrors } from '../../i18n/labels.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';

export function CouponClaimForm() {
  const queryClient = useQueryClient();
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string>();

  const claim = useMutation({
    mutationFn: (couponCode: string) => claimCoupon(couponCode),
    onSuccess: (coupon) => {
      setCode('');
      notifications.show({ color: 'teal', message: t('couponsPage.claimed', { name: coupon.name }) });
    },
    onError: (error) => setCodeError(serverFieldErrors(error).couponCode),
    onSettled: () => queryClient.invalidateQueries({ queryKey: myCouponsQueryPrefix }),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const couponCode = code.trim();
    if (!couponCode) {
      setCodeError(t('couponsPage.enterCode'));
      return;
    }
    if (couponCode.length > COUPON_CODE_MAX_LENGTH) {
      setCodeError(t('couponsPage.codeTooLong', { max: COUPON_CODE_MAX_LENGTH }));
      return;
    }
    setCodeError(undefined);
    claim.mutate(couponCode);
  };

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="claim-title">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text id="claim-title" size="sm" c="dimmed" fw={600}>
            {t('couponsPage.claimTitle')}
          </Text>
          {claim.isError && !codeError && (
            <ApiErrorAlert error={claim.error} title={t('couponsPage.claimFailed')} />
          )}
          <Group align="flex-start" gap="xs">
            <TextInput
              label={t('couponsPage.code')}
              placeholder={t('couponsPage.codePlaceholder')}
              autoComplete="off"
              autoCapitalize="characters"
              maxLength={COUPON_CODE_MAX_LENGTH}
              value={code}
              onChange={(event) => {
                setCode(event.currentTarget.value);
                setCodeError(undefined);
              }}
              error={codeError}
              w={260}
            />
            <Button type="submit" loading={claim.isPending} mt={25}>
              {t('couponsPage.claim')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
