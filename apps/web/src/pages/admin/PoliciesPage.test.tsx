// @vitest-environment happy-dom
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdminCategory } from '../../admin-catalog/admin-categories-api.ts';
import type { Policy } from '../../admin-promotion/admin-promotion-api.ts';
import { setLanguage } from '../../i18n/i18n.ts';
import { anAdminProductSummary, aPage } from '../../testing/fixtures.ts';
import { cleanUpPages, problem, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { PoliciesPage } from './PoliciesPage.tsx';

// The discount policy list names each policy's target as the admin picked it: the product by its
// name, the category by its place in the tree, never by an id. A page of policies costs one request
// for its products (by their ids) and the category tree, however many rows it has; a target deleted
// since reads as deleted.

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

const category = (id: number, name: string, depth: number, children: AdminCategory[] = []) => ({
  id,
  parentId: null,
  name,
  depth,
  displayOrder: 0,
  displayed: true,
  version: 1,
  productCount: 0,
  children,
});
const categories: AdminCategory[] = [category(1, '의류', 1, [category(3, '티셔츠', 2)])];

let nextId = 100;
function aPolicy(name: string, targetType: Policy['targetType'], targetId: number | null): Policy {
  nextId += 1;
  return {
    id: nextId,
    name,
    targetType,
    targetId,
    discountType: 'FIXED',
    discountValue: 1_000,
    minOrderAmount: 0,
    maxDiscount: null,
    validFrom: '2026-12-01T00:00:00.000Z',
    validTo: '2026-12-31T00:00:00.000Z',
    status: 'ACTIVE',
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
  };
}

const policies = [
  aPolicy('티셔츠 특가', 'PRODUCT', 12),
  aPolicy('티셔츠 추가 할인', 'PRODUCT', 12),
  aPolicy('후드 특가', 'PRODUCT', 30),
  // Deleted after an order took stock of it: product-service keeps it, marked deleted.
  aPolicy('단종 할인', 'PRODUCT', 13),
  // Deleted before anyone ordered it: product-service has no such product any more.
  aPolicy('사라진 상품 할인', 'PRODUCT', 44),
  aPolicy('티셔츠 카테고리 할인', 'CATEGORY', 3),
  aPolicy('사라진 카테고리 할인', 'CATEGORY', 9),
  aPolicy('전 상품 할인', 'ORDER', null),
];
const products = [
  anAdminProductSummary({ id: 12, name: '기본 티셔츠' }),
  anAdminProductSummary({ id: 30, code: 'HOOD-01', name: '오버핏 후드' }),
  anAdminProductSummary({ id: 13, code: 'TEE-02', name: '단종 티셔츠', deleted: true }),
];

async function showList(
  rows: Policy[] = policies,
  answers: { products?: () => Response; categories?: () => Response } = {},
) {
  const requested = stubFetch({
    '/api/admin/promotion/policies': () => Response.json(aPage(rows)),
    '/api/admin/products': ({ url }) => {
      const ids = url.searchParams.getAll('ids').map(Number);
      return (
        answers.products?.() ??
        Response.json(
          aPage(
            products.filter(
              (p) => ids.includes(p.id) && (!p.deleted || url.searchParams.get('includeDeleted') === 'true'),
            ),
          ),
        )
      );
    },
    '/api/admin/categories': () => answers.categories?.() ?? Response.json(categories),
  });
  const container = await renderPage(
    <Routes>
      <Route path="/admin/policies" element={<PoliciesPage />} />
    </Routes>,
    ['/admin/policies'],
  );
  const table = await shown(() => container.querySelector<HTMLTableElement>('table'));
  return { container, table, requested };
}

/** Each row's policy name and target, as the admin reads them. */
function targets(table: HTMLTableElement): Array<[string, string]> {
  return [...table.querySelectorAll('tbody tr')].map((row) => {
    const cells = row.querySelectorAll('td');
    return [cells[0]?.textContent ?? '', cells[1]?.textContent ?? ''];
  });
}

const named = (table: HTMLTableElement) => () =>
  targets(table).every(([, target]) => target !== '') && !table.textContent?.includes('…') && targets(table);

describe('the discount policy list’s targets', () => {
  it('name the product and the category, a deleted one as deleted, never an id', async () => {
    const { table, requested } = await showList();
    expect(await shown(named(table))).toEqual([
      ['티셔츠 특가', '상품: 기본 티셔츠'],
      ['티셔츠 추가 할인', '상품: 기본 티셔츠'],
      ['후드 특가', '상품: 오버핏 후드'],
      ['단종 할인', '삭제된 상품: 단종 티셔츠'],
      ['사라진 상품 할인', '삭제된 상품'],
      ['티셔츠 카테고리 할인', '카테고리: 의류 › 티셔츠 및 하위'],
      ['사라진 카테고리 할인', '삭제된 카테고리'],
      ['전 상품 할인', '주문 전체'],
    ]);
    expect(table.textContent).not.toMatch(/#\d/);
    expect(
      targets(table)
        .map(([, target]) => target)
        .join(),
    ).not.toMatch(/\d/);

    // One request for the page's products, each id once, deleted ones included; one for the tree.
    const productReads = requested.filter((url) => url.startsWith('/api/admin/products'));
    expect(productReads).toHaveLength(1);
    const asked = new URL(productReads[0]!, 'http://shop.test').searchParams;
    expect(
      asked
        .getAll('ids')
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual([12, 13, 30, 44]);
    expect(asked.get('includeDeleted')).toBe('true');
    expect(requested.filter((url) => url.startsWith('/api/admin/categories'))).toHaveLength(1);
  });

  it('read nothing more for a page of whole-order policies', async () => {
    const { table, requested } = await showList([aPolicy('전 상품 할인', 'ORDER', null)]);
    expect(targets(table)).toEqual([['전 상품 할인', '주문 전체']]);
    expect(requested.filter((url) => !url.startsWith('/api/admin/promotion/'))).toEqual([]);
  });

  it('say what could not be read, with a retry, rather than an id', async () => {
    const { container, table } = await showList(policies, {
      products: () => problem(503),
      categories: () => problem(503),
    });
    const rows = await shown(named(table));
    expect(rows[0]).toEqual(['티셔츠 특가', '상품 (이름을 불러오지 못했습니다)']);
    expect(rows[5]).toEqual(['티셔츠 카테고리 할인', '카테고리 (이름을 불러오지 못했습니다)']);
    // No target is said by a number.
    expect(rows.map(([, target]) => target).join()).not.toMatch(/\d/);
    expect(container.querySelectorAll('[role="alert"] button').length).toBeGreaterThan(0);
  });

  it('read the same in English', async () => {
    await setLanguage('en');
    const { table } = await showList();
    const rows = await shown(named(table));
    expect(rows.map(([, target]) => target)).toEqual([
      'Product: 기본 티셔츠',
      'Product: 기본 티셔츠',
      'Product: 오버핏 후드',
      'Deleted product: 단종 티셔츠',
      'Deleted product',
      'Category: 의류 › 티셔츠 and below',
      'Deleted category',
      'Whole order',
    ]);
  });
});
