import { describe, expect, it } from 'vitest';
import type { Session, SessionSnapshot } from '../auth/session.ts';
import { createCartStore } from '../cart/cart-store.ts';
import {
  type CheckoutDraft,
  checkoutRetryPath,
  completeCheckout,
  type DraftStorage,
  forgetCheckoutWhenUserLeaves,
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

  it('is forgotten when the signed-in user goes, so the next one at this tab never sees the address', () => {
    const store = memoryStorage();
    const session = sessionOf('user-a');
    forgetCheckoutWhenUserLeaves(session, store);
    saveCheckoutDraft(draft, store);
    session.become('user-a'); // a refresh changes nothing
    expect(readCheckoutDraft(store)).not.toBeNull();
    session.become(null); // logout
    expect(readCheckoutDraft(store)).toBeNull();

    saveCheckoutDraft(draft, store);
    session.become('user-b'); // signed in again: a draft written signed out is not someone else's
    expect(readCheckoutDraft(store)).not.toBeNull();
    session.become('user-c'); // another user without a logout in between
    expect(readCheckoutDraft(store)).toBeNull();
  });
});

/** A session whose user a test changes; only what the subscription reads. */
function sessionOf(userId: string | null) {
  const listeners = new Set<() => void>();
  let snapshot: SessionSnapshot = { user: null, signOutReason: null };
  const become = (id: string | null) => {
    snapshot = { user: id ? { id, email: `${id}@example.test`, role: 'USER' } : null, signOutReason: null };
    for (const listener of listeners) listener();
  };
  become(userId);
  const session = {
    getSnapshot: () => snapshot,
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as Session;
  return Object.assign(session, { become });
}

describe('the way back to checkout after a payment that did not go through', () => {
  it('carries the buy-now item of that order, which is in no cart', () => {
    const store = memoryStorage();
    saveCheckoutDraft({ ...draft, skuIds: [], buyNow: { skuId: 12, quantity: 2 } }, store);
    expect(checkoutRetryPath('order-1', store)).toBe('/checkout?buyNow=12:2');
    expect(checkoutRetryPath(null, store)).toBe('/checkout?buyNow=12:2');
    // Another order's result page: this draft's item is not what it was about.
    expect(checkoutRetryPath('order-2', store)).toBe('/checkout');
  });

  it('is the cart’s checkout for a cart order, a draft saved before buy-now was kept, or none', () => {
    const store = memoryStorage();
    expect(checkoutRetryPath('order-1', store)).toBe('/checkout');
    saveCheckoutDraft(draft, store);
    expect(readCheckoutDraft(store)).toEqual(draft);
    expect(checkoutRetryPath('order-1', store)).toBe('/checkout');
    saveCheckoutDraft({ ...draft, buyNow: null }, store);
    expect(checkoutRetryPath('order-1', store)).toBe('/checkout');
  });
});
