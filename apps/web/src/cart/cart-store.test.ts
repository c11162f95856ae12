// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CART_STORAGE_KEY,
  type CartItem,
  cartTotal,
  createCartStore,
  lineTotal,
  localStorageCartStorage,
  MAX_LINE_QUANTITY,
} from './cart-store.ts';

function line(skuId: number, quantity: number, unitPrice = 10_000): CartItem {
  return { skuId, productId: 100 + skuId, name: `상품 ${skuId}`, optionLabel: '', unitPrice, quantity };
}

describe('cart store', () => {
  beforeEach(() => localStorage.clear());

  it('adds to the line of the same SKU instead of adding a second line', () => {
    const cart = createCartStore(localStorageCartStorage());
    cart.add(line(1, 2));
    cart.add({ ...line(1, 3), name: '새 이름' });
    cart.add(line(2, 1));

    expect(cart.getSnapshot().items).toEqual([{ ...line(1, 5), name: '새 이름' }, line(2, 1)]);
    expect(cart.getSnapshot().itemCount).toBe(6);
  });

  it('caps a line at the most one line may hold', () => {
    const cart = createCartStore(localStorageCartStorage());
    cart.add(line(1, MAX_LINE_QUANTITY - 1));
    cart.add(line(1, 5));
    cart.update(1, 5_000);

    expect(cart.getSnapshot().items[0]?.quantity).toBe(MAX_LINE_QUANTITY);
  });

  it('removes a line whose quantity is set to zero or less, and ignores unknown SKUs', () => {
    const cart = createCartStore(localStorageCartStorage());
    cart.add(line(1, 2));
    cart.add(line(2, 2));
    cart.update(3, 4);
    cart.update(1, 0);

    expect(cart.getSnapshot().items).toEqual([line(2, 2)]);
  });

  it('keeps the lines in localStorage, so a reload finds them', () => {
    createCartStore(localStorageCartStorage()).add(line(1, 2));

    expect(createCartStore(localStorageCartStorage()).getSnapshot().items).toEqual([line(1, 2)]);
  });

  it("follows another tab's change to the stored cart", () => {
    const cart = createCartStore(localStorageCartStorage());
    let notified = 0;
    cart.subscribe(() => notified++);

    const otherTab = JSON.stringify([line(7, 3)]);
    localStorage.setItem(CART_STORAGE_KEY, otherTab);
    window.dispatchEvent(new StorageEvent('storage', { key: CART_STORAGE_KEY, newValue: otherTab }));

    expect(cart.getSnapshot().items).toEqual([line(7, 3)]);
    expect(notified).toBe(1);
  });

  it('reads a corrupt or tampered stored cart as the well-formed lines it holds', () => {
    localStorage.setItem(
      CART_STORAGE_KEY,
      JSON.stringify([line(1, 2), { ...line(2, 1), unitPrice: -5 }, { skuId: 'x' }, line(1, 9), line(3, 0)]),
    );
    expect(createCartStore(localStorageCartStorage()).getSnapshot().items).toEqual([line(1, 2)]);

    localStorage.setItem(CART_STORAGE_KEY, '{not json');
    expect(createCartStore(localStorageCartStorage()).getSnapshot().items).toEqual([]);
  });

  it('replaces every line at once with the sanitized lines', () => {
    const cart = createCartStore(localStorageCartStorage());
    cart.add(line(1, 1));
    cart.replace([line(2, 2), line(2, 5), line(3, 1_500)]);

    expect(cart.getSnapshot().items).toEqual([line(2, 2), line(3, MAX_LINE_QUANTITY)]);
  });
});

describe('cart totals', () => {
  it('adds unit price times quantity over the lines, in won', () => {
    expect(lineTotal(line(1, 3, 12_900))).toBe(38_700);
    expect(cartTotal([line(1, 3, 12_900), line(2, 1, 5_000)])).toBe(43_700);
    expect(cartTotal([])).toBe(0);
  });
});
