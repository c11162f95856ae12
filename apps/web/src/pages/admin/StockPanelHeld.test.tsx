// @vitest-environment happy-dom
import { Notifications } from '@mantine/notifications';
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdminProduct, SkuStock, StockMovement } from '../../admin-catalog/admin-products-api.ts';
import { setLanguage } from '../../i18n/i18n.ts';
import { anAdminProduct, aPage } from '../../testing/fixtures.ts';
import {
  cleanUpPages,
  problem,
  renderPage,
  type SentRequest,
  shown,
  stubFetch,
  typeInto,
} from '../../testing/page-harness.tsx';
import { StockPanel } from './StockPanel.tsx';

// Units sent back defective or damaged are held, not for sale: the admin sees how many per SKU and,
// after inspecting them, puts them on sale or writes them off, asked first.

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

// The fixture's T-shirt, two of its units held.
const sku = { ...anAdminProduct().skus[0]!, held: 2 };
const product = anAdminProduct({ skus: [sku] });

const movement = (overrides: Partial<StockMovement>): StockMovement => ({
  id: 1,
  skuId: 5,
  skuCode: 'TEE-01-BK',
  type: 'HOLD',
  quantity: 0,
  heldChange: 0,
  stockAfter: 8,
  reservedAfter: 0,
  soldAfter: 1_030,
  heldAfter: 2,
  reason: null,
  orderId: '8d7e6f5a-4b3c-4c1e-9a2b-3f1c2a9e4b7d',
  claimType: 'RETURN',
  orderNumber: 'ORD-20261207-AB12CD34',
  actor: 'shipping',
  createdAt: '2026-12-07T01:00:00.000Z',
  ...overrides,
});

const history = [
  movement({
    id: 3,
    type: 'DISCARD',
    heldChange: -1,
    heldAfter: 2,
    reason: '봉제 불량',
    orderId: null,
    claimType: null,
  }),
  movement({
    id: 2,
    type: 'RELEASE_HELD',
    quantity: 1,
    heldChange: -1,
    heldAfter: 3,
    orderId: null,
    claimType: null,
  }),
  movement({ id: 1, type: 'HOLD', heldChange: 4, heldAfter: 4 }),
];

/** A dialog is a portal, outside the panel's container. */
const dialog = () => document.querySelector<HTMLElement>('[role="dialog"]');
const button = (name: string, within: ParentNode = document) =>
  [...within.querySelectorAll('button')].find((candidate) => candidate.textContent === name);

async function showPanel(shownProduct: AdminProduct = product) {
  const decisions: Array<{ path: string; body: unknown }> = [];
  const decided = (request: SentRequest) => {
    decisions.push({ path: request.url.pathname, body: JSON.parse(String(request.body)) });
    const answer: SkuStock = {
      skuId: 5,
      skuCode: 'TEE-01-BK',
      status: 'ACTIVE',
      stock: 8,
      reserved: 0,
      sold: 1_030,
      held: 0,
    };
    return Response.json(answer);
  };
  stubFetch({
    '/api/admin/products/12/stock-movements': () => Response.json(aPage(history)),
    'POST /api/admin/products/12/skus/5/held-stock/release': decided,
    'POST /api/admin/products/12/skus/5/held-stock/discard': decided,
  });
  const container = await renderPage(
    <>
      <Notifications />
      <StockPanel product={shownProduct} />
    </>,
  );
  await shown(() => container.querySelector('[aria-label="재고 변동 내역"] tbody tr'));
  return { container, decisions };
}

/** The history's change cell of each row, newest first. */
const changes = (container: HTMLElement, label = '재고 변동 내역') =>
  [...container.querySelectorAll(`[aria-label="${label}"] tbody tr`)].map(
    (row) => row.querySelectorAll('td')[3]?.textContent,
  );

describe('the admin’s held units', () => {
  it('shows the held count beside the others and the held movements in words', async () => {
    const { container } = await showPanel();
    expect(container.querySelector('[data-testid="held-TEE-01-BK"]')?.textContent).toBe('2');
    const words = container.querySelector('[aria-label="재고 변동 내역"]')?.textContent ?? '';
    expect(words).toContain('검수 보류');
    expect(words).toContain('검수 후 판매');
    expect(words).toContain('폐기');
    expect(words).toContain('봉제 불량');
    expect(words).not.toMatch(/HOLD|RELEASE_HELD|DISCARD/);
  });

  it('says how many units each hold, release and write-off moved', async () => {
    const { container } = await showPanel();
    // A write-off and a hold change no available stock: their units are what the history shows.
    expect(changes(container)).toEqual(['폐기 -1', '+1보류 -1', '보류 +4']);
  });

  it('formats the held count in the dialog and the notice', async () => {
    const many = { ...sku, held: 1_500 };
    const { decisions } = await showPanel({ ...product, skus: [many] });
    await act(async () => button('폐기')?.click());
    const asked = await shown(dialog);
    expect(asked.textContent).toContain('보류 중인 1,500개');
    await act(async () => button('폐기', asked)?.click());
    await shown(() => decisions.length === 1);
    expect(decisions[0]?.body).toEqual({ quantity: 1_500 });
    await shown(() => document.body.textContent?.includes('TEE-01-BK: 1,500개를 폐기했습니다'));
  });

  it('says released units sell at once only when the option is on sale', async () => {
    const offSale: Array<[string, AdminProduct]> = [
      ['option stopped', { ...product, skus: [{ ...sku, status: 'INACTIVE' }] }],
      ['option removed', { ...product, skus: [{ ...sku, removed: true }] }],
      ['product stopped', { ...product, status: 'INACTIVE' }],
      ['product deleted', { ...product, deleted: true, displayed: false }],
    ];
    for (const [story, shownProduct] of offSale) {
      await showPanel(shownProduct);
      await act(async () => button('판매 전환')?.click());
      const text = (await shown(dialog)).textContent;
      expect(text, story).toContain('가용 재고로 돌립니다');
      expect(text, story).toContain('판매 중이 아니어서');
      expect(text, story).not.toContain('바로 판매됩니다');
      await cleanUpPages();
    }
    await showPanel();
    await act(async () => button('판매 전환')?.click());
    expect((await shown(dialog)).textContent).toContain('바로 판매됩니다');
  });

  it('says why the server refused when fewer units are held than asked', async () => {
    await showPanel();
    stubFetch({
      '/api/admin/products/12/stock-movements': () => Response.json(aPage(history)),
      'POST /api/admin/products/12/skus/5/held-stock/release': () =>
        problem(409, {
          type: 'urn:sagamart:problem:insufficient-held',
          detail: 'Only 1 held; cannot take 2',
        }),
    });
    await act(async () => button('판매 전환')?.click());
    const asked = await shown(dialog);
    await act(async () => button('판매 전환', asked)?.click());
    await shown(() => asked.textContent?.includes('보류 재고가 그보다 적습니다'));
    expect(asked.textContent).not.toContain('insufficient-held');
  });

  it('puts every held unit on sale once the admin confirms', async () => {
    const { decisions } = await showPanel();
    await act(async () => button('판매 전환')?.click());
    const asked = await shown(dialog);
    expect(asked.textContent).toContain('보류 중인 2개');
    expect(decisions).toEqual([]);
    await act(async () => button('판매 전환', asked)?.click());
    await shown(() => decisions.length === 1);
    expect(decisions[0]).toEqual({
      path: '/api/admin/products/12/skus/5/held-stock/release',
      body: { quantity: 2 },
    });
  });

  it('writes off as many as the admin says, with the inspection note, and refuses more than are held', async () => {
    const { decisions } = await showPanel();
    await act(async () => button('폐기')?.click());
    const asked = await shown(dialog);
    expect(asked.textContent).toContain('되돌릴 수 없습니다');
    const [quantity, note] = [...asked.querySelectorAll<HTMLInputElement>('input')];
    await typeInto(quantity!, '3');
    await act(async () => button('폐기', asked)?.click());
    await shown(() => asked.textContent?.includes('1에서 2 사이의 수를 입력해 주세요'));
    expect(decisions).toEqual([]);

    await typeInto(quantity!, '1');
    await typeInto(note!, '봉제 불량');
    await act(async () => button('폐기', asked)?.click());
    await shown(() => decisions.length === 1);
    expect(decisions[0]).toEqual({
      path: '/api/admin/products/12/skus/5/held-stock/discard',
      body: { quantity: 1, reason: '봉제 불량' },
    });
  });

  it('says the same in English', async () => {
    await setLanguage('en');
    stubFetch({ '/api/admin/products/12/stock-movements': () => Response.json(aPage(history)) });
    const container = await renderPage(<StockPanel product={product} />);
    const table = await shown(() => container.querySelector('[aria-label="Stock history"] tbody tr'));
    expect(table.closest('table')?.textContent).toContain('Held for inspection');
    expect(container.textContent).toContain('Written off');
    expect(changes(container, 'Stock history')).toEqual(['Written off -1', '+1Held -1', 'Held +4']);
    await act(async () => button('Write off')?.click());
    expect((await shown(dialog)).textContent).toContain('2 units came back defective or damaged');
  });
});
