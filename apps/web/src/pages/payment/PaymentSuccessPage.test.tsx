// @vitest-environment happy-dom
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Order } from '../../orders/orders-api.ts';
import type { Payment } from '../../payments/payments-api.ts';
import { PaymentSuccessPage } from './PaymentSuccessPage.tsx';

// Back from the PG, the confirm did not get through (the gateway down, payment-service failing):
// the page used to end there, with the payment approved at the PG and nothing to do but leave.

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const ORDER_ID = '3f1c9a8e-5b2d-4c71-9e0a-7d6b5c4a3f21';
const ORDER_NUMBER = 'ORD-20261207-7RC9BKRB';
const LINK = `/payment/success?paymentKey=pk-1&orderNumber=${ORDER_NUMBER}&amount=39000&orderId=${ORDER_ID}`;

const approved: Payment = {
  paymentId: 'b6f0c1d2-1111-4a2b-9c3d-5e6f7a8b9c0d',
  orderId: ORDER_ID,
  orderNumber: ORDER_NUMBER,
  userId: 'a1b2c3d4-0000-4000-8000-000000000001',
  paymentKey: 'pk-1',
  amount: 39_000,
  status: 'APPROVED',
  method: '카드',
  failureCode: null,
  failureMessage: null,
  refundRequested: false,
  refundReason: null,
  version: 1,
  createdAt: '2026-12-07T08:01:00.000Z',
  approvedAt: '2026-12-07T08:01:00.000Z',
  failedAt: null,
  refundedAt: null,
  refundedAmount: 0,
  refunds: [],
};

const paidOrder: Order = {
  orderId: ORDER_ID,
  orderNumber: ORDER_NUMBER,
  status: 'PAID',
  cancelReason: null,
  cancelNote: null,
  orderName: '오버핏 후드',
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
  paidAt: '2026-12-07T08:01:00.000Z',
  cancelledAt: null,
  paymentDueAt: null,
  cancellable: true,
  trackingNumber: null,
  deliveredAt: null,
  confirmedAt: null,
  refundedAmount: 0,
  openClaim: null,
  timeline: [],
  payments: [],
};

const problem = (status: number, type: string) =>
  Response.json(
    { type, title: 'Problem', status },
    { status, headers: { 'content-type': 'application/problem+json' } },
  );

/** The gateway, the confirm answering as `confirm` says at the time; the order is paid. */
function serve(confirm: () => Promise<Response>) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const path = new URL(String(input), 'http://shop.test').pathname;
      if (path === '/api/payments/confirm') return confirm();
      if (path === `/api/orders/${ORDER_ID}`) return Response.json(paidOrder);
      return Response.json({ status: 404, title: 'Not Found' }, { status: 404 });
    }),
  );
}

let container: HTMLElement;
let root: Root;

async function showResult() {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  await act(async () => {
    root.render(
      <MantineProvider>
        <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
          <MemoryRouter initialEntries={[LINK]}>
            <PaymentSuccessPage />
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

const heading = () => container.querySelector('h1')?.textContent;
const retryButton = () =>
  [...container.querySelectorAll<HTMLButtonElement>('[role="alert"] button')].find(
    (button) => button.textContent === '다시 시도',
  );

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
  sessionStorage.clear();
  vi.unstubAllGlobals();
});

describe('a payment confirm that did not get through', () => {
  it('offers to try again after a network failure or a 5xx, and shows the payment once it goes through', async () => {
    const answers = [
      () => Promise.reject(new TypeError('Failed to fetch')),
      () => Promise.resolve(problem(503, 'about:blank')),
      () => Promise.resolve(Response.json(approved)),
    ];
    let calls = 0;
    serve(() => answers[calls++]!());
    await showResult();

    const afterNetworkFailure = await shown(retryButton);
    await act(async () => afterNetworkFailure.click());
    // Asked again (the page waits meanwhile), and refused again: the offer stands.
    const afterServerFailure = await shown(
      () => calls === 2 && !container.querySelector('[role="status"]') && retryButton(),
    );
    expect(heading()).toBe('결제를 확인하지 못했습니다');
    await act(async () => afterServerFailure.click());

    await shown(() => heading() === '결제 완료');
    expect(container.textContent).toContain(`주문 ${ORDER_NUMBER}의 39,000원을 결제했습니다.`);
    expect(calls).toBe(3);
  });

  it('keeps a refusal (4xx) final: nothing to try again', async () => {
    serve(async () => problem(409, 'urn:sagamart:problem:ORDER_CANCELLED'));
    await showResult();

    const alert = await shown(() => container.querySelector('[role="alert"]'));
    expect(heading()).toBe('결제를 확인하지 못했습니다');
    expect(alert.querySelector('button')).toBeNull();
  });
});
