import { ADDRESS_DETAIL_MAX_LENGTH, ADDRESS_MAX_LENGTH } from '@sagamart/contracts/rules';
import { i18n } from '../i18n/i18n.ts';
import type { FieldErrors } from '../ui/use-form-fields.ts';
import { isValidPhone } from '../users/phone-rule.ts';
import type { Delivery } from './orders-api.ts';

export interface DeliveryFormValues extends Record<string, string> {
  receiverName: string;
  receiverPhone: string;
  zipcode: string;
  address: string;
  addressDetail: string;
  memo: string;
}

export const EMPTY_DELIVERY: DeliveryFormValues = {
  receiverName: '',
  receiverPhone: '',
  zipcode: '',
  address: '',
  addressDetail: '',
  memo: '',
};

const RECEIVER_NAME_MAX = 50;
const MEMO_MAX = 200;
/** Korean postal codes: five digits since 2015. */
const ZIPCODE_PATTERN = /^\d{5}$/;

export function validateDelivery(values: DeliveryFormValues): FieldErrors<DeliveryFormValues> {
  const name = values.receiverName.trim();
  const address = values.address.trim();
  return {
    receiverName: !name
      ? i18n.t('delivery.nameRequired')
      : name.length > RECEIVER_NAME_MAX
        ? i18n.t('delivery.tooLong', { max: RECEIVER_NAME_MAX })
        : undefined,
    receiverPhone: isValidPhone(values.receiverPhone.trim()) ? undefined : i18n.t('rule.phone'),
    zipcode: ZIPCODE_PATTERN.test(values.zipcode.trim()) ? undefined : i18n.t('delivery.zipcodeInvalid'),
    address: !address
      ? i18n.t('delivery.addressRequired')
      : address.length > ADDRESS_MAX_LENGTH
        ? i18n.t('delivery.tooLong', { max: ADDRESS_MAX_LENGTH })
        : undefined,
    // The contract's limits: the address and its detail together fit the courier's address line.
    addressDetail:
      values.addressDetail.trim().length > ADDRESS_DETAIL_MAX_LENGTH
        ? i18n.t('delivery.tooLong', { max: ADDRESS_DETAIL_MAX_LENGTH })
        : undefined,
    memo: values.memo.trim().length > MEMO_MAX ? i18n.t('delivery.tooLong', { max: MEMO_MAX }) : undefined,
  };
}

/** The request's delivery: trimmed, optional fields left out when empty. */
export function deliveryOf(values: DeliveryFormValues): Delivery {
  const delivery: Delivery = {
    receiverName: values.receiverName.trim(),
    receiverPhone: values.receiverPhone.trim(),
    zipcode: values.zipcode.trim(),
    address: values.address.trim(),
  };
  if (values.addressDetail.trim()) delivery.addressDetail = values.addressDetail.trim();
  if (values.memo.trim()) delivery.memo = values.memo.trim();
  return delivery;
}

/** Server field errors name delivery fields `delivery.receiverPhone`; the form knows `receiverPhone`. */
export function deliveryFieldErrors(byField: Record<string, string>): Record<string, string> {
  const mapped: Record<string, string> = {};
  for (const [field, message] of Object.entries(byField)) {
    mapped[field.replace(/^delivery\./, '')] ??= message;
  }
  return mapped;
}
