// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { mergeCartLines, mergeGuestCartIntoUserCart, userCartKey } from './cart-merge.ts';
import { type CartItem, createCartStore, localStorageCartStorage, MAX_LINE_QUANTITY } from './cart-store.ts';

const USER_ID = '5b1f6f0e-7a4e-4c1b-9d5e-2f8a1c3b4d6e';

function line(skuId: number, quantity: number, details: Partial<CartItem> = {}): CartItem {
  return {
    skuId,
    productId: 100 + skuId,
    name: `상품 ${skuId}`,
    optionLabel: '',
    unitPrice: 10_000,
    quantity,
    ...details,
  };
}

describe('mergeCartLines', () => {
  it('keeps each SKU once, adding the quantities, with the guest details winning', () => {
    const merged = mergeCartLines(
      [line(1, 2, { unitPrice: 9_000 }), line(2, 1)],
      [line(1, 3, { unitPrice: 8_000 }), line(3, 1)],
    );

    expect(merged).toEqual([line(1, 5, { unitPrice: 8_000 }), line(2, 1), line(3, 1)]);
  });

  it('caps a line at the known stock, but never below one unit, and at the line maximum', () => {
    const stock = new Map([
      [1, 4],
      [2, 0],
    ]);
    const merged = mergeCartLines([line(1, 3), line(2, 2), line(3, 600)], [line(1, 3), line(3, 600)], stock);

    expect(merged.map(({ skuId, quantity }) => [skuId, quantity])).toEqual([
      [1, 4],
      [2, 1],
      [3, MAX_LINE_QUANTITY],
    ]);
  });
});

describe('merging the guest cart at login', () => {
  beforeEach(() => localStorage.clear());

  function savedCart() {
    return localStorageCartStorage(userCartKey(USER_ID));
  }

  it("merges the user's saved lines into the cart in use and drops the saved copy", async () => {
    savedCart().write([line(1, 2), line(2, 1)]);
    const store = createCartStore(localStorageCartStorage());
    store.add(line(1, 1));

    const merged = await mergeGuestCartIntoUserCart(USER_ID, {
      store,
      lookupStock: async (productIds) => {
        expect(productIds.sort()).toEqual([101, 102]);
        return new Map([[1, 2]]);
      },
    });

    expect(merged).toEqual([line(1, 2), line(2, 1)]);
    expect(store.getSnapshot().items).toEqual(merged);
    expect(savedCart().read()).toEqual([]);
  });

  it('leaves the guest cart as it is when the user saved nothing', async () => {
    const store = createCartStore(localStorageCartStorage());
    store.add(line(1, 1));

    expect(await mergeGuestCartIntoUserCart(USER_ID, { store })).toEqual([line(1, 1)]);
    expect(store.getSnapshot().items).toEqual([line(1, 1)]);
  });

  it('still merges, uncapped, when the stock lookup fails', async () => {
    savedCart().write([line(1, 5)]);
    const store = createCartStore(localStorageCartStorage());
    store.add(line(1, 5));

    const merged = await mergeGuestCartIntoUserCart(USER_ID, {
      store,
      lookupStock: () => Promise.reject(new Error('catalog unavailable')),
    });

    expect(merged).toEqual([line(1, 10)]);
  });

  it('keeps what the shopper changed while the stock lookup ran', async () => {
    savedCart().write([line(1, 1)]);
    const store = createCartStore(localStorageCartStorage());

    const merged = await mergeGuestCartIntoUserCart(USER_ID, {
      store,
      lookupStock: async () => {
        store.add(line(2, 1));
        return new Map();
      },
    });

    expect(merged).toEqual([line(1, 1), line(2, 1)]);
  });
});
