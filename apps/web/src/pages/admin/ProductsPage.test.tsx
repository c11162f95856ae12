// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdminProductSummary } from '../../admin-catalog/admin-products-api.ts';
import { setLanguage } from '../../i18n/i18n.ts';
import { anAdminProductSummary, aPage } from '../../testing/fixtures.ts';
import { cleanUpPages, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { ProductsPage } from './ProductsPage.tsx';

// Units sent back defective or damaged wait for the admin's inspection: the product list says which
// products hold some and how many, finds them with a filter, and keeps a deleted product listed (and
// marked deleted) while it holds any.

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

const holding = anAdminProductSummary({ id: 12, name: '기본 티셔츠', heldTotal: 1_500 });
const deletedHolding = anAdminProductSummary({
  id: 13,
  code: 'TEE-02',
  name: '단종 티셔츠',
  displayed: false,
  deleted: true,
  heldTotal: 2,
});
const clean = anAdminProductSummary({ id: 14, code: 'SOCK-01', name: '무지 양말' });

async function showList(entry = '/admin/products') {
  const requested = stubFetch({
    '/api/admin/categories': () => Response.json([]),
    '/api/admin/products': ({ url }) =>
      Response.json(
        aPage<AdminProductSummary>(
          url.searchParams.get('held') === 'true'
            ? [holding, deletedHolding]
            : [holding, deletedHolding, clean],
        ),
      ),
  });
  const container = await renderPage(<ProductsPage />, [entry]);
  await shown(() => container.querySelector('tbody tr'));
  return { container, requested };
}

/** The cells of the row naming `name`, by the table's column headers. */
function rowOf(container: HTMLElement, name: string): Record<string, string> {
  const headers = [...container.querySelectorAll('thead th')].map((th) => th.textContent ?? '');
  const row = [...container.querySelectorAll('tbody tr')].find((tr) => tr.textContent?.includes(name));
  const cells = [...(row?.querySelectorAll('td') ?? [])].map((td) => td.textContent ?? '');
  return Object.fromEntries(headers.map((header, i) => [header, cells[i] ?? '']));
}

/** Picks `value` in the select labelled `label`, as a person would. */
async function choose(container: HTMLElement, label: string, value: string) {
  const labelled = [...container.querySelectorAll('label')].find((l) => l.textContent === label);
  const select = container.querySelector<HTMLSelectElement>(`#${labelled?.htmlFor}`)!;
  const setValue = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')?.set;
  await act(async () => {
    setValue?.call(select, value);
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

describe('the admin’s product list and held units', () => {
  it('shows how many units each product holds for inspection, and a deleted one that holds some', async () => {
    const { container } = await showList();
    expect(rowOf(container, '기본 티셔츠')['검수 보류']).toBe('1,500');
    expect(rowOf(container, '무지 양말')['검수 보류']).toBe('0');
    const deleted = rowOf(container, '단종 티셔츠');
    expect(deleted['검수 보류']).toBe('2');
    expect(deleted.상품).toContain('삭제됨');
    expect(rowOf(container, '기본 티셔츠').상품).not.toContain('삭제됨');
  });

  it('finds the products holding units with a filter kept in the address', async () => {
    const { container, requested } = await showList();
    await choose(container, '검수 보류', 'true');
    await shown(() =>
      requested.some((url) => url.startsWith('/api/admin/products?') && url.includes('held=true')),
    );
    await shown(() => !container.textContent?.includes('무지 양말'));

    // Opened from a link (or reloaded), the filter holds.
    await cleanUpPages();
    const again = await showList('/admin/products?held=true');
    expect(again.requested.filter((url) => url.startsWith('/api/admin/products?'))).toEqual([
      expect.stringContaining('held=true'),
    ]);
  });

  it('says the same in English', async () => {
    await setLanguage('en');
    const { container } = await showList();
    const deleted = rowOf(container, '단종 티셔츠');
    expect(deleted['Held for inspection']).toBe('2');
    expect(deleted.Product).toContain('Deleted');
  });
});

// The dashboard's low-stock card links here filtered: products with a SKU on sale at or below its
// threshold (or sold out), as product-service counts them.
describe('the admin’s product list by stock', () => {
  const running = anAdminProductSummary({ id: 21, code: 'MTM-01', name: '오버핏 맨투맨', totalStock: 3 });
  const gone = anAdminProductSummary({ id: 22, code: 'CAP-01', name: '볼캡', totalStock: 0 });
  // Listed for one option while the others hold hundreds: the row says which options matched.
  const partly = anAdminProductSummary({
    id: 23,
    code: 'JK-01',
    name: '바람막이 재킷',
    skuCount: 12,
    totalStock: 266,
  });
  const sixMatches = [0, 0, 1, 2, 4, 5].map((stock, i) => ({
    skuId: 300 + i,
    skuCode: `JK-01-${i}`,
    optionLabel: `블랙 / ${90 + i * 5}`,
    stock,
  }));
  const matchesOf = (stock: string | null) =>
    stock === 'soldout' ? sixMatches.filter((m) => m.stock === 0) : stock === 'low' ? sixMatches : undefined;

  async function showByStock(entry: string) {
    const requested = stubFetch({
      '/api/admin/categories': () => Response.json([]),
      '/api/admin/products': ({ url }) => {
        const stock = url.searchParams.get('stock');
        const stockMatches = matchesOf(stock);
        const withMatches = { ...partly, ...(stockMatches ? { stockMatches } : {}) };
        return Response.json(
          aPage<AdminProductSummary>(
            stock === 'low'
              ? [running, gone, withMatches]
              : stock === 'soldout'
                ? [gone, withMatches]
                : [running, gone, clean, withMatches],
          ),
        );
      },
    });
    const container = await renderPage(<ProductsPage />, [entry]);
    await shown(() => container.querySelector('tbody tr'));
    return { container, requested };
  }

  const listRequests = (requested: string[]) =>
    requested.filter((url) => url.startsWith('/api/admin/products?'));
  const selectLabelled = (container: HTMLElement, label: string) => {
    const labelled = [...container.querySelectorAll('label')].find((l) => l.textContent === label);
    return container.querySelector<HTMLSelectElement>(`#${labelled?.htmlFor}`);
  };

  it('opens filtered from the dashboard’s link, with the filter shown as chosen', async () => {
    const { container, requested } = await showByStock('/admin/products?stock=low');
    expect(listRequests(requested)).toEqual([expect.stringContaining('stock=low')]);
    const select = selectLabelled(container, '재고');
    expect(select?.value).toBe('low');
    expect(select?.selectedOptions[0]?.textContent).toBe('재고 부족 옵션 있음');
    expect(container.textContent).not.toContain('무지 양말');
  });

  it('narrows to sold-out products and back to all with the filter', async () => {
    const { container, requested } = await showByStock('/admin/products');
    expect(listRequests(requested)[0]).not.toContain('stock=');
    await choose(container, '재고', 'soldout');
    await shown(() => listRequests(requested).some((url) => url.includes('stock=soldout')));
    await shown(() => !container.textContent?.includes('오버핏 맨투맨'));
    await choose(container, '재고', '');
    await shown(() => container.textContent?.includes('무지 양말'));
    expect(listRequests(requested).at(-1)).not.toContain('stock=');
  });

  it('names the filter in English', async () => {
    await setLanguage('en');
    const { container } = await showByStock('/admin/products?stock=soldout');
    const select = selectLabelled(container, 'Stock');
    expect([...(select?.options ?? [])].map((o) => o.textContent)).toEqual([
      'All',
      'Has options low on stock',
      'Has sold-out options',
    ]);
    expect(select?.value).toBe('soldout');
    expect(matchedOptions(container, '바람막이 재킷')).toEqual([
      '블랙 / 90: Sold out',
      '블랙 / 95: Sold out',
    ]);
  });

  // "품절" listed products 판매 중 with hundreds in stock: it means "has a sold-out option", and the
  // row did not say which.
  it('words the choices for what they find: a product with such an option', async () => {
    const { container } = await showByStock('/admin/products');
    const select = selectLabelled(container, '재고');
    expect([...(select?.options ?? [])].map((o) => o.textContent)).toEqual([
      '전체',
      '재고 부족 옵션 있음',
      '품절 옵션 있음',
    ]);
  });

  it('names on each row the options that matched, with their stock', async () => {
    const { container } = await showByStock('/admin/products?stock=soldout');
    expect(matchedOptions(container, '바람막이 재킷')).toEqual(['블랙 / 90: 품절', '블랙 / 95: 품절']);
    // Its total stock stays in its own column.
    expect(rowOf(container, '바람막이 재킷').재고).toBe('266');
  });

  it('shows the first few matches and the rest on request', async () => {
    const { container } = await showByStock('/admin/products?stock=low');
    expect(matchedOptions(container, '바람막이 재킷')).toEqual([
      '블랙 / 90: 품절',
      '블랙 / 95: 품절',
      '블랙 / 100: 1개 남음',
    ]);
    const more = [...container.querySelectorAll('button')].find((b) => b.textContent === '옵션 3개 더 보기');
    expect(more).toBeDefined();
    await act(async () => more?.click());
    expect(matchedOptions(container, '바람막이 재킷')).toEqual([
      '블랙 / 90: 품절',
      '블랙 / 95: 품절',
      '블랙 / 100: 1개 남음',
      '블랙 / 105: 2개 남음',
      '블랙 / 110: 4개 남음',
      '블랙 / 115: 5개 남음',
    ]);
  });

  it('lists no matches without the filter', async () => {
    const { container } = await showByStock('/admin/products');
    expect(matchedOptions(container, '바람막이 재킷')).toEqual([]);
  });
});

/** The matched options listed under the product `name`, as "label: stock". */
function matchedOptions(container: HTMLElement, name: string): string[] {
  const row = [...container.querySelectorAll('tbody tr')].find((tr) => tr.textContent?.includes(name));
  return [...(row?.querySelectorAll('[data-testid="stock-match"]') ?? [])].map((item) =>
    [...item.children].map((part) => part.textContent).join(': '),
  );
}
