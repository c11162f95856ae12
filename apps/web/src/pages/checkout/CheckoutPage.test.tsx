// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cart } from '../../cart/cart-store.ts';
import {
  type CheckoutDraft,
  readCheckoutDraft,
  recordCartOrder,
  saveCheckoutDraft,
} from '../../orders/checkout-draft.ts';
import { EMPTY_DELIVERY } from '../../orders/delivery-form.ts';
import type { Order } from '../../orders/orders-api.ts';
import { anOrder, hoodieInCart, socksInCart } from '../../testing/fixtures.ts';
import { cleanUpPages, problem, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { CheckoutPage } from './CheckoutPage.tsx';

// The shopper paid, but left the result page before it saw the order PAID (a slow card, or "주문
// 보기" tapped early). Checkout used to keep the ordered lines, say the earlier order was cancelled,
// and offer to pay for them again.

const ORDER_ID = '3f1c9a8e-5b2d-4c71-9e0a-7d6b5c4a3f21';

const hoodie = hoodieInCart();
const socks = socksInCart();

/** What the checkout left when it sent the shopper to the PG with the hoodie. */
const draft: CheckoutDraft = {
  delivery: { ...EMPTY_DELIVERY, receiverName: '이지우', address: '서울시 강남구 테헤란로 1' },
  orderId: ORDER_ID,
};

/** The hoodie's order as order-service shows it, in `status`. */
function order(status: Order['status']): Order {
  return anOrder({
    orderId: ORDER_ID,
    status,
    cancelReason: status === 'CANCELLED' ? 'USER_CANCELLED' : null,
    orderName: hoodie.name,
    paidAt: status === 'PAID' ? '2026-12-07T08:01:00.000Z' : null,
    cancelledAt: status === 'CANCELLED' ? '2026-12-07T08:02:00.000Z' : null,
    paymentDueAt: status === 'PAYMENT_PENDING' ? '2026-12-07T08:30:00.000Z' : null,
    cancellable: status === 'PAYMENT_PENDING' || status === 'PAID',
  });
}

/** order-service with the draft's order in `status`; a cancel waits for `cancelAnswer`. Everything else is missing. */
function serve(status: Order['status'], cancelAnswer?: Promise<Response>) {
  const cancels: string[] = [];
  stubFetch({
    [`GET /api/orders/${ORDER_ID}`]: () => Response.json(order(status)),
    [`POST /api/orders/${ORDER_ID}/cancel`]: ({ url }) => {
      cancels.push(`${url.pathname}${url.search}`);
      return cancelAnswer ?? Response.json(order('CANCELLED'));
    },
  });
  return cancels;
}

let container: HTMLElement;

async function showCheckout() {
  container = await renderPage(<CheckoutPage />, ['/checkout']);
}

const cartSkus = () => cart.getSnapshot().items.map((line) => line.skuId);
const retryNotice = () => container.querySelector('[data-testid="checkout-retry"]');

beforeEach(() => {
  cart.replace([hoodie, socks]);
  saveCheckoutDraft(draft);
  recordCartOrder(ORDER_ID, [{ skuId: hoodie.skuId, quantity: hoodie.quantity }]);
});

afterEach(async () => {
  await cleanUpPages();
  cart.clear();
  sessionStorage.clear();
  localStorage.removeItem('sagamart.cart.orders');
});

describe('checkout after the draft’s order was paid', () => {
  it('takes the paid lines out of the cart, ends the draft, and says nothing was cancelled', async () => {
    const cancels = serve('PAID');
    await showCheckout();

    await shown(() => cartSkus().length === 1);
    expect(cartSkus()).toEqual([socks.skuId]);
    expect(readCheckoutDraft()).toBeNull();
    expect(retryNotice()).toBeNull();
    expect(cancels).toEqual([]);
  });

  it('leaves nothing to pay again when the paid order has moved on to shipping', async () => {
    cart.replace([hoodie]);
    serve('SHIPPING');
    await showCheckout();

    await shown(() => container.textContent?.includes('장바구니가 비어 있어 주문할 상품이 없습니다'));
    expect(cartSkus()).toEqual([]);
    expect(container.querySelector('button[type="submit"]')).toBeNull();
  });
});

describe('checkout after the draft’s order was left unpaid', () => {
  it('cancels it, and only once it is cancelled says so; the cart keeps its lines', async () => {
    let answerCancel: (answer: Response) => void = () => {};
    const cancels = serve(
      'PAYMENT_PENDING',
      new Promise((resolve) => {
        answerCancel = resolve;
      }),
    );
    await showCheckout();

    await shown(() => cancels.length === 1);
    // Only if still unpaid: an approval landing meanwhile keeps its order.
    expect(cancels).toEqual([`/api/orders/${ORDER_ID}/cancel?unpaidOnly=true`]);
    expect(retryNotice()).toBeNull();
    await act(async () => answerCancel(Response.json(order('CANCELLED'))));

    const notice = await shown(retryNotice);
    expect(notice.textContent).toContain('결제가 완료되지 않은 이전 주문은 취소했습니다');
    expect(cartSkus()).toEqual([hoodie.skuId, socks.skuId]);
  });

  it('keeps an order approved between its read and the cancel: no notice, its lines leave the cart', async () => {
    // Read as unpaid; the cancel then meets the approval (409 order-paid); read again it is PAID.
    let reads = 0;
    stubFetch({
      [`GET /api/orders/${ORDER_ID}`]: () => Response.json(order(reads++ === 0 ? 'PAYMENT_PENDING' : 'PAID')),
      [`/api/orders/${ORDER_ID}/cancel`]: () => problem(409, { type: 'urn:sagamart:problem:order-paid' }),
    });
    await showCheckout();

    // The paid order's lines (the hoodie) leave; the socks were never in it.
    await shown(() => cartSkus().length === 1 && reads >= 2);
    expect(cartSkus()).toEqual([socks.skuId]);
    expect(readCheckoutDraft()).toBeNull();
    expect(retryNotice()).toBeNull();
  });
});
