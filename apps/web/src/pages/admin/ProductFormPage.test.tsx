// @vitest-environment happy-dom
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdminProduct } from '../../admin-catalog/admin-products-api.ts';
import { setLanguage } from '../../i18n/i18n.ts';
import { anAdminProduct, aPage } from '../../testing/fixtures.ts';
import { cleanUpPages, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { ProductFormPage } from './ProductFormPage.tsx';

// A deleted product is kept for its orders; the admin reaches it while it holds units for
// inspection (the product list keeps it), and its page says it is deleted.

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

const holdingSku = { ...anAdminProduct().skus[0]!, held: 2 };

async function showProduct(product: AdminProduct) {
  stubFetch({
    [`/api/admin/products/${product.id}`]: () => Response.json(product),
    [`/api/admin/products/${product.id}/keywords`]: () => Response.json([]),
    [`/api/admin/products/${product.id}/stock-movements`]: () => Response.json(aPage([])),
    '/api/admin/categories': () => Response.json([]),
  });
  const container = await renderPage(
    <Routes>
      <Route path="/admin/products/:id" element={<ProductFormPage />} />
    </Routes>,
    [`/admin/products/${product.id}`],
  );
  await shown(() => container.querySelector('[data-testid="held-TEE-01-BK"]'));
  return container;
}

const buttons = (container: HTMLElement) =>
  [...container.querySelectorAll('button')].map((b) => b.textContent);

describe('a deleted product’s page', () => {
  it('says the product is deleted, with its held units still to settle', async () => {
    const container = await showProduct(
      anAdminProduct({ deleted: true, displayed: false, skus: [holdingSku] }),
    );
    expect(container.textContent).toContain('삭제됨');
    expect(container.textContent).toContain('삭제된 상품입니다');
    expect(buttons(container)).not.toContain('상품 삭제');
    expect(buttons(container)).toContain('판매 전환');
  });

  it('shows a live product without it', async () => {
    const container = await showProduct(anAdminProduct({ skus: [holdingSku] }));
    expect(container.textContent).not.toContain('삭제됨');
    expect(buttons(container)).toContain('상품 삭제');
  });

  it('says the same in English', async () => {
    await setLanguage('en');
    const container = await showProduct(anAdminProduct({ deleted: true, displayed: false }));
    expect(container.textContent).toContain('Deleted');
    expect(container.textContent).toContain('This product is deleted');
  });
});
