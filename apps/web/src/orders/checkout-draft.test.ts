import { describe, expect, it } from 'vitest';
import type { Session, SessionSnapshot } from '../auth/session.ts';
import { createCartStore } from '../cart/cart-store.ts';
import {
  type CheckoutDraft,
  cartLinesTaken,
  checkoutRetryPath,
  completeCheckout,
  completePaidCheckout,
  type DraftStorage,
  forgetCheckoutWhenUserLeaves,
  readCartOrders,
  readCheckoutDraft,
  recordCartOrder,
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
    const ledger = memoryStorage();
    const cart = cartWith(1, 2, 3);
    saveCheckoutDraft(draft, store);
    recordCartOrder('order-1', [line(1, 1), line(2, 1)], ledger);
    completeCheckout('another-order', cart, store, ledger);
    expect(cart.getSnapshot().items).toHaveLength(3);
    completeCheckout('order-1', cart, store, ledger);
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
    saveCheckoutDraft({ ...draft, buyNow: { skuId: 12, quantity: 2 } }, store);
    expect(checkoutRetryPath(null, store)).toBe('/checkout?buyNow=12:2');
  });

  it('is the cart’s checkout when no order is named and the draft has no buy-now item', () => {
    const store = memoryStorage();
    expect(checkoutRetryPath(null, store)).toBe('/checkout');
    saveCheckoutDraft(draft, store);
    expect(readCheckoutDraft(store)).toEqual(draft);
    expect(checkoutRetryPath(null, store)).toBe('/checkout');
  });

  // The shopper paid later from 주문 내역, or in another tab: this tab's draft is not that order's
  // (or there is none), and a bare /checkout showed an empty cart. The order itself names its lines.
  it('orders the same lines again from the order itself, whatever this tab’s storage holds', () => {
    const store = memoryStorage();
    expect(checkoutRetryPath('order-1', store)).toBe('/checkout?reorder=order-1');
    saveCheckoutDraft({ ...draft, orderId: 'order-2', buyNow: { skuId: 12, quantity: 2 } }, store);
    expect(checkoutRetryPath('order-1', store)).toBe('/checkout?reorder=order-1');
  });
});

const line = (skuId: number, quantity: number) => ({ skuId, quantity });
const cartLines = (cart: ReturnType<typeof cartWith>) =>
  cart.getSnapshot().items.map((item) => [item.skuId, item.quantity]);

// The cart is the browser's (localStorage, every tab), the draft is one tab's (sessionStorage): a
// payment finished in another tab, or from 주문 내역 → 결제하기, left the paid lines in the cart.
describe('the cart once an order placed from it is paid, wherever it was paid', () => {
  it('loses what the order bought, by SKU up to the quantity bought, with no draft in this tab', () => {
    const tab = memoryStorage();
    const ledger = memoryStorage();
    const cart = cartWith(1, 2, 3);
    cart.update(1, 3);
    recordCartOrder('order-1', [line(1, 2), line(2, 1)], ledger);
    cart.add({ skuId: 4, productId: 1, name: 'p4', optionLabel: '', unitPrice: 1000, quantity: 1 });

    expect(completePaidCheckout({ orderId: 'order-1', status: 'PAID' }, cart, tab, ledger)).toBe(true);
    expect(cartLines(cart)).toEqual([
      [1, 1],
      [3, 1],
      [4, 1],
    ]);
    expect(readCartOrders(ledger)).toEqual([]);
  });

  it('takes them out once: a second sighting of the paid order leaves lines added since', () => {
    const tab = memoryStorage();
    const ledger = memoryStorage();
    const cart = cartWith(1, 2);
    recordCartOrder('order-1', [line(1, 1)], ledger);
    completePaidCheckout({ orderId: 'order-1', status: 'PAID' }, cart, tab, ledger);
    cart.add({ skuId: 1, productId: 1, name: 'p1', optionLabel: '', unitPrice: 1000, quantity: 1 });
    // Another page, another tab, the order shipped since: the same order seen paid again.
    completePaidCheckout({ orderId: 'order-1', status: 'SHIPPING' }, cart, tab, ledger);
    expect(cartLines(cart)).toEqual([
      [2, 1],
      [1, 1],
    ]);
  });

  it('keeps the cart for an order cancelled instead, and forgets that order', () => {
    const tab = memoryStorage();
    const ledger = memoryStorage();
    const cart = cartWith(1, 2);
    recordCartOrder('order-1', [line(1, 1)], ledger);
    expect(completePaidCheckout({ orderId: 'order-1', status: 'CANCELLED' }, cart, tab, ledger)).toBe(false);
    expect(readCartOrders(ledger)).toEqual([]);
    expect(cart.getSnapshot().items).toHaveLength(2);
  });

  it('counts, for an order again, only the cart’s own units of its lines', () => {
    const cart = cartWith(1, 2);
    cart.update(2, 5);
    expect(cartLinesTaken([line(2, 3), line(1, 2), line(9, 1)], cart.getSnapshot().items)).toEqual([
      line(2, 3),
      line(1, 1),
    ]);
  });
});
