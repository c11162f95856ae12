import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { type StockMovement, stockMovementsQuery } from '../../admin-catalog/admin-products-api.ts';
import type { Page } from '../../api/page.ts';
import { setLanguage } from '../../i18n/i18n.ts';
import { anAdminProduct } from '../../testing/fixtures.ts';
import { StockPanel } from './StockPanel.tsx';

afterEach(() => setLanguage('ko'));

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const ORDER_ID = '3f1c2a9e-4b7d-4c1e-9a2b-8d7e6f5a4b3c';
const CLAIM_ID = '8d7e6f5a-4b3c-4c1e-9a2b-3f1c2a9e4b7d';

// The fixture's T-shirt, its one SKU at the counts the history below ends with.
const product = anAdminProduct({ skus: [{ ...anAdminProduct().skus[0]!, stock: 1_250, reserved: 2 }] });

const movement = (overrides: Partial<StockMovement>): StockMovement => ({
  id: 1,
  skuId: 5,
  skuCode: 'TEE-01-BK',
  type: 'RESERVE',
  quantity: -1,
  heldChange: 0,
  stockAfter: 1_250,
  reservedAfter: 2,
  soldAfter: 1_030,
  heldAfter: 0,
  reason: null,
  orderId: null,
  claimType: null,
  orderNumber: null,
  actor: 'internal',
  createdAt: '2026-12-07T01:00:00.000Z',
  ...overrides,
});

/** The history as the admin reads it, product-service's page already loaded. */
function historyText(content: StockMovement[]): string {
  const client = new QueryClient();
  const page: Page<StockMovement> = {
    content,
    page: 0,
    size: 10,
    totalElements: content.length,
    totalPages: 1,
    first: true,
    last: true,
  };
  client.setQueryData(
    stockMovementsQuery(product.id, { skuId: null, type: '', page: 0, size: 10 }).queryKey,
    page,
  );
  const html = renderToStaticMarkup(
    <QueryClientProvider client={client}>
      <MantineProvider>
        <StockPanel product={product} />
      </MantineProvider>
    </QueryClientProvider>,
  );
  const history = html.slice(html.indexOf('id="history-title"'));
  return history.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('the admin’s stock history', () => {
  const history = [
    // An order's own movement: order-service's calls name its number.
    movement({ id: 5, type: 'SELL', quantity: 0, orderId: ORDER_ID, orderNumber: 'ORD-20261207-QW12ER34' }),
    movement({
      id: 4,
      type: 'RETURN',
      quantity: 2,
      orderId: CLAIM_ID,
      claimType: 'RETURN',
      orderNumber: 'ORD-20261207-AB12CD34',
    }),
    movement({ id: 3, type: 'RESERVE', quantity: -1, orderId: CLAIM_ID, claimType: 'EXCHANGE' }),
    movement({ id: 2, type: 'RESERVE', quantity: -1, orderId: ORDER_ID }),
    movement({
      id: 1,
      type: 'ADJUST',
      quantity: 1_200,
      stockAfter: 1_250,
      reason: '창고 실사',
      actor: 'admin',
    }),
  ];

  it('names what a movement was for by the order’s number or its kind, never by an id', async () => {
    const text = historyText(history);
    expect(text).not.toMatch(UUID);
    expect(text).toContain('반품 · 주문 ORD-20261207-AB12CD34');
    expect(text).toContain(' 주문 ORD-20261207-QW12ER34');
    expect(text).toContain('교환');
    expect(text).toContain(' 주문 ');
    expect(text).toContain('창고 실사');
    await setLanguage('en');
    const english = historyText(history);
    expect(english).toContain('Return · order ORD-20261207-AB12CD34');
    expect(english).toContain('Order ORD-20261207-QW12ER34');
    expect(english).toContain('Exchange');
    expect(english).not.toMatch(UUID);
  });

  it('formats every count', () => {
    const text = historyText(history);
    expect(text).toContain('+1,200');
    expect(text).toContain('1,250');
    expect(text).toContain('1,030');
    expect(text).not.toMatch(/\b1200\b|\b1250\b|\b1030\b/);
  });
});
