import { Card, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import type { ChangeEvent } from 'react';
import type { DeliveryFormValues } from '../../orders/delivery-form.ts';

type Name = keyof DeliveryFormValues & string;

interface DeliveryForm {
  field(name: Name): {
    value: string | undefined;
    error: string | undefined;
    onChange: (event: ChangeEvent<HTMLInputElement>) => void;
  };
}

export function DeliveryFields({ form, disabled }: { form: DeliveryForm; disabled: boolean }) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="delivery-title">
      <Stack>
        <Title id="delivery-title" order={2} size="h4">
          Delivery
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Receiver name"
            autoComplete="shipping name"
            disabled={disabled}
            {...form.field('receiverName')}
          />
          <TextInput
            label="Receiver phone"
            type="tel"
            autoComplete="shipping tel"
            placeholder="010-1234-5678"
            disabled={disabled}
            {...form.field('receiverPhone')}
          />
        </SimpleGrid>
        <TextInput
          label="Zip code"
          inputMode="numeric"
          autoComplete="shipping postal-code"
          maw={160}
          disabled={disabled}
          {...form.field('zipcode')}
        />
        <TextInput
          label="Address"
          autoComplete="shipping street-address"
          disabled={disabled}
          {...form.field('address')}
        />
        <TextInput
          label="Address detail"
          description="Optional"
          autoComplete="shipping address-line2"
          placeholder="101동 1001호"
          disabled={disabled}
          {...form.field('addressDetail')}
        />
        <TextInput
          label="Delivery memo"
          description="Optional"
          placeholder="Leave it at the door"
          disabled={disabled}
          {...form.field('memo')}
        />
      </Stack>
    </Card>
  );
}
