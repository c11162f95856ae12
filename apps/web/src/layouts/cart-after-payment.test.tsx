// @vitest-environment happy-dom
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { cart } from '../cart/cart-store.ts';
import { readCheckoutDraft, saveCheckoutDraft } from '../orders/checkout-draft.ts';
import { EMPTY_DELIVERY } from '../orders/delivery-form.ts';
import type { Order } from '../orders/orders-api.ts';
import { CartPage } from '../pages/shop/CartPage.tsx';
import { anOrder, hoodieInCart, socksInCart } from '../testing/fixtures.ts';
import { cleanUpPages, renderPage, shown, stubFetch } from '../testing/page-harness.tsx';
import { signInAsShopper, signOut } from '../testing/session.ts';
import { ShopLayout } from './ShopLayout.tsx';

// A shopper who left the payment result page by a full page load right away (the address bar, a
// bookmark) found the paid items still in the cart: "장바구니 4", the cart listing them, and 주문하기
// then saying the cart was empty. Only the pages that read the order (the result page, the order
// page, checkout) took its lines out. Now any shop page does, once it sees the order paid.

const ORDER_ID = '3f1c9a8e-5b2d-4c71-9e0a-7d6b5c4a3f21';
const hoodie = hoodieInCart({ quantity: 2 });
const socks = socksInCart();
/** Added after the order was placed: it stays. */
const cap = hoodieInCart({ skuId: 31, productId: 3, name: '워싱 볼캡', optionLabel: '네이비 / FREE' });

/** The gateway: the order answers as `statuses` say, one per read, the last one from then on. */
function serve(statuses: Order['status'][]) {
  let reads = 0;
  return stubFetch({
    [`/api/orders/${ORDER_ID}`]: () =>
      Response.json(
        anOrder({ orderId: ORDER_ID, status: statuses[Math.min(reads++, statuses.length - 1)]! }),
      ),
  });
}

let container: HTMLElement;

/** A full page load of `path` in the tab that paid: the cart and the checkout draft are as it left them. */
async function arriveAt(path: string) {
  cart.replace([hoodie, socks, cap]);
  saveCheckoutDraft({ delivery: EMPTY_DELIVERY, orderId: ORDER_ID, skuIds: [hoodie.skuId, socks.skuId] });
  container = await renderPage(
    <Routes>
      <Route element={<ShopLayout />}>
        <Route path="/cart" element={<CartPage />} />
        <Route path="/products" element={<p>상품 목록</p>} />
      </Route>
    </Routes>,
    [path],
  );
}

const badge = () => container.querySelector('[data-testid="cart-count"]')?.textContent;
const skusInCart = () => cart.getSnapshot().items.map((line) => line.skuId);

afterEach(async () => {
  await cleanUpPages();
  await signOut();
  cart.clear();
  sessionStorage.clear();
});

describe('the cart after a payment, however the shopper left the result page', () => {
  it('loses the paid lines on the cart page once the order is paid, keeping the rest', async () => {
    await signInAsShopper();
    serve(['PAID']);
    await arriveAt('/cart');

    await shown(() => badge() === '1');
    expect(skusInCart()).toEqual([cap.skuId]);
    expect(container.textContent).not.toContain('무지 양말');
    expect(container.textContent).toContain('워싱 볼캡');
    expect(readCheckoutDraft()).toBeNull();
  });

  it('follows an order that turns paid a moment after the page loaded, on any shop page', async () => {
    await signInAsShopper();
    const requested = serve(['PAYMENT_PENDING', 'PAID']);
    await arriveAt('/products');

    expect(badge()).toBe('4');
    await shown(() => badge() === '1');
    expect(skusInCart()).toEqual([cap.skuId]);
    expect(requested.filter((url) => url.includes(ORDER_ID)).length).toBeGreaterThanOrEqual(2);
  });

  it('asks nothing while no one is signed in', async () => {
    const requested = serve(['PAID']);
    await arriveAt('/cart');

    await shown(() => container.textContent?.includes('무지 양말'));
    expect(requested.filter((url) => url.includes('/api/orders'))).toEqual([]);
  });
});
