import { describe, expect, it } from 'vitest';
import { buyNowPath, cartOrderItems, parseBuyNow } from './checkout-items.ts';

describe('buy-now link', () => {
  it('carries the SKU and quantity through the URL', () => {
    const raw = new URL(buyNowPath(12, 3), 'http://shop.test').searchParams.get('buyNow');
    expect(parseBuyNow(raw)).toEqual({ skuId: 12, quantity: 3 });
  });

  it('means one unit when the quantity is left out', () => {
    expect(parseBuyNow('12')).toEqual({ skuId: 12, quantity: 1 });
  });

  it('ignores a missing, malformed or out-of-range value', () => {
    for (const raw of [null, '', 'abc', '0:1', '12:0', '12:1000', '12:-1', '1.5:2']) {
      expect(parseBuyNow(raw), String(raw)).toBeNull();
    }
  });
});

describe('cart checkout', () => {
  it('orders each cart line by SKU and quantity only: prices are the server’s business', () => {
    expect(
      cartOrderItems([
        { skuId: 3, productId: 1, name: '티셔츠', optionLabel: '블랙 / M', unitPrice: 1, quantity: 2 },
      ]),
    ).toEqual([{ skuId: 3, quantity: 2 }]);
  });
});
