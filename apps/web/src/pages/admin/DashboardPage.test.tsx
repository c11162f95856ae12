// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { AdminDashboard } from '../../admin-dashboard/dashboard-api.ts';
import { setLanguage } from '../../i18n/i18n.ts';
import { cleanUpPages, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { DashboardPage } from './DashboardPage.tsx';

/** A sweatshirt's SKU sold out, as notification-service lists it. */
const soldOut = (skuId: number): AdminDashboard['lowStock'][number] => ({
  skuId,
  productId: 7,
  productName: '오버핏 크루넥 맨투맨',
  skuCode: `SKU-${skuId}`,
  optionLabel: '블랙 / L',
  stock: 0,
});

/** Today: one order paid by card for 52,000원, its sweatshirts the week's best seller; 14 SKUs low. */
function aDashboard(overrides: Partial<AdminDashboard> = {}): AdminDashboard {
  const days = ['2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06', '2026-12-07'];
  const today = { date: '2026-12-08', sales: 52_000, orders: 1 };
  return {
    generatedAt: '2026-12-08T02:36:00Z',
    today,
    week: {
      sales: 52_000,
      orders: 1,
      days: [...days.map((date) => ({ date, sales: 0, orders: 0 })), today],
    },
    ordersByStatus: [{ status: 'PAID', count: 1 }],
    topProducts: [{ productId: 7, productName: '오버핏 크루넥 맨투맨', quantity: 2, sales: 52_000 }],
    lowStock: Array.from({ length: 10 }, (_, i) => soldOut(100 + i)),
    lowStockThreshold: 5,
    lowStockTotal: 14,
    openClaims: { returns: 0, exchanges: 0, recent: [] },
    openChats: { waiting: 0, inProgress: 0 },
    ...overrides,
  };
}

let container: HTMLElement;

async function showDashboard(dashboard: AdminDashboard) {
  stubFetch({ '/api/admin/dashboard': () => Response.json(dashboard) });
  container = await renderPage(<DashboardPage />, ['/admin/dashboard']);
  await shown(() => container.querySelector('[data-testid="stat-value"]'));
}

const section = (name: string) => container.querySelector<HTMLElement>(`section[aria-label^="${name}"]`)!;
const statLabels = () =>
  [...container.querySelectorAll('[role="group"]')].map((g) => g.getAttribute('aria-label'));

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

describe('dashboard: SKUs low on stock', () => {
  it('says how many run low of all, and leads to the product list for the rest', async () => {
    await showDashboard(aDashboard());
    const lowStock = section('재고 부족 SKU');
    expect(lowStock.querySelectorAll('li')).toHaveLength(10);
    expect(lowStock.querySelector('[data-testid="low-stock-count"]')?.textContent).toBe('14개 중 10개');
    const all = lowStock.querySelector<HTMLAnchorElement>('a[data-testid="low-stock-all"]');
    // The list opens filtered to the products of those SKUs, not on every product.
    expect(all?.getAttribute('href')).toBe('/admin/products?stock=low');
    expect(all?.textContent).toBe('상품 목록에서 재고 부족 상품 보기');
  });

  it('does so in English', async () => {
    await setLanguage('en');
    await showDashboard(aDashboard());
    const lowStock = section('SKUs low on stock');
    expect(lowStock.querySelector('[data-testid="low-stock-count"]')?.textContent).toBe('10 of 14');
    expect(lowStock.querySelector('a[data-testid="low-stock-all"]')?.textContent).toBe(
      'See low-stock products in the product list',
    );
  });

  it('says nothing of a count when every low SKU is listed, or the server does not tell it', async () => {
    await showDashboard(aDashboard({ lowStock: [soldOut(100)], lowStockTotal: 1 }));
    expect(section('재고 부족 SKU').querySelector('[data-testid="low-stock-count"]')).toBeNull();
    await cleanUpPages();
    const { lowStockTotal: _, ...older } = aDashboard();
    await showDashboard(older);
    expect(section('재고 부족 SKU').querySelector('[data-testid="low-stock-count"]')).toBeNull();
  });
});

describe('dashboard: sales are card payments', () => {
  it('says the sales figures are what was paid by card, points left out', async () => {
    await showDashboard(aDashboard());
    expect(statLabels()).toContain('오늘 매출 (카드 결제)');
    expect(statLabels()).toContain('최근 7일 매출 (카드 결제)');
    expect(container.textContent).toContain('포인트로 결제한 금액은 빠집니다');
    expect(section('많이 팔린 상품').querySelector('th:last-child')?.textContent).toBe('카드 결제액');
  });

  it('says so in English', async () => {
    await setLanguage('en');
    await showDashboard(aDashboard());
    expect(statLabels()).toContain("Today's sales (card payments)");
    expect(statLabels()).toContain('Sales, last 7 days (card payments)');
    expect(container.textContent).toContain('amounts paid with points are not included');
    expect(section('Best sellers').querySelector('th:last-child')?.textContent).toBe('Paid by card');
  });
});

// "1 units", "0 returns · 1 exchanges": English counts take the word's singular for one.
describe('dashboard: counted words', () => {
  const counted = aDashboard({
    topProducts: [
      { productId: 7, productName: '오버핏 크루넥 맨투맨', quantity: 2, sales: 52_000 },
      { productId: 8, productName: '울 블렌드 비니', quantity: 1, sales: 25_000 },
    ],
    openClaims: { returns: 0, exchanges: 1, recent: [] },
  });
  const units = () =>
    [...section('Best sellers').querySelectorAll('tbody tr')].map((row) => row.children[1]?.textContent);
  const claimsNote = (label: string) =>
    container.querySelector(`[role="group"][aria-label="${label}"]`)?.textContent ?? '';

  it('says one unit and one exchange in English', async () => {
    await setLanguage('en');
    await showDashboard(counted);
    expect(units()).toEqual(['2 units', '1 unit']);
    expect(claimsNote('Open returns and exchanges')).toContain('0 returns · 1 exchange');
    await cleanUpPages();
    await showDashboard(aDashboard({ openClaims: { returns: 1, exchanges: 2, recent: [] } }));
    expect(claimsNote('Open returns and exchanges')).toContain('1 return · 2 exchanges');
  });

  it('counts the same in Korean', async () => {
    await showDashboard(counted);
    expect(
      [...section('많이 팔린 상품').querySelectorAll('tbody tr')].map((row) => row.children[1]?.textContent),
    ).toEqual(['2개', '1개']);
    expect(claimsNote('진행 중인 반품·교환')).toContain('반품 0 · 교환 1');
  });
});
