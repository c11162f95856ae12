// @vitest-environment happy-dom
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type CartItem, cart } from '../../cart/cart-store.ts';
import { type CheckoutDraft, readCheckoutDraft, saveCheckoutDraft } from '../../orders/checkout-draft.ts';
import { EMPTY_DELIVERY } from '../../orders/delivery-form.ts';
import type { Order } from '../../orders/orders-api.ts';
import { CheckoutPage } from './CheckoutPage.tsx';

// The shopper paid, but left the result page before it saw the order PAID (a slow card, or "주문
// 보기" tapped early). Checkout used to keep the ordered lines, say the earlier order was cancelled,
// and offer to pay for them again.

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const ORDER_ID = '3f1c9a8e-5b2d-4c71-9e0a-7d6b5c4a3f21';

const hoodie: CartItem = {
  skuId: 11,
  productId: 1,
  name: '오버핏 후드',
  optionLabel: '블랙 / M',
  unitPrice: 39_000,
  quantity: 1,
};
const socks: CartItem = {
  skuId: 21,
  productId: 2,
  name: '무지 양말',
  optionLabel: '',
  unitPrice: 5_000,
  quantity: 1,
};

/** What the checkout left when it sent the shopper to the PG with the hoodie. */
const draft: CheckoutDraft = {
  delivery: { ...EMPTY_DELIVERY, receiverName: '이지우', address: '서울시 강남구 테헤란로 1' },
  orderId: ORDER_ID,
  skuIds: [hoodie.skuId],
};

/** The hoodie's order as order-service shows it, in `status`. */
function order(status: Order['status']): Order {
  return {
    orderId: ORDER_ID,
    orderNumber: 'ORD-20261207-7RC9BKRB',
    status,
    cancelReason: status === 'CANCELLED' ? 'USER_CANCELLED' : null,
    cancelNote: null,
    orderName: hoodie.name,
    itemCount: 1,
    totalQuantity: 1,
    thumbnailUrl: null,
    subtotal: 39_000,
    discountAmount: 0,
    pointsUsed: 0,
    payableAmount: 39_000,
    createdAt: '2026-12-07T08:00:00.000Z',
    updatedAt: '2026-12-07T08:01:00.000Z',
    items: [],
    policyDiscounts: [],
    policyDiscount: 0,
    couponId: null,
    couponDiscount: 0,
    delivery: {
      receiverName: '이지우',
      receiverPhone: '010-1234-5678',
      zipcode: '06236',
      address: '서울시 강남구 테헤란로 1',
      addressDetail: null,
      memo: null,
    },
    placedAt: '2026-12-07T08:00:00.000Z',
    paidAt: status === 'PAID' ? '2026-12-07T08:01:00.000Z' : null,
    cancelledAt: status === 'CANCELLED' ? '2026-12-07T08:02:00.000Z' : null,
    paymentDueAt: status === 'PAYMENT_PENDING' ? '2026-12-07T08:30:00.000Z' : null,
    cancellable: status === 'PAYMENT_PENDING' || status === 'PAID',
    trackingNumber: null,
    deliveredAt: null,
    confirmedAt: null,
    refundedAmount: 0,
    openClaim: null,
    timeline: [],
    payments: [],
  };
}

/** order-service with the draft's order in `status`; a cancel waits for `cancelAnswer`. Everything else is missing. */
function serve(status: Order['status'], cancelAnswer?: Promise<Response>) {
  const cancels: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input), 'http://shop.test');
      const path = url.pathname;
      if (path === `/api/orders/${ORDER_ID}` && (init?.method ?? 'GET') === 'GET')
        return Response.json(order(status));
      if (path === `/api/orders/${ORDER_ID}/cancel` && init?.method === 'POST') {
        cancels.push(`${path}${url.search}`);
        return cancelAnswer ?? Response.json(order('CANCELLED'));
      }
      return Response.json({ status: 404, title: 'Not Found' }, { status: 404 });
    }),
  );
  return cancels;
}

let container: HTMLElement;
let root: Root;

async function showCheckout() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  await act(async () => {
    root.render(
      <MantineProvider>
        <QueryClientProvider client={queryClient}>
          <MemoryRouter initialEntries={['/checkout']}>
            <CheckoutPage />
          </MemoryRouter>
        </QueryClientProvider>
      </MantineProvider>,
    );
  });
}

/** Waits (bounded) until `read` finds what it looks for. */
async function shown<T>(read: () => T | undefined | null | false): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = read();
    if (value) return value;
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
  }
  throw new Error(`not shown: ${container.textContent}`);
}

const cartSkus = () => cart.getSnapshot().items.map((line) => line.skuId);
const retryNotice = () => container.querySelector('[data-testid="checkout-retry"]');

beforeEach(() => {
  window.matchMedia ??= ((query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addEventListener: () => {},
    removeEventListener: () => {},
    addListener: () => {},
    removeListener: () => {},
    dispatchEvent: () => false,
  })) as unknown as typeof window.matchMedia;
  cart.replace([hoodie, socks]);
  saveCheckoutDraft(draft);
});

afterEach(async () => {
  await act(async () => root.unmount());
  container.remove();
  cart.clear();
  sessionStorage.clear();
  vi.unstubAllGlobals();
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
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const path = new URL(String(input), 'http://shop.test').pathname;
        if (path === `/api/orders/${ORDER_ID}` && (init?.method ?? 'GET') === 'GET')
          return Response.json(order(reads++ === 0 ? 'PAYMENT_PENDING' : 'PAID'));
        if (path === `/api/orders/${ORDER_ID}/cancel`)
          return Response.json(
            { type: 'urn:sagamart:problem:order-paid', title: 'Conflict', status: 409 },
            { status: 409, headers: { 'content-type': 'application/problem+json' } },
          );
        return Response.json({ status: 404, title: 'Not Found' }, { status: 404 });
      }),
    );
    await showCheckout();

    // The paid order's lines (the hoodie) leave; the socks were never in it.
    await shown(() => cartSkus().length === 1 && reads >= 2);
    expect(cartSkus()).toEqual([socks.skuId]);
    expect(readCheckoutDraft()).toBeNull();
    expect(retryNotice()).toBeNull();
  });
});
