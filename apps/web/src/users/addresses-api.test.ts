import { describe, expect, it } from 'vitest';
import { EMPTY_DELIVERY } from '../orders/delivery-form.ts';
import {
  addressFromDelivery,
  deliveryFromAddress,
  matchingAddress,
  type SavedAddress,
} from './addresses-api.ts';

const home: SavedAddress = {
  id: '6f1c1c8e-4f57-4f43-9d0e-1a1f1c1e1a10',
  label: '집',
  receiverName: '김하늘',
  receiverPhone: '010-3456-7890',
  zipcode: '04524',
  address: '서울특별시 중구 세종대로 110',
  addressDetail: null,
  isDefault: true,
  createdAt: '2026-12-04T10:00:00.000Z',
  updatedAt: '2026-12-04T10:00:00.000Z',
};

describe('the address book in checkout', () => {
  it('fills the form from a saved address and keeps the memo typed for this order', () => {
    const filled = deliveryFromAddress(home, '문 앞');
    expect(filled).toEqual({
      receiverName: '김하늘',
      receiverPhone: '010-3456-7890',
      zipcode: '04524',
      address: '서울특별시 중구 세종대로 110',
      addressDetail: '',
      memo: '문 앞',
    });
    expect(matchingAddress(filled, [home])).toBe(home);
  });

  it('recognises a typed address as saved whatever the phone format and spacing', () => {
    const typed = {
      ...deliveryFromAddress(home),
      receiverPhone: '01034567890',
      address: ` ${home.address} `,
    };
    expect(matchingAddress(typed, [home])).toBe(home);
    expect(matchingAddress({ ...typed, addressDetail: '3층' }, [home])).toBeUndefined();
    expect(matchingAddress(EMPTY_DELIVERY, [home])).toBeUndefined();
  });

  it('saves what the book keeps: no memo, an empty detail as none', () => {
    expect(addressFromDelivery({ ...deliveryFromAddress(home), memo: '문 앞' }, { isDefault: true })).toEqual(
      {
        receiverName: '김하늘',
        receiverPhone: '010-3456-7890',
        zipcode: '04524',
        address: '서울특별시 중구 세종대로 110',
        addressDetail: null,
        isDefault: true,
      },
    );
  });
});
