// @vitest-environment happy-dom
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Page } from '../../api/page.ts';
import { setLanguage } from '../../i18n/i18n.ts';
import type { Payment } from '../../payments/payments-api.ts';
import { PaymentsPage } from './PaymentsPage.tsx';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

/** A card payment as payment-service lists it: the PG names the method in Korean. */
const cardPayment: Payment = {
  paymentId: 'b6f0c1d2-1111-4a2b-9c3d-5e6f7a8b9c0d',
  orderId: '3f1c9a8e-5b2d-4c71-9e0a-7d6b5c4a3f21',
  orderNumber: 'ORD-20261207-7RC9BKRB',
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

const onePage: Page<Payment> = {
  content: [cardPayment],
  page: 0,
  size: 20,
  totalElements: 1,
  totalPages: 1,
  first: true,
  last: true,
};

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
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) =>
      new URL(String(input), 'http://shop.test').pathname === '/api/admin/payments'
        ? Response.json(onePage)
        : Response.json({ status: 404, title: 'Not Found' }, { status: 404 }),
    ),
  );
});

afterEach(async () => {
  await act(async () => root.unmount());
  container.remove();
  vi.unstubAllGlobals();
  await setLanguage('ko');
});

describe('the admin’s payments in English', () => {
  it('name the payment method in English', async () => {
    await setLanguage('en');
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
    await act(async () => {
      root.render(
        <MantineProvider>
          <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
            <MemoryRouter initialEntries={['/admin/payments']}>
              <PaymentsPage />
            </MemoryRouter>
          </QueryClientProvider>
        </MantineProvider>,
      );
    });
    let row: HTMLTableRowElement | null = null;
    for (let attempt = 0; attempt < 100 && !row; attempt++) {
      row = container.querySelector('tbody tr');
      if (!row) await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    }
    const cells = [...(row?.querySelectorAll('td') ?? [])].map((cell) => cell.textContent);
    expect(cells).toContain('card');
    expect(cells).not.toContain('카드');
  });
});
