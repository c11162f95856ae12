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
