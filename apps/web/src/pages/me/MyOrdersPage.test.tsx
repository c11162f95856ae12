// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/i18n.ts';
import { anOrderPaidWithPoints, aPage } from '../../testing/fixtures.ts';
import { cleanUpPages, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
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
    expect(within(card, 'order-points')).toBe('포인트 19,000원 결제');
    expect(card.querySelector('a')?.textContent).toBe('오버핏 크루넥 맨투맨 외 1건');
  });

  it('says it in English, the order named in English too', async () => {
    await setLanguage('en');
    const card = await showOrders();
    expect(within(card, 'order-total')).toBe('₩19,000');
    expect(within(card, 'order-points')).toBe('Paid with points ₩19,000');
    expect(card.querySelector('a')?.textContent).toBe('오버핏 크루넥 맨투맨 and 1 more');
  });
});
