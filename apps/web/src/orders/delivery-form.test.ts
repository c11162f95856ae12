import { AddressBody } from '@sagamart/contracts/http/addresses';
import { Delivery } from '@sagamart/contracts/http/orders';
import { ADDRESS_DETAIL_MAX_LENGTH, ADDRESS_MAX_LENGTH } from '@sagamart/contracts/rules';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { fieldsWithErrors } from '../ui/use-form-fields.ts';
import { addressFromDelivery } from '../users/addresses-api.ts';
import {
  type DeliveryFormValues,
  deliveryFieldErrors,
  deliveryOf,
  EMPTY_DELIVERY,
  validateDelivery,
} from './delivery-form.ts';

const filled: DeliveryFormValues = {
  receiverName: ' 김철수 ',
  receiverPhone: '010-1234-5678',
  zipcode: '06236',
  address: '서울특별시 강남구 테헤란로 123',
  addressDetail: '',
  memo: ' 문 앞에 놓아 주세요 ',
};

const invalidFields = (values: DeliveryFormValues) => fieldsWithErrors(validateDelivery(values));

describe('delivery form', () => {
  it('accepts a complete address and sends it trimmed, leaving empty optional fields out', () => {
    expect(invalidFields(filled)).toEqual([]);
    expect(deliveryOf(filled)).toEqual({
      receiverName: '김철수',
      receiverPhone: '010-1234-5678',
      zipcode: '06236',
      address: '서울특별시 강남구 테헤란로 123',
      memo: '문 앞에 놓아 주세요',
    });
  });

  it('names every missing or malformed field', () => {
    expect(invalidFields(EMPTY_DELIVERY)).toEqual(['receiverName', 'receiverPhone', 'zipcode', 'address']);
    expect(invalidFields({ ...filled, receiverPhone: '02-123-4567', zipcode: '1234' })).toEqual([
      'receiverPhone',
      'zipcode',
    ]);
    expect(invalidFields({ ...filled, receiverName: 'a'.repeat(51), memo: 'm'.repeat(201) })).toEqual([
      'receiverName',
      'memo',
    ]);
  });

  it("sends only what order-service's schema accepts, and refuses what it would refuse", () => {
    const cases: DeliveryFormValues[] = [
      filled,
      { ...filled, addressDetail: '101동 1001호' },
      { ...filled, receiverPhone: '01012345678' },
      { ...filled, receiverPhone: '010-123-456' },
      { ...filled, zipcode: '0623a' },
      { ...filled, receiverName: '   ' },
      { ...filled, address: 'x'.repeat(201) },
      { ...filled, addressDetail: 'd'.repeat(201) },
      // The longest pair the courier can ship, and one character more on either side.
      {
        ...filled,
        address: '가'.repeat(ADDRESS_MAX_LENGTH),
        addressDetail: '나'.repeat(ADDRESS_DETAIL_MAX_LENGTH),
      },
      { ...filled, address: '가'.repeat(ADDRESS_MAX_LENGTH + 1), addressDetail: '나' },
      { ...filled, address: '가', addressDetail: '나'.repeat(ADDRESS_DETAIL_MAX_LENGTH + 1) },
    ];
    for (const values of cases) {
      const browserAccepts = invalidFields(values).length === 0;
      expect(Value.Check(Delivery, deliveryOf(values)), JSON.stringify(values)).toBe(browserAccepts);
    }
  });

  it("holds the address to the order's limits, which the address book shares", () => {
    const longest = {
      ...filled,
      address: '가'.repeat(ADDRESS_MAX_LENGTH),
      addressDetail: '나'.repeat(ADDRESS_DETAIL_MAX_LENGTH),
    };
    expect(invalidFields(longest)).toEqual([]);
    expect(Value.Check(AddressBody, addressFromDelivery(longest))).toBe(true);
    const detailTooLong = { ...longest, addressDetail: '나'.repeat(ADDRESS_DETAIL_MAX_LENGTH + 1) };
    expect(validateDelivery(detailTooLong).addressDetail).toBe(
      `${ADDRESS_DETAIL_MAX_LENGTH}자 이내로 입력해 주세요.`,
    );
    expect(Value.Check(AddressBody, addressFromDelivery(detailTooLong))).toBe(false);
  });

  it("shows the server's delivery field errors next to the form's fields", () => {
    expect(
      deliveryFieldErrors({
        'delivery.receiverPhone': 'Enter a mobile number.',
        couponId: 'Unknown coupon.',
      }),
    ).toEqual({ receiverPhone: 'Enter a mobile number.', couponId: 'Unknown coupon.' });
  });
});
