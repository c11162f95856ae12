import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectPageErrors, newShopContext, screenshotOnFailure } from './support/browser.ts';
import { DESKTOP, horizontalOverflow, PHONE, saveScreenshot } from './support/page-scan.ts';
import { useBrowserSuite } from './support/suite.ts';

/** The seeded showroom is reached by events: moments after the platform starts. */
const CATALOG_MS = 60_000;

/**
 * Search as a Korean shopper types it, on the seeded showroom: a product word and a colour in either
 * order, a category picked from the suggestions, and a typo that finds nothing but offers a way on.
 */
describe('search finds what shoppers type', { timeout: 600_000 }, () => {
  const suite = useBrowserSuite();

  for (const [size, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`at ${size} width`, { timeout: 240_000 }, async () => {
      const context = await newShopContext(suite.browser, suite.environment.baseUrl, null, viewport);
      const page = await context.newPage();
      const pageErrors = collectPageErrors(page);

      await screenshotOnFailure(`search-${size}`, [page], async () => {
        for (const q of ['맨투맨 블랙', '블랙 맨투맨']) {
          await page.goto(`/products?q=${encodeURIComponent(q)}`);
          const results = page.getByRole('list', { name: '상품 목록' });
          await results.getByText('오버핏 크루넥 맨투맨').waitFor({ timeout: CATALOG_MS });
          await results.getByText('헤비웨이트 기모 맨투맨').waitFor();
          // 베이직 로고 자수 맨투맨 comes in white and charcoal only.
          assert.equal(await results.getByText('베이직 로고 자수 맨투맨').count(), 0);
        }
        await saveScreenshot(page, `search-results-${size}`);

        // Suggestions name a category; picking it opens the category's list.
        // The visible box: the header's on a desktop, the list page's own on a phone.
        const box = page.getByRole('combobox', { name: '상품 검색' });
        await box.fill('맨투');
        const category = page.getByRole('option', { name: '맨투맨/스웨트셔츠' });
        await category.waitFor();
        await saveScreenshot(page, `search-suggestions-${size}`);
        await category.click();
        await page.waitForURL(/categoryId=\d+/);
        await page.getByRole('list', { name: '상품 목록' }).getByText('베이직 로고 자수 맨투맨').waitFor();

        // A typo finds nothing, and the page offers what the catalog suggests instead.
        await page.goto(`/products?q=${encodeURIComponent('맨투멘')}`);
        await page.getByText('찾는 상품이 없습니다').waitFor();
        const offers = page.getByRole('list', { name: '이런 검색어는 어떠세요?' });
        await offers.getByRole('link', { name: '맨투맨/스웨트셔츠 카테고리' }).waitFor();
        await page.getByRole('list', { name: '지금 많이 찾는 상품' }).waitFor();
        await saveScreenshot(page, `search-no-results-${size}`);
        if (size === 'phone')
          assert.equal(await horizontalOverflow(page), 0, 'the page is wider than the phone');
        await offers.getByRole('link', { name: '맨투맨/스웨트셔츠 카테고리' }).click();
        await page.waitForURL(/categoryId=\d+/);
      });

      assert.deepEqual(pageErrors, []);
      await context.close();
    });
  }
});
