import { describe, expect, it } from 'vitest';
import { createCartStore } from '../cart/cart-store.ts';
import {
  type CheckoutDraft,
  completeCheckout,
  type DraftStorage,
  readCheckoutDraft,
  saveCheckoutDraft,
} from './checkout-draft.ts';
import { EMPTY_DELIVERY } from './delivery-form.ts';

function memoryStorage(): DraftStorage {
  const values = new Map<string, string>();
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  };
}

function cartWith(...skuIds: number[]) {
  let stored: ReturnType<ReturnType<typeof createCartStore>['getSnapshot']>['items'] = [];
  const cart = createCartStore({
    read: () => [...stored],
    write: (items) => {
      stored = items;
    },
    watch: () => () => {},
  });
  for (const skuId of skuIds)
    cart.add({ skuId, productId: 1, name: `p${skuId}`, optionLabel: '', unitPrice: 1000, quantity: 1 });
  return cart;
}

const draft: CheckoutDraft = {
  delivery: { ...EMPTY_DELIVERY, receiverName: '이지우', address: '서울시 강남구 테헤란로 1' },
  orderId: 'order-1',
  skuIds: [1, 2],
};

describe('checkout draft', () => {
  it('keeps the address and the cart while the payment is open', () => {
    const store = memoryStorage();
    const cart = cartWith(1, 2, 3);
    saveCheckoutDraft(draft, store);
    expect(readCheckoutDraft(store)?.delivery.address).toBe('서울시 강남구 테헤란로 1');
    expect(cart.getSnapshot().items).toHaveLength(3);
  });

  it('takes only the ordered lines out of the cart once that order is paid', () => {
    const store = memoryStorage();
    const cart = cartWith(1, 2, 3);
    saveCheckoutDraft(draft, store);
    completeCheckout('another-order', cart, store);
    expect(cart.getSnapshot().items).toHaveLength(3);
    completeCheckout('order-1', cart, store);
    expect(cart.getSnapshot().items.map((line) => line.skuId)).toEqual([3]);
    expect(readCheckoutDraft(store)).toBeNull();
  });

  it('ignores a stored value that is not a draft', () => {
    const store = memoryStorage();
    store.setItem('sagamart.checkout', '{"delivery":1}');
    expect(readCheckoutDraft(store)).toBeNull();
    store.setItem('sagamart.checkout', 'not json');
    expect(readCheckoutDraft(store)).toBeNull();
  });
});
