import { asService, metricValue, scrapeMetrics } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createCategory,
  createProduct,
  type Pair,
  productBody,
  search,
  startPair,
  until,
} from './support.ts';

/** Admin changes at product-service reach the catalog by events: fields, stock, keywords, categories. */
describe('catalog follows product-service', () => {
  let pair: Pair;
  let p: string;
  let c: string;
  let top: number;
  let leaf: number;
  let n = 0;

  beforeAll(async () => {
    // A long TTL: only an invalidation can make the catalog show a change to a cached detail.
    pair = await startPair({ catalog: { catalog: { cache: { ttlSeconds: 3_600, redeleteMs: 100 } } } });
    p = pair.product.url;
    c = pair.catalog.url;
    top = await createCategory(p, '아우터');
    leaf = await createCategory(p, '후드 집업', top);
    // Category events clear every cached detail (breadcrumbs), twice: let both pass before caching
    // starts, or a late re-delete would refresh a detail that only an invalidation should.
    await until(
      () => call(c, 'GET', '/api/catalog/categories/tree', { headers: {} }),
      (r) => r.body[0]?.children.length === 1,
    );
    const metrics = async () => scrapeMetrics(c);
    await until(metrics, (text) => metricValue(text, 'catalog_detail_cache_redeletes_pending') === 0);
  });
  afterAll(() => pair.stop());

  const detail = (id: number) => call(c, 'GET', `/api/catalog/products/${id}`, { headers: {} });
  const visible = (id: number) =>
    until(
      () => detail(id),
      (r) => r.status === 200,
    );

  async function newProduct(fields: Record<string, unknown> = {}) {
    const code = `sync-${++n}`;
    const body = productBody(code, leaf, fields);
    const created = await createProduct(p, body);
    await visible(created.id);
    return { created, body, code };
  }

  it('serves the detail with option groups, SKUs and stock, and caches it until an event changes it', async () => {
    const { created, body } = await newProduct({ name: '투웨이 후드 집업' });
    const first = await detail(created.id);
    expect(first.body).toMatchObject({
      id: created.id,
      name: '투웨이 후드 집업',
      basePrice: 49_000,
      salePrice: 39_000,
      discountRate: 20,
      inStock: true,
      breadcrumb: [
        { id: top, name: '아우터' },
        { id: leaf, name: '후드 집업' },
      ],
      optionGroups: body.optionGroups,
    });
    expect(first.body.skus).toHaveLength(4);
    expect(first.body.skus[0]).toEqual({
      id: created.skus[0].id,
      skuCode: created.skus[0].skuCode,
      options: { 색상: '블랙', 사이즈: 'M' },
      price: 39_000,
      stock: 10,
      status: 'ACTIVE',
    });
    // Served from the cache (once the creation's own delayed re-delete has passed).
    await until(
      async () => {
        const before = await cacheHits();
        await detail(created.id);
        return (await cacheHits()) > before;
      },
      (hit) => hit,
    );

    // The cached bytes carry a strong ETag: a client holding them gets 304 without a body.
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const ifNoneMatch = (tag: string) =>
      call(c, 'GET', `/api/catalog/products/${created.id}`, { headers: { 'if-none-match': tag } });
    const unchanged = await ifNoneMatch(etag);
    expect(unchanged.status).toBe(304);
    expect(unchanged.body).toBe('');
    expect((await ifNoneMatch(`"other", W/${etag}`)).status).toBe(304);

    // Change name and price: the cached detail must be replaced (TTL is an hour).
    await call(p, 'PUT', `/api/admin/products/${created.id}`, {
      body: {
        ...body,
        name: '투웨이 후드 집업 (리뉴얼)',
        salePrice: 35_000,
        skus: body.skus.map((s) => ({ ...s, price: 35_000 })),
      },
    });
    const changed = await until(
      () => detail(created.id),
      (r) => r.body.name === '투웨이 후드 집업 (리뉴얼)',
    );
    expect(changed.body.salePrice).toBe(35_000);
    expect(changed.body.discountRate).toBe(28);
    // The old tag no longer matches: the changed detail comes whole, under a new tag.
    expect(changed.headers.get('etag')).not.toBe(etag);
    const refreshed = await ifNoneMatch(etag);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.name).toBe('투웨이 후드 집업 (리뉴얼)');
  });

  it('shows, filters and sorts a product at the price its cheapest option on sale charges, after any edit', async () => {
    const { created, body } = await newProduct({ name: '가격 테스트 집업' }); // 49,000, every SKU at 39,000
    await newProduct({ name: '가격 테스트 비교 집업', salePrice: 35_000 });
    const q = `q=${encodeURIComponent('가격 테스트')}`;
    const cards = async (query = '') =>
      (await search(c, `${q}${query}`)).content as Array<{
        id: number;
        salePrice: number;
        discountRate: number;
      }>;
    const card = async (query = '') => (await cards(query)).find((found) => found.id === created.id);
    /** What an order of its cheapest SKU on sale is charged: order-service prices by this lookup. */
    const cheapestCharge = async () => {
      const ids = created.skus.map((s: { id: number }) => `ids=${s.id}`).join('&');
      const res = await call(p, 'GET', `/internal/skus?${ids}`, { headers: asService() });
      const onSale = (res.body.content as Array<{ price: number; status: string }>).filter(
        (s) => s.status !== 'INACTIVE',
      );
      return Math.min(...onSale.map((s) => s.price));
    };

    // The admin lowers 화이트 / L to 33,000 and stops selling 블랙 / M (29,000), the sale price left to follow.
    const { salePrice: _typed, ...rest } = body;
    const edited = await call(p, 'PUT', `/api/admin/products/${created.id}`, {
      body: {
        ...rest,
        skus: rest.skus.map((s, i) =>
          i === 0 ? { ...s, price: 29_000, status: 'INACTIVE' } : i === 3 ? { ...s, price: 33_000 } : s,
        ),
      },
    });
    expect(edited.status).toBe(200);
    const shown = await until(
      () => card(),
      (found) => found !== undefined && found.salePrice !== 39_000,
    );
    expect(shown?.salePrice).toBe(await cheapestCharge());
    expect(shown).toMatchObject({ salePrice: 33_000, discountRate: 32 });
    expect((await card('&minPrice=33000&maxPrice=33000'))?.salePrice).toBe(33_000);
    expect(await card('&maxPrice=32999')).toBeUndefined();
    expect((await cards('&sort=price_asc')).map((found) => found.salePrice)).toEqual([33_000, 35_000]);

    // A sale price typed apart from what the SKUs charge is refused.
    const typed = await call(p, 'PUT', `/api/admin/products/${created.id}`, {
      body: { ...body, salePrice: 25_000 },
    });
    expect(typed.status).toBe(400);
    expect(typed.body.errors).toContainEqual({
      field: 'salePrice',
      message: 'must equal the lowest price of the SKUs on sale (39000)',
    });
  });

  it('carries stock changes: SOLD_OUT at zero, back when restocked, and the inStock filter follows', async () => {
    const { created } = await newProduct({ name: '재고 테스트 집업' });
    const adjust = (skuId: number, quantity: number, type = 'ADJUST') =>
      call(p, 'POST', `/api/admin/products/${created.id}/skus/${skuId}/stock-adjustments`, {
        body: { type, quantity, reason: '테스트' },
      });
    await detail(created.id); // cached
    await adjust(created.skus[0].id, -10);
    const soldOut = await until(
      () => detail(created.id),
      (r) => r.body.skus[0].stock === 0,
    );
    expect(soldOut.body.skus[0].status).toBe('SOLD_OUT');
    expect(soldOut.body.inStock).toBe(true); // the other SKUs still have stock

    for (const sku of created.skus.slice(1)) await adjust(sku.id, -10);
    await until(
      () => detail(created.id),
      (r) =>
        r.body.inStock === false && r.body.skus.every((s: { status: string }) => s.status === 'SOLD_OUT'),
    );
    const q = `q=${encodeURIComponent('재고 테스트')}`;
    expect((await search(c, q)).content[0].inStock).toBe(false);
    expect((await search(c, `${q}&inStock=true`)).totalElements).toBe(0);

    await adjust(created.skus[2].id, 4, 'RESTOCK');
    const back = await until(
      () => detail(created.id),
      (r) => r.body.inStock === true,
    );
    expect(back.body.skus[2]).toMatchObject({ stock: 4, status: 'ACTIVE' });
    expect((await search(c, `${q}&inStock=true`)).totalElements).toBe(1);

    // Reservations move stock too.
    await call(p, 'POST', '/internal/stock/reservations', {
      body: { orderId: 'sync-order', items: [{ skuId: created.skus[2].id, quantity: 3 }] },
      headers: asService(),
    });
    await until(
      () => detail(created.id),
      (r) => r.body.skus[2].stock === 1,
    );
  });

  it('keeps keyword and product changes apart: neither overwrites the other', async () => {
    const { created, body } = await newProduct({ name: '키워드 집업' });
    const add = await call(p, 'POST', `/api/admin/products/${created.id}/keywords`, {
      body: { keyword: '바람막이' },
    });
    expect(add.status).toBe(201);
    await until(
      () => search(c, `q=${encodeURIComponent('바람막이')}`),
      (page) => page.totalElements === 1,
    );
    // A product edit after the keyword: the keyword survives.
    await call(p, 'PUT', `/api/admin/products/${created.id}`, { body: { ...body, name: '키워드 집업 2' } });
    await until(
      () => detail(created.id),
      (r) => r.body.name === '키워드 집업 2',
    );
    expect(
      (await search(c, `q=${encodeURIComponent('바람막이')}`)).content.map((x: { name: string }) => x.name),
    ).toEqual(['키워드 집업 2']);
    // A keyword change after the edit: the name survives.
    await call(p, 'PUT', `/api/admin/products/${created.id}/keywords/${add.body.id}`, {
      body: { keyword: '윈드브레이커' },
    });
    const renamed = await until(
      () => search(c, `q=${encodeURIComponent('윈드브레이커')}`),
      (page) => page.totalElements === 1,
    );
    expect(renamed.content[0].name).toBe('키워드 집업 2');
    expect((await search(c, `q=${encodeURIComponent('바람막이')}`)).totalElements).toBe(0);
    await call(p, 'DELETE', `/api/admin/products/${created.id}/keywords/${add.body.id}`);
    await until(
      () => search(c, `q=${encodeURIComponent('윈드브레이커')}`),
      (page) => page.totalElements === 0,
    );
  });

  it('drops products that are hidden, made inactive or deleted, and shows them again when displayed', async () => {
    const { created, body } = await newProduct({ name: '노출 테스트 집업' });
    await detail(created.id);
    await call(p, 'PUT', `/api/admin/products/${created.id}`, { body: { ...body, displayed: false } });
    await until(
      () => detail(created.id),
      (r) => r.status === 404,
    );
    expect((await search(c, `q=${encodeURIComponent('노출 테스트')}`)).totalElements).toBe(0);
    await call(p, 'PUT', `/api/admin/products/${created.id}`, { body: { ...body, displayed: true } });
    await visible(created.id);
    await call(p, 'PUT', `/api/admin/products/${created.id}`, { body: { ...body, status: 'INACTIVE' } });
    await until(
      () => detail(created.id),
      (r) => r.status === 404,
    );
    await call(p, 'PUT', `/api/admin/products/${created.id}`, { body: { ...body, status: 'ACTIVE' } });
    await visible(created.id);
    await call(p, 'DELETE', `/api/admin/products/${created.id}`);
    await until(
      () => detail(created.id),
      (r) => r.status === 404,
    );
    expect((await search(c, `q=${encodeURIComponent('노출 테스트')}`)).totalElements).toBe(0);
  });

  it('shows only displayed categories in the tree, following changes', async () => {
    const shoes = await createCategory(p, '신발', null, { displayOrder: -10 });
    const sneakers = await createCategory(p, '스니커즈', shoes);
    const running = await createCategory(p, '러닝화', sneakers);
    const hidden = await createCategory(p, '숨김 카테고리', null, { displayed: false });
    await createCategory(p, '숨김의 자식', hidden);
    const tree = await until(
      () => call(c, 'GET', '/api/catalog/categories/tree', { headers: {} }),
      (r) =>
        r.body.some(
          (x: { id: number; children: Array<{ children: unknown[] }> }) =>
            x.id === shoes && x.children[0]?.children.length === 1,
        ),
    );
    expect(tree.body[0]).toEqual({
      id: shoes,
      name: '신발',
      displayOrder: -10,
      children: [
        {
          id: sneakers,
          name: '스니커즈',
          displayOrder: 0,
          children: [{ id: running, name: '러닝화', displayOrder: 0, children: [] }],
        },
      ],
    });
    expect(JSON.stringify(tree.body)).not.toContain('숨김');

    await call(p, 'PUT', `/api/admin/categories/${sneakers}`, {
      body: { name: '스니커즈', parentId: shoes, displayed: false },
    });
    await until(
      () => call(c, 'GET', '/api/catalog/categories/tree', { headers: {} }),
      (r) => r.body.find((x: { id: number }) => x.id === shoes)?.children.length === 0,
    );
    await call(p, 'DELETE', `/api/admin/categories/${running}`);
    await call(p, 'PUT', `/api/admin/categories/${hidden}`, { body: { name: '이제 보임', displayed: true } });
    const shown = await until(
      () => call(c, 'GET', '/api/catalog/categories/tree', { headers: {} }),
      (r) => r.body.some((x: { name: string }) => x.name === '이제 보임'),
    );
    expect(
      shown.body
        .find((x: { name: string }) => x.name === '이제 보임')
        .children.map((x: { name: string }) => x.name),
    ).toEqual(['숨김의 자식']);
  });

  it('exposes the event lag as a metric', async () => {
    const metrics = await scrapeMetrics(c);
    expect(metrics).toMatch(/catalog_event_lag_seconds_count\{[^}]*event="product.created"[^}]*\} [1-9]/);
    expect(metrics).toContain('catalog_event_lag_last_seconds');
  });

  async function cacheHits(): Promise<number> {
    const metrics = await scrapeMetrics(c);
    const match = /catalog_detail_cache_total\{[^}]*result="hit"[^}]*\} (\d+)/.exec(metrics);
    return Number(match?.[1] ?? 0);
  }
});
