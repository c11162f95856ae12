import { Group, NativeSelect, NumberInput, SimpleGrid, TextInput } from '@mantine/core';
import type { ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DiscountFormValues } from '../../admin-promotion/promotion-form.ts';
import { DISCOUNT_TYPES, PROMOTION_STATUSES } from '../../coupons/discount.ts';
import { wonAffix } from '../../lib/format.ts';

type Name = keyof DiscountFormValues & string;

/** What the fields need of a coupon or policy form (see useFormFields). */
export interface DiscountFieldsForm {
  values: DiscountFormValues;
  errors: Partial<Record<Name, string | undefined>>;
  field(name: Name): {
    value: string | undefined;
    error: string | undefined;
    onChange: (event: ChangeEvent<HTMLInputElement>) => void;
  };
  setValue(name: Name, value: string): void;
}

/**
 * Amount, minimum, cap, validity window and status: the terms coupons and policies share.
 * `held`: a coupon someone holds, whose terms stay as they are but for a later end.
 */
export function DiscountTermsFields({ form, held = false }: { form: DiscountFieldsForm; held?: boolean }) {
  const { t } = useTranslation();
  const isRate = form.values.discountType === 'RATE';

  /** Props for a whole-won NumberInput backed by a string value. */
  const wonField = (name: Name) => ({
    value: form.values[name],
    error: form.errors[name],
    onChange: (value: number | string) => form.setValue(name, String(value)),
    allowDecimal: false,
    allowNegative: false,
    thousandSeparator: ',',
    hideControls: true,
  });

  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <NativeSelect
          label={t('adminPromotion.terms.discountType')}
          disabled={held}
          value={form.values.discountType}
          onChange={(event) => {
            const type = event.currentTarget.value;
            form.setValue('discountType', type);
            // A cap means nothing for FIXED: drop it rather than have the server refuse it.
            if (type === 'FIXED') form.setValue('maxDiscount', '');
          }}
          data={DISCOUNT_TYPES.map((value) => ({ value, label: t(`adminPromotion.discountType.${value}`) }))}
        />
        <NumberInput
          label={isRate ? t('adminPromotion.terms.discountRate') : t('adminPromotion.terms.discountWon')}
          {...(isRate ? { suffix: '%' } : wonAffix())}
          min={1}
          max={isRate ? 100 : undefined}
          disabled={held}
          {...wonField('discountValue')}
        />
        <NumberInput
          label={t('adminPromotion.terms.minOrder')}
          description={t('adminPromotion.terms.minOrderHint')}
          {...wonAffix()}
          inputWrapperOrder={['label', 'input', 'description', 'error']}
          disabled={held}
          {...wonField('minOrderAmount')}
        />
        <NumberInput
          label={t('adminPromotion.terms.maxDiscount')}
          description={
            isRate ? t('adminPromotion.terms.maxDiscountHint') : t('adminPromotion.terms.rateOnly')
          }
          {...wonAffix()}
          disabled={held || !isRate}
          inputWrapperOrder={['label', 'input', 'description', 'error']}
          {...wonField('maxDiscount')}
        />
        <TextInput
          label={t('adminPromotion.terms.validFrom')}
          type="datetime-local"
          disabled={held}
          {...form.field('validFrom')}
        />
        <TextInput
          label={t('adminPromotion.terms.validTo')}
          description={held && !form.errors.validTo ? t('adminPromotion.terms.validToExtendOnly') : undefined}
          inputWrapperOrder={['label', 'input', 'description', 'error']}
          type="datetime-local"
          {...form.field('validTo')}
        />
      </SimpleGrid>
      <Group>
        <NativeSelect
          label={t('adminPromotion.terms.status')}
          value={form.values.status}
          onChange={(event) => form.setValue('status', event.currentTarget.value)}
          data={PROMOTION_STATUSES.map((value) => ({ value, label: t(`status.promotion.${value}`) }))}
          w={200}
        />
      </Group>
    </>
  );
}
