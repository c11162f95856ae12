// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MantineProvider } from '@mantine/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AdminDashboard } from '../admin-dashboard/dashboard-api.ts';
import { theme } from '../app/theme.ts';
import { setLanguage } from '../i18n/i18n.ts';
import { DashboardPage } from '../pages/admin/DashboardPage.tsx';
import { cleanUpPages, renderPage, shown, stubFetch } from '../testing/page-harness.tsx';

// Mantine draws a badge's label in capitals: in English a status read as a raw code ("DELIVERED",
// "PARTLY REFUNDED", "SOLD OUT"). Badges show their label as written ("Delivered"), under the app's
// theme and Mantine's own badge style sheet, as the browser shows them.

const badgeSheet = document.createElement('style');
beforeAll(() => {
  const require = createRequire(import.meta.url);
  badgeSheet.textContent = readFileSync(require.resolve('@mantine/core/styles/Badge.css'), 'utf8');
  document.head.append(badgeSheet);
});
afterAll(() => badgeSheet.remove());

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

const dashboard: AdminDashboard = {
  generatedAt: '2026-12-08T02:36:00Z',
  today: { date: '2026-12-08', sales: 0, orders: 0 },
  week: { sales: 0, orders: 0, days: [{ date: '2026-12-08', sales: 0, orders: 0 }] },
  ordersByStatus: [
    { status: 'DELIVERED', count: 2 },
    { status: 'CANCELLED', count: 2 },
  ],
  topProducts: [],
  lowStock: [
    {
      skuId: 1,
      productId: 7,
      productName: '코튼 잠옷 세트',
      skuCode: 'PJ-1',
      optionLabel: '블루 / M',
      stock: 0,
    },
  ],
  lowStockThreshold: 5,
  lowStockTotal: 1,
  openClaims: { returns: 0, exchanges: 0, recent: [] },
  openChats: { waiting: 0, inProgress: 0 },
};

describe('a badge in English', () => {
  it('shows its label as written, not in capitals', async () => {
    await setLanguage('en');
    stubFetch({ '/api/admin/dashboard': () => Response.json(dashboard) });
    const container = await renderPage(
      <MantineProvider theme={theme}>
        <DashboardPage />
      </MantineProvider>,
    );
    await shown(() => container.querySelector('.mantine-Badge-root'));
    const badges = [...container.querySelectorAll<HTMLElement>('.mantine-Badge-root')];
    expect(badges.map((badge) => badge.textContent)).toEqual(
      expect.arrayContaining(['Delivered', 'Cancelled', 'Sold out']),
    );
    for (const badge of badges) expect(getComputedStyle(badge).textTransform).toBe('none');
  });
});
