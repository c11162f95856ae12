// @vitest-environment happy-dom
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { cart } from '../cart/cart-store.ts';
import { readCheckoutDraft, recordCartOrder, saveCheckoutDraft } from '../orders/checkout-draft.ts';
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

/**
 * A full page load of `path`: the cart as checkout left it (the hoodies and socks ordered, the cap
 * added since), and in the tab that placed the order (`draft`) its checkout draft too.
 */
async function arriveAt(path: string, { draft = true, added = [cap] } = {}) {
  cart.replace([hoodie, socks]);
  recordCartOrder(ORDER_ID, [
    { skuId: hoodie.skuId, quantity: hoodie.quantity },
    { skuId: socks.skuId, quantity: socks.quantity },
  ]);
  for (const line of added) cart.add(line);
  if (draft) saveCheckoutDraft({ delivery: EMPTY_DELIVERY, orderId: ORDER_ID });
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
  localStorage.removeItem('sagamart.cart.orders');
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

  // The order placed in one tab was paid in another (or later, from 주문 내역 → 결제하기): this tab has
  // no draft of it, and the paid lines stayed in the cart.
  it('loses the paid lines in a tab that holds no draft of the order', async () => {
    await signInAsShopper();
    serve(['PAID']);
    await arriveAt('/cart', { draft: false });

    await shown(() => badge() === '1');
    expect(skusInCart()).toEqual([cap.skuId]);
  });

  it('takes out only the units the order bought, and only once', async () => {
    await signInAsShopper();
    serve(['PAID']);
    // Two more hoodies put in the cart while the payment was open: they were not bought.
    await arriveAt('/products', { draft: false, added: [cap, hoodieInCart({ quantity: 2 })] });

    await shown(() => badge() === '3');
    expect(cart.getSnapshot().items.map((line) => [line.skuId, line.quantity])).toEqual([
      [hoodie.skuId, 2],
      [cap.skuId, 1],
    ]);
    // Another page load (another tab) seeing the order paid takes nothing more.
    await cleanUpPages();
    serve(['PAID']);
    container = await renderPage(
      <Routes>
        <Route element={<ShopLayout />}>
          <Route path="/cart" element={<CartPage />} />
        </Route>
      </Routes>,
      ['/cart'],
    );
    await shown(() => container.textContent?.includes('워싱 볼캡'));
    expect(badge()).toBe('3');
  });

  it('asks nothing while no one is signed in', async () => {
    const requested = serve(['PAID']);
    await arriveAt('/cart');

    await shown(() => container.textContent?.includes('무지 양말'));
    expect(requested.filter((url) => url.includes('/api/orders'))).toEqual([]);
  });
});
