import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PROMOTION_STATUSES, type PromotionStatus } from '../../coupons/discount.ts';

/** The status filter of the coupon and policy lists: every status by its label, or all of them (''). */
export function PromotionStatusFilter({
  value,
  onChange,
}: {
  value: PromotionStatus | '';
  onChange: (status: PromotionStatus | '') => void;
}) {
  const { t } = useTranslation();
  return (
    <NativeSelect
      label={t('adminPromotion.list.status')}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value as PromotionStatus | '')}
      data={[
        { value: '', label: t('adminPromotion.list.allStatuses') },
        ...PROMOTION_STATUSES.map((status) => ({ value: status, label: t(`status.promotion.${status}`) })),
      ]}
    />
  );
}
