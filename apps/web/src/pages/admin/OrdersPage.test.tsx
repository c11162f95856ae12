// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdminOrderSummary } from '../../admin-orders/admin-orders-api.ts';
import { productPictureUrl } from '../../catalog/product-picture.ts';
import { setLanguage } from '../../i18n/i18n.ts';
import { anOrderPaidWithPoints, aPage } from '../../testing/fixtures.ts';
import { cleanUpPages, renderPage, type SentRequest, shown, stubFetch } from '../../testing/page-harness.tsx';
import { OrdersPage } from './OrdersPage.tsx';

/** A buyer's sweatshirt and chinos, 19,000원 after discounts, paid with points alone. */
const paidWithPoints: AdminOrderSummary = {
  ...anOrderPaidWithPoints(),
  userId: 'a1b2c3d4-0000-4000-8000-000000000001',
  buyer: { name: '이지우', email: 'jiwoo@example.com' },
};

async function showRow(): Promise<HTMLElement> {
  stubFetch({
    '/api/admin/orders': () => Response.json(aPage([paidWithPoints])),
    '/api/admin/orders/stuck': () => Response.json(aPage([])),
  });
  const page = await renderPage(<OrdersPage />, ['/admin/orders']);
  return shown(() => page.querySelector<HTMLElement>('tbody tr'));
}

const cells = (row: HTMLElement) => [...row.querySelectorAll('td')].map((cell) => cell.textContent);
const nameOf = (row: HTMLElement) => row.querySelector('[data-testid="order-name"]')?.textContent;

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

describe("the admin's order list: an order paid with points", () => {
  it('names it and shows what it cost, points included', async () => {
    const row = await showRow();
    const [, , , , amount] = cells(row);
    expect(nameOf(row)).toBe('오버핏 크루넥 맨투맨 외 1건');
    expect(amount).toBe('19,000원포인트 19,000P 결제');
  });

  it('heads the amount as the order total, as the order page names it', async () => {
    const row = await showRow();
    const headers = [...(row.closest('table')?.querySelectorAll('th') ?? [])].map((th) => th.textContent);
    expect(headers[4]).toBe('주문 금액');
    await cleanUpPages();
    await setLanguage('en');
    const english = await showRow();
    const englishHeaders = [...(english.closest('table')?.querySelectorAll('th') ?? [])].map(
      (th) => th.textContent,
    );
    expect(englishHeaders[4]).toBe('Order total');
  });

  it('names it in English on an English console', async () => {
    await setLanguage('en');
    const row = await showRow();
    const [, , , , amount] = cells(row);
    expect(nameOf(row)).toBe('오버핏 크루넥 맨투맨 and 1 more');
    expect(amount).toBe('₩19,000Paid with points 19,000P');
  });
});

describe("the admin's order list: each order recognisable by what was in it", () => {
  /** A hoodie (with its picture) and two pairs of socks. */
  const hoodieAndSocks: AdminOrderSummary = {
    ...paidWithPoints,
    orderName: '오버핏 후드 외 1건',
    firstProductName: '오버핏 후드',
    itemCount: 2,
    totalQuantity: 3,
    thumbnailUrl: '/api/products/images/hoodie.png',
  };

  async function showItems(order: AdminOrderSummary): Promise<HTMLElement> {
    stubFetch({
      '/api/admin/orders': () => Response.json(aPage([order])),
      '/api/admin/orders/stuck': () => Response.json(aPage([])),
    });
    const page = await renderPage(<OrdersPage />, ['/admin/orders']);
    const row = await shown(() => page.querySelector<HTMLElement>('tbody tr'));
    return row.querySelectorAll('td')[1]!;
  }

  it("shows the first product's picture and name, the others and the units", async () => {
    const items = await showItems(hoodieAndSocks);
    expect(items.querySelector('img')?.getAttribute('src')).toBe('/api/products/images/hoodie.png');
    expect(items.querySelector('[data-testid="order-name"]')?.textContent).toBe('오버핏 후드 외 1건');
    expect(items.querySelector('[data-testid="order-quantity"]')?.textContent).toBe('총 3개');
  });

  it('draws the first product from its name when it has no uploaded picture, and counts in English on an English console', async () => {
    const pictured = await showItems(hoodieAndSocks);
    const picture = pictured.querySelector<HTMLElement>('img')!;
    const size = [picture.style.width, picture.style.height];
    await cleanUpPages();
    await setLanguage('en');
    const items = await showItems({ ...hoodieAndSocks, thumbnailUrl: null, totalQuantity: 1, itemCount: 1 });
    const drawn = items.querySelector<HTMLElement>('img');
    // A hoodie, by its name, in a neutral colour, the size of an uploaded picture.
    expect(drawn?.getAttribute('src')).toBe(productPictureUrl('hoodie', null));
    expect([drawn!.style.width, drawn!.style.height]).toEqual(size);
    expect(items.querySelector('[data-testid="order-quantity"]')?.textContent).toBe('1 item');
  });

  it("keeps a picture's room in a row with nothing to draw it from, so every row's name starts at the same place", async () => {
    const pictured = await showItems(hoodieAndSocks);
    const picture = pictured.querySelector<HTMLElement>('img')!;
    const size = [picture.style.width, picture.style.height];
    expect(size[0]).not.toBe('');
    await cleanUpPages();
    const items = await showItems({ ...hoodieAndSocks, thumbnailUrl: null, firstProductName: '' });
    expect(items.querySelector('img')).toBeNull();
    const none = items.querySelector<HTMLElement>('[data-testid="order-picture-none"]');
    expect(none).not.toBeNull();
    expect(none!.getAttribute('aria-hidden')).toBe('true');
    expect([none!.style.width, none!.style.height]).toEqual(size);
  });
});

describe("the admin's order list: a page past the last", () => {
  it('says this page has none, not that no order matches, and leads back to the first page', async () => {
    stubFetch({
      '/api/admin/orders': ({ url }: SentRequest) => {
        const page = Number(url.searchParams.get('page') ?? 0);
        return Response.json(
          aPage(page === 0 ? [paidWithPoints] : [], {
            page,
            totalElements: 1,
            totalPages: 1,
            first: page === 0,
          }),
        );
      },
      '/api/admin/orders/stuck': () => Response.json(aPage([])),
    });
    const page = await renderPage(<OrdersPage />, ['/admin/orders?page=40']);
    const back = await shown(() =>
      [...page.querySelectorAll('button')].find((button) => button.textContent === '첫 페이지로'),
    );
    expect(page.textContent).toContain('이 페이지에는 보여 드릴 항목이 없습니다.');
    await act(async () => back.click());
    await shown(() => page.querySelector('tbody tr'));
  });
});
