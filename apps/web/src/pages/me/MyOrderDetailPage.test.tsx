// @vitest-environment happy-dom
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type CartItem, cart } from '../../cart/cart-store.ts';
import type { OrderClaims, OrderShipping } from '../../orders/after-sale-api.ts';
import { readCheckoutDraft, saveCheckoutDraft } from '../../orders/checkout-draft.ts';
import { EMPTY_DELIVERY } from '../../orders/delivery-form.ts';
import type { Order } from '../../orders/orders-api.ts';
import { MyOrderDetailPage } from './MyOrderDetailPage.tsx';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const ORDER_ID = '46f49d56-e24f-47bd-9d56-27310ecf6414';
const ORDER_NUMBER = 'ORD-20261207-7RC9BKRB';

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

/** My order of the hoodie as order-service shows it, in `status`. */
function order(status: Order['status']): Order {
  const delivered = status === 'DELIVERED';
  return {
    orderId: ORDER_ID,
    orderNumber: ORDER_NUMBER,
    status,
    cancelReason: null,
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
    items: [
      {
        id: 1,
        skuId: hoodie.skuId,
        productId: hoodie.productId,
        productName: hoodie.name,
        skuCode: 'HOOD-BK-M',
        options: { 색상: '블랙', 사이즈: 'M' },
        unitPrice: 39_000,
        quantity: 1,
        lineTotal: 39_000,
        thumbnailUrl: null,
        optionLabel: hoodie.optionLabel,
        discountShare: 0,
        pointsShare: 0,
        payableShare: 39_000,
      },
    ],
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
    paidAt: '2026-12-07T08:01:00.000Z',
    cancelledAt: null,
    paymentDueAt: null,
    cancellable: status === 'PAID',
    trackingNumber: delivered ? '612345678901' : null,
    deliveredAt: delivered ? '2026-12-09T05:00:00.000Z' : null,
    confirmedAt: null,
    refundedAmount: 0,
    openClaim: null,
    timeline: [],
    payments: [],
  };
}

/** shipping-service's view of the delivered order: returns and exchanges open for a week. */
const delivered: OrderShipping = {
  orderId: ORDER_ID,
  orderNumber: ORDER_NUMBER,
  shipments: [
    {
      id: '6464880a-b745-483e-9d22-97f9e45f2ef0',
      orderId: ORDER_ID,
      orderNumber: ORDER_NUMBER,
      kind: 'ORIGINAL',
      claimId: null,
      status: 'DELIVERED',
      courierStatus: 'DELIVERED',
      courierName: '사가택배',
      trackingNumber: '612345678901',
      receiverName: '이지우',
      goodsName: hoodie.name,
      history: [],
      createdAt: '2026-12-07T08:02:00.000Z',
      dispatchedAt: '2026-12-08T01:00:00.000Z',
      deliveredAt: '2026-12-09T05:00:00.000Z',
      cancelledAt: null,
    },
  ],
  deliveredAt: '2026-12-09T05:00:00.000Z',
  confirmedAt: null,
  autoConfirmed: false,
  confirmable: true,
  claimableUntil: '2099-12-16T05:00:00.000Z',
};

const noClaims: OrderClaims = { orderId: ORDER_ID, orderNumber: ORDER_NUMBER, claims: [] };

const unavailable = () =>
  Response.json(
    { status: 503, title: 'Service Unavailable', detail: 'shipping-service is not answering' },
    { status: 503, headers: { 'content-type': 'application/problem+json' } },
  );

/**
 * The gateway: the order in `status`, and shipping-service's answers as `shipping` and `claims`
 * give them at the time (they may change between calls).
 */
function serve(
  status: Order['status'],
  answers: { shipping: () => Response; claims: () => Response } = {
    shipping: () => Response.json({ status: 404, title: 'Not Found' }, { status: 404 }),
    claims: () => Response.json({ status: 404, title: 'Not Found' }, { status: 404 }),
  },
) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const path = new URL(String(input), 'http://shop.test').pathname;
      if (path === `/api/orders/${ORDER_ID}`) return Response.json(order(status));
      if (path === `/api/shipping/orders/${ORDER_ID}`) return answers.shipping();
      if (path === `/api/orders/${ORDER_ID}/claims`) return answers.claims();
      return Response.json({ status: 404, title: 'Not Found' }, { status: 404 });
    }),
  );
}

let container: HTMLElement;
let root: Root;

async function showOrder() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  await act(async () => {
    root.render(
      <MantineProvider>
        <QueryClientProvider client={queryClient}>
          <MemoryRouter initialEntries={[`/me/orders/${ORDER_ID}`]}>
            <Routes>
              <Route path="/me/orders/:id" element={<MyOrderDetailPage />} />
            </Routes>
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

const alertTitled = (title: string) =>
  [...container.querySelectorAll('[role="alert"]')].find((alert) => alert.textContent?.includes(title));
const button = (name: string) =>
  [...container.querySelectorAll('button')].find((candidate) => candidate.textContent === name);

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
});

afterEach(async () => {
  await act(async () => root.unmount());
  container.remove();
  cart.clear();
  sessionStorage.clear();
  vi.unstubAllGlobals();
});

describe('the order page of an order paid after the shopper left the payment result page', () => {
  it('takes the order’s lines out of the cart and ends the checkout draft', async () => {
    cart.replace([hoodie, socks]);
    saveCheckoutDraft({ delivery: EMPTY_DELIVERY, orderId: ORDER_ID, skuIds: [hoodie.skuId] });
    serve('PAID');
    await showOrder();

    await shown(() => cart.getSnapshot().items.length === 1);
    expect(cart.getSnapshot().items.map((line) => line.skuId)).toEqual([socks.skuId]);
    expect(readCheckoutDraft()).toBeNull();
  });
});

describe('a delivered order while shipping-service fails', () => {
  it('says the tracking could not be read and reads it again on request', async () => {
    let shipping = unavailable;
    serve('DELIVERED', { shipping: () => shipping(), claims: () => Response.json(noClaims) });
    await showOrder();

    const failed = await shown(() => alertTitled('배송 조회 정보를 불러오지 못했습니다'));
    shipping = () => Response.json(delivered);
    await act(async () => button('다시 시도')?.click());

    await shown(() => container.querySelector('#section-tracking'));
    expect(failed.isConnected).toBe(false);
    expect(button('반품 신청')).toBeDefined();
  });

  it('offers no return or exchange while the claims are unknown, and reads them again on request', async () => {
    let claims = unavailable;
    serve('DELIVERED', { shipping: () => Response.json(delivered), claims: () => claims() });
    await showOrder();

    await shown(() => alertTitled('반품/교환 내역을 불러오지 못했습니다'));
    // The window is open (the tracking came): only the unknown claims keep the buttons away.
    await shown(() => container.querySelector('#section-tracking'));
    expect(button('반품 신청')).toBeUndefined();
    expect(button('교환 신청')).toBeUndefined();

    claims = () => Response.json(noClaims);
    await act(async () => button('다시 시도')?.click());
    await shown(() => button('반품 신청'));
    expect(alertTitled('반품/교환 내역을 불러오지 못했습니다')).toBeUndefined();
  });
});
