// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { productPictureUrl } from '../../catalog/product-picture.ts';
import { setLanguage } from '../../i18n/i18n.ts';
import { anOrder, anOrderPaidWithPoints, aPage } from '../../testing/fixtures.ts';
import { cleanUpPages, renderPage, type SentRequest, shown, stubFetch } from '../../testing/page-harness.tsx';
import { MyOrdersPage } from './MyOrdersPage.tsx';

/** A sweatshirt and chinos, 19,000원 after discounts, paid with points alone, as order-service lists it. */
const paidWithPoints = anOrderPaidWithPoints();

let container: HTMLElement;

async function showOrders() {
  stubFetch({ '/api/orders': () => Response.json(aPage([paidWithPoints])) });
  container = await renderPage(<MyOrdersPage />, ['/me/orders']);
  return shown(() => container.querySelector<HTMLElement>('[data-testid="my-order"]'));
}

const within = (card: HTMLElement, testId: string) =>
  card.querySelector(`[data-testid="${testId}"]`)?.textContent;

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

describe('my orders: an order paid with points', () => {
  it('shows what it cost and that points paid it, not 0원', async () => {
    const card = await showOrders();
    expect(within(card, 'order-total')).toBe('19,000원');
    expect(within(card, 'order-total-label')).toBe('주문 금액');
    expect(within(card, 'order-points')).toBe('포인트 19,000P 결제');
    expect(card.querySelector('a')?.textContent).toBe('오버핏 크루넥 맨투맨 외 1건');
  });

  it('says it in English, the order named in English too', async () => {
    await setLanguage('en');
    const card = await showOrders();
    expect(within(card, 'order-total')).toBe('₩19,000');
    expect(within(card, 'order-total-label')).toBe('Order total');
    expect(within(card, 'order-points')).toBe('Paid with points 19,000P');
    expect(card.querySelector('a')?.textContent).toBe('오버핏 크루넥 맨투맨 and 1 more');
  });
});

describe('my orders: each order recognisable by what was in it', () => {
  /** A hoodie (with its picture) and two pairs of socks, as order-service lists the order. */
  const hoodieAndSocks = anOrder({
    orderName: '오버핏 후드 외 1건',
    firstProductName: '오버핏 후드',
    itemCount: 2,
    totalQuantity: 3,
    thumbnailUrl: '/api/products/images/hoodie.png',
    subtotal: 49_000,
    payableAmount: 49_000,
  });
  /** One pair of socks, whose product has no uploaded picture. */
  const socks = anOrder({
    orderId: '9d2e4b1a-7c3f-4e8a-b5d6-1a2b3c4d5e6f',
    orderNumber: 'ORD-20261206-2KQ8ZP4M',
    orderName: '무지 양말',
    firstProductName: '무지 양말',
    itemCount: 1,
    totalQuantity: 1,
    thumbnailUrl: null,
    createdAt: '2026-12-06T03:00:00.000Z',
  });

  async function showCards(orders = [hoodieAndSocks, socks]) {
    stubFetch({ '/api/orders': () => Response.json(aPage(orders)) });
    container = await renderPage(<MyOrdersPage />, ['/me/orders']);
    await shown(() => container.querySelectorAll('[data-testid="my-order"]').length === orders.length);
    return [...container.querySelectorAll<HTMLElement>('[data-testid="my-order"]')];
  }

  it("shows the first product's picture and name, the others and the units, beside status, date and total", async () => {
    const [first, second] = await showCards();
    expect(first!.querySelector('img')?.getAttribute('src')).toBe('/api/products/images/hoodie.png');
    expect(first!.querySelector('a')?.textContent).toBe('오버핏 후드 외 1건');
    expect(within(first!, 'order-quantity')).toBe('총 3개');
    expect(within(first!, 'order-total')).toBe('49,000원');
    expect(first!.textContent).toContain('결제 완료');
    expect(first!.textContent).toContain('2026-12-07 17:00');
    // No uploaded picture (the demo shop's products): the one the shop draws from the product's name
    // (socks), in a neutral colour, the size of the uploaded one.
    const picture = first!.querySelector<HTMLElement>('img')!;
    const drawn = second!.querySelector<HTMLElement>('img');
    expect(drawn?.getAttribute('src')).toBe(productPictureUrl('sock', null));
    expect([drawn!.style.width, drawn!.style.height]).toEqual([picture.style.width, picture.style.height]);
    expect(picture.style.width).not.toBe('');
    expect(second!.querySelector('a')?.textContent).toBe('무지 양말');
    expect(within(second!, 'order-quantity')).toBe('총 1개');
  });

  it("keeps a picture's room when there is nothing to draw it from, so its name lines up with the others'", async () => {
    const nameless = anOrder({
      ...socks,
      orderName: '',
      firstProductName: '',
      itemCount: 0,
      totalQuantity: 0,
    });
    const [first, second] = await showCards([hoodieAndSocks, nameless]);
    const picture = first!.querySelector<HTMLElement>('img')!;
    expect(second!.querySelector('img')).toBeNull();
    const none = second!.querySelector<HTMLElement>('[data-testid="order-picture-none"]');
    expect(none).not.toBeNull();
    expect(none!.getAttribute('aria-hidden')).toBe('true');
    expect([none!.style.width, none!.style.height]).toEqual([picture.style.width, picture.style.height]);
  });

  it('counts the units in English', async () => {
    await setLanguage('en');
    const [first, second] = await showCards();
    expect(first!.querySelector('a')?.textContent).toBe('오버핏 후드 and 1 more');
    expect(within(first!, 'order-quantity')).toBe('3 items');
    expect(within(second!, 'order-quantity')).toBe('1 item');
  });
});

describe('my orders: the status filter', () => {
  const offered = () => [...container.querySelectorAll('select option')].map((option) => option.textContent);

  it('offers the states a shopper knows, not the one order-service holds while it reserves', async () => {
    await showOrders();
    expect(offered()).toEqual([
      '전체',
      '결제 대기',
      '결제 완료',
      '배송 중',
      '배송 완료',
      '반품 완료',
      '주문 취소',
    ]);
  });

  it('does so in English too', async () => {
    await setLanguage('en');
    await showOrders();
    expect(offered()).not.toContain('Being placed');
    expect(offered()).toEqual([
      'All orders',
      'Awaiting payment',
      'Paid',
      'Shipping',
      'Delivered',
      'Returned',
      'Cancelled',
    ]);
  });
});

describe('my orders: a page past the last (an old link, a page number typed by hand)', () => {
  /** order-service: three orders, one page of them; any later page is empty. */
  const threeOrders = ({ url }: SentRequest) => {
    const page = Number(url.searchParams.get('page') ?? 0);
    return Response.json(
      aPage(page === 0 ? [paidWithPoints] : [], { page, totalElements: 3, totalPages: 1, first: page === 0 }),
    );
  };

  it('says this page has none, not that the shopper has no orders, and leads back to the first page', async () => {
    stubFetch({ '/api/orders': threeOrders });
    container = await renderPage(<MyOrdersPage />, ['/me/orders?page=99']);
    const back = await shown(() =>
      [...container.querySelectorAll('button')].find((button) => button.textContent === '첫 페이지로'),
    );
    expect(container.textContent).toContain('이 페이지에는 보여 드릴 항목이 없습니다.');
    expect(container.textContent).not.toContain('아직 주문하신 상품이 없습니다');
    await act(async () => back.click());
    await shown(() => container.querySelector('[data-testid="my-order"]'));
  });

  it('says so in English', async () => {
    await setLanguage('en');
    stubFetch({ '/api/orders': threeOrders });
    container = await renderPage(<MyOrdersPage />, ['/me/orders?page=99']);
    await shown(() =>
      [...container.querySelectorAll('button')].find(
        (button) => button.textContent === 'Go to the first page',
      ),
    );
    expect(container.textContent).toContain('There is nothing on this page: the list is shorter.');
  });
});
