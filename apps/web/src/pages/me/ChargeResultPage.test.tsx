// @vitest-environment happy-dom
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Payment } from '../../payments/payments-api.ts';
import type { PointCharge } from '../../points/points-api.ts';
import { ChargeSuccessPage } from './ChargeResultPage.tsx';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const CHARGE_NUMBER = 'PNT-20261207-ABCDEFGH';

const expiredCharge: PointCharge = {
  chargeId: '5d0c9a53-8a61-4c3d-9d5e-2f1f3a0f7a11',
  chargeNumber: CHARGE_NUMBER,
  amount: 8_000,
  status: 'EXPIRED',
  orderName: '포인트 8,000P 충전',
  failureCode: null,
  failureMessage: null,
  createdAt: '2026-12-07T08:00:00.000Z',
  paidAt: null,
  refundRequestedAt: null,
  refundedAt: null,
};

/** payment-service refuses the confirm of a charge that expired while the shopper was at the PG. */
function serve() {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const url = String(input);
      if (url.endsWith('/api/payments/confirm'))
        return Response.json(
          {
            type: 'urn:sagamart:problem:ORDER_CANCELLED',
            title: 'Conflict',
            status: 409,
            detail: 'The order was cancelled; nothing was charged',
          },
          { status: 409, headers: { 'content-type': 'application/problem+json' } },
        );
      if (url.includes(`/api/users/me/points/charges/${CHARGE_NUMBER}`)) return Response.json(expiredCharge);
      return Response.json({ status: 404, title: 'Not Found' }, { status: 404 });
    }),
  );
}

let container: HTMLElement;
let root: Root;

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
  vi.unstubAllGlobals();
});

describe('coming back from the PG after the charge expired', () => {
  it('says the charge expired and anything paid comes back, not that an order was cancelled', async () => {
    serve();
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
    const link = `/me/points/charge/success?paymentKey=pk-1&orderNumber=${CHARGE_NUMBER}&amount=8000`;
    await act(async () => {
      root.render(
        <MantineProvider>
          <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
            <MemoryRouter initialEntries={[link]}>
              <ChargeSuccessPage />
            </MemoryRouter>
          </QueryClientProvider>
        </MantineProvider>,
      );
    });
    let alert: Element | null = null;
    for (let attempt = 0; attempt < 100 && !alert; attempt++) {
      alert = container.querySelector('[role="alert"]');
      if (!alert) await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    }
    expect(alert?.textContent).toContain('충전이 취소되어 포인트는 충전되지 않았습니다');
    expect(alert?.textContent).not.toContain('취소된 주문');
  });
});

describe('a charge confirm that did not get through', () => {
  const paidCharge: PointCharge = { ...expiredCharge, status: 'PAID', paidAt: '2026-12-07T08:01:00.000Z' };
  const approved: Payment = {
    paymentId: 'b6f0c1d2-1111-4a2b-9c3d-5e6f7a8b9c0d',
    orderId: expiredCharge.chargeId,
    orderNumber: CHARGE_NUMBER,
    userId: 'a1b2c3d4-0000-4000-8000-000000000001',
    paymentKey: 'pk-1',
    amount: 8_000,
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

  it('offers to try again after a 5xx (the same paymentKey charges once), then shows the points added', async () => {
    let confirms = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL) => {
        const url = String(input);
        if (url.endsWith('/api/payments/confirm'))
          return ++confirms === 1
            ? Response.json(
                { title: 'Service Unavailable', status: 503 },
                { status: 503, headers: { 'content-type': 'application/problem+json' } },
              )
            : Response.json(approved);
        if (url.includes(`/api/users/me/points/charges/${CHARGE_NUMBER}`)) return Response.json(paidCharge);
        return Response.json({ status: 404, title: 'Not Found' }, { status: 404 });
      }),
    );
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
    const link = `/me/points/charge/success?paymentKey=pk-1&orderNumber=${CHARGE_NUMBER}&amount=8000`;
    await act(async () => {
      root.render(
        <MantineProvider>
          <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
            <MemoryRouter initialEntries={[link]}>
              <ChargeSuccessPage />
            </MemoryRouter>
          </QueryClientProvider>
        </MantineProvider>,
      );
    });
    const retry = () =>
      [...container.querySelectorAll<HTMLButtonElement>('[role="alert"] button')].find(
        (button) => button.textContent === '다시 시도',
      );
    let offered: HTMLButtonElement | undefined;
    for (let attempt = 0; attempt < 100 && !offered; attempt++) {
      offered = retry();
      if (!offered) await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    }
    expect(container.querySelector('[role="alert"]')?.textContent).toContain('결제를 확인하지 못했습니다');
    expect(offered, 'a retry is offered').toBeDefined();
    await act(async () => offered?.click());

    let result: Element | null = null;
    for (let attempt = 0; attempt < 100 && !result; attempt++) {
      result = container.querySelector('[data-testid="charge-result"]');
      if (!result) await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    }
    expect(result?.textContent).toContain('포인트로 충전되었습니다');
    expect(confirms).toBe(2);
  });
});
