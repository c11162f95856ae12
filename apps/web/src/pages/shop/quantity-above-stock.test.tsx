// @vitest-environment happy-dom
import { act } from 'react';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { cart } from '../../cart/cart-store.ts';
import { setLanguage } from '../../i18n/i18n.ts';
import { aProduct, hoodieInCart } from '../../testing/fixtures.ts';
import { cleanUpPages, renderPage, shown, stubFetch, typeInto } from '../../testing/page-harness.tsx';
import { CartPage } from './CartPage.tsx';
import { ProductDetailPage } from './ProductDetailPage.tsx';

// With 7 in stock, typing 10 in the quantity box gave 1 and 50 gave 5 (the box refused the keystroke
// that went past the maximum), without a word; the cart's box kept 1 when 999 was typed.

const hoodie = hoodieInCart({ quantity: 1 });
const sevenLeft = aProduct(
  { productId: hoodie.productId, skuId: hoodie.skuId, name: hoodie.name, price: hoodie.unitPrice },
  {},
);
sevenLeft.skus = sevenLeft.skus.map((sku) => ({ ...sku, stock: 7 }));

let container: HTMLElement;

afterEach(async () => {
  await cleanUpPages();
  cart.clear();
  await setLanguage('ko');
});

async function blur(field: HTMLInputElement) {
  await act(async () => {
    field.dispatchEvent(new FocusEvent('blur', { bubbles: false }));
    field.dispatchEvent(new FocusEvent('focusout', { bubbles: true }));
  });
}

describe('a quantity typed above the stock', () => {
  it('on the product page: says the maximum, and becomes the maximum on leaving the box', async () => {
    stubFetch({ [`/api/catalog/products/${sevenLeft.id}`]: () => Response.json(sevenLeft) });
    container = await renderPage(
      <Routes>
        <Route path="/products/:id" element={<ProductDetailPage />} />
      </Routes>,
      [`/products/${sevenLeft.id}`],
    );
    const box = await shown(() => {
      const label = [...container.querySelectorAll('label')].find((found) => found.textContent === '수량');
      return label && container.querySelector<HTMLInputElement>(`#${label.htmlFor}`);
    });
    await typeInto(box, '10');
    expect(box.value).not.toBe('1');
    expect(container.textContent).toContain('최대 7개까지 주문할 수 있습니다');
    await blur(box);
    expect(box.value).toBe('7');

    await act(async () => setLanguage('en'));
    await typeInto(box, '50');
    expect(container.textContent).toContain('You can order up to 7');
    await blur(box);
    expect(box.value).toBe('7');
  });

  it('in the cart: says the maximum, and the line becomes the maximum', async () => {
    cart.replace([hoodie]);
    stubFetch({ [`/api/catalog/products/${sevenLeft.id}`]: () => Response.json(sevenLeft) });
    container = await renderPage(<CartPage />, ['/cart']);
    // The box knows the stock once the catalog answered.
    await shown(() => container.textContent?.includes(hoodie.name));
    const box = await shown(() => container.querySelector<HTMLInputElement>('input[aria-label$="수량"]'));
    await act(() => new Promise((resolve) => setTimeout(resolve, 100)));
    await typeInto(box, '999');
    expect(box.value).not.toBe('1');
    expect(container.textContent).toContain('최대 7개까지 주문할 수 있습니다');
    await blur(box);
    expect(box.value).toBe('7');
    expect(cart.getSnapshot().items[0]?.quantity).toBe(7);
  });
});
