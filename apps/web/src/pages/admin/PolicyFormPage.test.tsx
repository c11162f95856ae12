// @vitest-environment happy-dom
import { Notifications } from '@mantine/notifications';
import { act } from 'react';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdminCategory } from '../../admin-catalog/admin-categories-api.ts';
import type { AdminProductSummary } from '../../admin-catalog/admin-products-api.ts';
import type { Policy } from '../../admin-promotion/admin-promotion-api.ts';
import { setLanguage } from '../../i18n/i18n.ts';
import { anAdminProduct, anAdminProductSummary, aPage } from '../../testing/fixtures.ts';
import { cleanUpPages, renderPage, shown, stubFetch, typeInto } from '../../testing/page-harness.tsx';
import { PolicyFormPage } from './PolicyFormPage.tsx';

// A product discount policy targets a product the admin finds by name (product-service's admin
// search) and picks by its name and price; the form keeps the id for promotion-service, the admin
// never types or reads one. A category policy's category is picked from the tree the same way.

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

const tee = anAdminProductSummary({ id: 12, name: '기본 티셔츠', salePrice: 19_000, basePrice: 19_000 });
const premium = anAdminProductSummary({
  id: 30,
  code: 'TEE-09',
  name: '프리미엄 티셔츠',
  salePrice: 1_234_000,
  basePrice: 1_500_000,
});
// Listed by the admin search while it holds units for inspection, but no policy can target it.
const deleted = anAdminProductSummary({ id: 13, code: 'TEE-02', name: '단종 티셔츠', deleted: true });

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

function aPolicy(overrides: Partial<Policy> = {}): Policy {
  return {
    id: 7,
    name: '티셔츠 특가',
    targetType: 'PRODUCT',
    targetId: 12,
    discountType: 'FIXED',
    discountValue: 1_000,
    minOrderAmount: 0,
    maxDiscount: null,
    validFrom: '2026-12-01T00:00:00.000Z',
    validTo: '2026-12-31T00:00:00.000Z',
    status: 'ACTIVE',
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    ...overrides,
  };
}

async function showForm(entry: string, saved?: Policy) {
  const posted: unknown[] = [];
  const requested = stubFetch({
    '/api/admin/products': ({ url }) =>
      Response.json(
        aPage<AdminProductSummary>(url.searchParams.get('name') === '티셔츠' ? [tee, deleted, premium] : []),
      ),
    '/api/admin/products/12': () => Response.json(anAdminProduct()),
    '/api/admin/categories': () => Response.json(categories),
    'POST /api/admin/promotion/policies': ({ body }) => {
      const input = JSON.parse(String(body));
      posted.push(input);
      return Response.json(aPolicy(input), { status: 201 });
    },
    ...(saved ? { [`/api/admin/promotion/policies/${saved.id}`]: () => Response.json(saved) } : {}),
  });
  const container = await renderPage(
    <>
      <Notifications />
      <Routes>
        <Route path="/admin/policies/new" element={<PolicyFormPage />} />
        <Route path="/admin/policies/:id" element={<PolicyFormPage />} />
        <Route path="/admin/policies" element={<p>policy list</p>} />
      </Routes>
    </>,
    [entry],
  );
  await shown(() => container.querySelector('form'));
  return { container, posted, requested };
}

/** The control the label names. */
function labelled<T extends HTMLElement>(container: HTMLElement, label: string): T | null {
  const found = [...container.querySelectorAll('label')].find((l) => l.textContent?.trim() === label);
  return found?.htmlFor ? container.querySelector<T>(`#${CSS.escape(found.htmlFor)}`) : null;
}

async function choose(select: HTMLSelectElement, value: string) {
  const setValue = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')?.set;
  await act(async () => {
    setValue?.call(select, value);
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

const buttonNamed = (container: HTMLElement, text: string) =>
  [...container.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);
const results = (container: HTMLElement, label: string) =>
  container.querySelector<HTMLElement>(`[aria-label="${label}"]`);

/** The name and a fixed 1,000원 discount, then save. */
async function fillAndSave(container: HTMLElement, saveLabel = '정책 등록') {
  await typeInto(labelled<HTMLInputElement>(container, '정책명')!, '티셔츠 특가');
  await typeInto(labelled<HTMLInputElement>(container, '할인 금액 (원)')!, '1000');
  await act(async () => buttonNamed(container, saveLabel)?.click());
}

describe('a product discount policy’s product', () => {
  it('is found by name and picked by its name and price, the id sent for it', async () => {
    const { container, posted, requested } = await showForm('/admin/policies/new');
    await choose(labelled<HTMLSelectElement>(container, '적용 대상')!, 'PRODUCT');
    // Nothing asks for an id.
    expect(labelled(container, '상품 ID')).toBeNull();

    await typeInto(labelled<HTMLInputElement>(container, '대상 상품')!, '티셔츠');
    const found = await shown(() => {
      const list = results(container, '상품 검색 결과');
      return list?.querySelector('button') && list;
    });
    expect(
      requested.some(
        (url) =>
          url.startsWith('/api/admin/products?') &&
          new URL(url, 'http://shop.test').searchParams.get('name') === '티셔츠',
      ),
    ).toBe(true);
    const rows = [...found.querySelectorAll('button')].map((b) => b.textContent);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('기본 티셔츠');
    expect(rows[0]).toContain('19,000원');
    expect(rows[1]).toContain('프리미엄 티셔츠');
    expect(rows[1]).toContain('1,234,000원');
    expect(found.textContent).not.toContain('단종 티셔츠');

    await act(async () => [...found.querySelectorAll('button')][0]?.click());
    const picked = await shown(() => container.querySelector<HTMLElement>('[data-testid="picked-product"]'));
    expect(picked.textContent).toContain('기본 티셔츠');
    expect(picked.textContent).toContain('19,000원');
    expect(results(container, '상품 검색 결과')).toBeNull();

    await fillAndSave(container);
    await shown(() => posted.length === 1);
    expect(posted[0]).toMatchObject({
      name: '티셔츠 특가',
      targetType: 'PRODUCT',
      targetId: 12,
      discountType: 'FIXED',
      discountValue: 1_000,
    });
  });

  it('must be picked before the policy is saved, and can be picked again', async () => {
    const { container, posted } = await showForm('/admin/policies/new');
    await choose(labelled<HTMLSelectElement>(container, '적용 대상')!, 'PRODUCT');
    await fillAndSave(container);
    await shown(() => container.textContent?.includes('상품을 검색해 고르세요.'));
    expect(posted).toEqual([]);

    await typeInto(labelled<HTMLInputElement>(container, '대상 상품')!, '티셔츠');
    const found = await shown(() => results(container, '상품 검색 결과')?.querySelector('button'));
    await act(async () => found.click());
    await shown(() => container.querySelector('[data-testid="picked-product"]'));
    expect(container.textContent).not.toContain('상품을 검색해 고르세요.');
    // Changing it goes back to the search.
    await act(async () => buttonNamed(container, '다른 상품 선택')?.click());
    expect(container.querySelector('[data-testid="picked-product"]')).toBeNull();
    expect(labelled(container, '대상 상품')).not.toBeNull();
    await typeInto(labelled<HTMLInputElement>(container, '대상 상품')!, '없는 상품');
    await shown(() => container.textContent?.includes('“없는 상품”에 맞는 상품이 없습니다.'));
  });

  it('of a saved policy shows by its name and price, not its id', async () => {
    const { container } = await showForm('/admin/policies/7', aPolicy());
    const picked = await shown(() => {
      const card = container.querySelector<HTMLElement>('[data-testid="picked-product"]');
      return card?.textContent?.includes('기본 티셔츠') && card;
    });
    expect(picked.textContent).toContain('19,000원');
    expect(picked.textContent).not.toContain('#12');
    expect(labelled(container, '상품 ID')).toBeNull();
  });

  it('is picked the same way in English', async () => {
    await setLanguage('en');
    const { container } = await showForm('/admin/policies/new');
    await choose(labelled<HTMLSelectElement>(container, 'Applies to')!, 'PRODUCT');
    const search = labelled<HTMLInputElement>(container, 'Product')!;
    expect(search.placeholder).toBe('Search by product name');
    await typeInto(search, '티셔츠');
    const found = await shown(() => results(container, 'Matching products')?.querySelector('button'));
    expect(found.textContent).toContain('₩19,000');
    await act(async () => found.click());
    const picked = await shown(() => container.querySelector<HTMLElement>('[data-testid="picked-product"]'));
    expect(picked.textContent).toContain('기본 티셔츠');
    expect(buttonNamed(container, 'Pick another product')).toBeDefined();
  });
});

describe('a category discount policy’s category', () => {
  it('is picked by name from the category tree, the id sent for it', async () => {
    const { container, posted } = await showForm('/admin/policies/new');
    await choose(labelled<HTMLSelectElement>(container, '적용 대상')!, 'CATEGORY');
    expect(labelled(container, '카테고리 ID')).toBeNull();
    const select = await shown(() => {
      const found = labelled<HTMLSelectElement>(container, '대상 카테고리');
      return found && found.options.length > 2 && found;
    });
    expect([...select.options].map((o) => o.textContent?.trim())).toEqual([
      '카테고리를 고르세요',
      '의류',
      '티셔츠',
    ]);
    await choose(select, '3');
    await fillAndSave(container);
    await shown(() => posted.length === 1);
    expect(posted[0]).toMatchObject({ targetType: 'CATEGORY', targetId: 3 });
  });
});
