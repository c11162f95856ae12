import { Button, Checkbox, Group, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-error.ts';
import { EMPTY_DELIVERY, validateDelivery } from '../../orders/delivery-form.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { useFormFields } from '../../ui/use-form-fields.ts';
import {
  type AddressRequest,
  addressFromDelivery,
  deliveryFromAddress,
  type SavedAddress,
} from '../../users/addresses-api.ts';
import { AddressInputs } from '../checkout/DeliveryFields.tsx';

interface AddressFormProps {
  /** The address being edited; a new one when absent. */
  address?: SavedAddress;
  saving: boolean;
  error: unknown;
  onSave: (body: AddressRequest) => void;
  onCancel: () => void;
}

/** One address of the book: its name, the receiver and where to, and whether it is the default. */
export function AddressForm({ address, saving, error, onSave, onCancel }: AddressFormProps) {
  const { t } = useTranslation();
  const form = useFormFields(
    { ...(address ? deliveryFromAddress(address) : EMPTY_DELIVERY), label: address?.label ?? '' },
    (values) => ({
      ...validateDelivery(values),
      label: values.label.trim().length > 20 ? t('delivery.tooLong', { max: 20 }) : undefined,
    }),
  );
  const [isDefault, setIsDefault] = useState(address?.isDefault ?? false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!form.check()) return;
    onSave(
      addressFromDelivery(form.values, {
        label: form.values.label.trim() || null,
        ...(isDefault ? { isDefault: true } : {}),
      }),
    );
  };

  const full = isApiError(error) && error.status === 409;
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={address ? t('addressBook.editTitle') : t('addressBook.add')}
    >
      <Stack>
        <ApiErrorAlert error={error} title={full ? t('addressBook.full') : t('addressBook.saveFailed')} />
        <TextInput
          label={t('addressBook.label')}
          description={t('common.optional')}
          placeholder={t('addressBook.labelPlaceholder')}
          maw={240}
          {...form.field('label')}
        />
        <AddressInputs form={form} disabled={saving} />
        {!address?.isDefault && (
          <Checkbox
            label={t('addressBook.isDefault')}
            checked={isDefault}
            onChange={(event) => setIsDefault(event.currentTarget.checked)}
          />
        )}
        <Group>
          <Button type="submit" loading={saving}>
            {t('common.save')}
          </Button>
          <Button variant="default" onClick={onCancel} disabled={saving}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
