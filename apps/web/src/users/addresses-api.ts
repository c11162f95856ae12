import type * as addresses from '@sagamart/contracts/http/addresses';
import { queryOptions } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api } from '../api/client.ts';
import type { DeliveryFormValues } from '../orders/delivery-form.ts';

export type SavedAddress = Static<typeof addresses.AddressView>;
export type AddressRequest = Static<typeof addresses.AddressBody>;

const PATH = '/api/users/me/addresses';

export const myAddressesQuery = queryOptions({
  queryKey: ['me', 'addresses'],
  queryFn: ({ signal }) => api.get<SavedAddress[]>(PATH, { signal }),
});

export function saveAddress(body: AddressRequest): Promise<SavedAddress> {
  return api.post<SavedAddress>(PATH, body);
}

export function replaceAddress(id: string, body: AddressRequest): Promise<SavedAddress> {
  return api.put<SavedAddress>(`${PATH}/${encodeURIComponent(id)}`, body);
}

export function makeDefaultAddress(id: string): Promise<SavedAddress> {
  return api.post<SavedAddress>(`${PATH}/${encodeURIComponent(id)}/default`, {});
}

export function deleteAddress(id: string): Promise<void> {
  return api.delete<void>(`${PATH}/${encodeURIComponent(id)}`);
}

/** The delivery form filled from a saved address; the memo is the order's, so it stays. */
export function deliveryFromAddress(address: SavedAddress, memo = ''): DeliveryFormValues {
  return {
    receiverName: address.receiverName,
    receiverPhone: address.receiverPhone,
    zipcode: address.zipcode,
    address: address.address,
    addressDetail: address.addressDetail ?? '',
    memo,
  };
}

/** What the address book keeps of a delivery form (everything but the memo). */
export function addressFromDelivery(
  values: DeliveryFormValues,
  extra: Partial<AddressRequest> = {},
): AddressRequest {
  return {
    receiverName: values.receiverName.trim(),
    receiverPhone: values.receiverPhone.trim(),
    zipcode: values.zipcode.trim(),
    address: values.address.trim(),
    addressDetail: values.addressDetail.trim() || null,
    ...extra,
  };
}

const digits = (phone: string) => phone.replaceAll(/\D/g, '');

/** The saved address the form holds, if any (phones compared by digits, text trimmed). */
export function matchingAddress(
  values: DeliveryFormValues,
  saved: readonly SavedAddress[],
): SavedAddress | undefined {
  const typed = addressFromDelivery(values);
  return saved.find(
    (address) =>
      address.receiverName === typed.receiverName &&
      digits(address.receiverPhone) === digits(typed.receiverPhone) &&
      address.zipcode === typed.zipcode &&
      address.address === typed.address &&
      (address.addressDetail ?? null) === typed.addressDetail,
  );
}

/** A saved address in one line: `(04524) 서울특별시 중구 세종대로 110 3층`. */
export function addressLine(address: Pick<SavedAddress, 'zipcode' | 'address' | 'addressDetail'>): string {
  return `(${address.zipcode}) ${address.address}${address.addressDetail ? ` ${address.addressDetail}` : ''}`;
}
