import { Card, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import type { ChangeEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeliveryFormValues } from '../../orders/delivery-form.ts';

type Name = keyof DeliveryFormValues & string;

export interface DeliveryForm {
  field(name: Name): {
    value: string | undefined;
    error: string | undefined;
    onChange: (event: ChangeEvent<HTMLInputElement>) => void;
  };
}

interface DeliveryFieldsProps {
  form: DeliveryForm;
  disabled: boolean;
  /** Above the fields (the saved addresses to pick from) and below them (save this one). */
  above?: ReactNode;
  below?: ReactNode;
}

export function DeliveryFields({ form, disabled, above, below }: DeliveryFieldsProps) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="delivery-title">
      <Stack>
        <Title id="delivery-title" order={2} size="h4">
          {t('delivery.title')}
        </Title>
        {above}
        <AddressInputs form={form} disabled={disabled} />
        <TextInput
          label={t('delivery.memo')}
          description={t('common.optional')}
          placeholder={t('delivery.memoPlaceholder')}
          disabled={disabled}
          {...form.field('memo')}
        />
        {below}
      </Stack>
    </Card>
  );
}

/** Who receives the parcel and where: the delivery form's fields, and the address book's. */
export function AddressInputs({ form, disabled }: { form: DeliveryForm; disabled: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t('delivery.receiverName')}
          autoComplete="shipping name"
          disabled={disabled}
          {...form.field('receiverName')}
        />
        <TextInput
          label={t('delivery.receiverPhone')}
          type="tel"
          autoComplete="shipping tel"
          placeholder="010-1234-5678"
          disabled={disabled}
          {...form.field('receiverPhone')}
        />
      </SimpleGrid>
      <TextInput
        label={t('delivery.zipcode')}
        inputMode="numeric"
        autoComplete="shipping postal-code"
        maw={160}
        disabled={disabled}
        {...form.field('zipcode')}
      />
      <TextInput
        label={t('delivery.address')}
        autoComplete="shipping street-address"
        disabled={disabled}
        {...form.field('address')}
      />
      <TextInput
        label={t('delivery.addressDetail')}
        description={t('common.optional')}
        autoComplete="shipping address-line2"
        placeholder={t('delivery.addressDetailExample')}
        disabled={disabled}
        {...form.field('addressDetail')}
      />
    </>
  );
}
