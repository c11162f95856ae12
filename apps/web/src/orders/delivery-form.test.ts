import { Delivery } from '@sagamart/contracts/http/orders';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { fieldsWithErrors } from '../ui/use-form-fields.ts';
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
    ];
    for (const values of cases) {
      const browserAccepts = invalidFields(values).length === 0;
      expect(Value.Check(Delivery, deliveryOf(values)), JSON.stringify(values)).toBe(browserAccepts);
    }
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
