import { asService } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createCategory,
  createProduct,
  names,
  type Pair,
  productBody,
  search,
  startPair,
  until,
} from './support.ts';

/**
 * Search through HTTP on the catalog, fed only by product-service's events: ranking, Korean substrings,
 * every filter and sort, and the page object.
 */
describe('catalog search', () => {
  let pair: Pair;
  let p: string;
  let c: string;
  const cat = { top: 0, sweat: 0, tee: 0, otherTop: 0, jeans: 0 };
  let total = 0;

  beforeAll(async () => {
    pair = await startPair();
    p = pair.product.url;
    c = pair.catalog.url;
    cat.top = await createCategory(p, '상의');
    cat.sweat = await createCategory(p, '맨투맨/스웨트셔츠', cat.top);
    cat.tee = await createCategory(p, '티셔츠', cat.top);
    cat.otherTop = await createCategory(p, '바지');
    cat.jeans = await createCategory(p, '데님', cat.otherTop);

    const product = async (code: string, categoryId: number, fields: Record<string, unknown>, stock = 10) => {
      const body = productBody(code, categoryId, fields);
      body.skus = body.skus.map((s) => ({ ...s, initialStock: stock }));
      total += 1;
      return createProduct(p, body);
    };
    // Ranking: one name match, one keyword match, one description match (mentioned many times).
    await product('rank-desc', cat.sweat, {
      name: '데일리 스웨트셔츠',
      description: '<p>맨투맨 맨투맨 맨투맨: 맨투맨처럼 입는 스웨트셔츠</p>',
      basePrice: 50_000,
      salePrice: 30_000,
    });
    const kw = await product('rank-kw', cat.tee, {
      name: '기본 라운드 티',
      basePrice: 20_000,
      salePrice: 10_000,
    });
    await call(p, 'POST', `/api/admin/products/${kw.id}/keywords`, { body: { keyword: '맨투맨' } });
    await product('rank-name', cat.sweat, {
      name: '오버핏 크루넥 맨투맨',
      basePrice: 60_000,
      salePrice: 50_000,
    });
    await product('jeans-1', cat.jeans, { name: '와이드 청바지', basePrice: 70_000, salePrice: 70_000 });
    await product('empty-1', cat.jeans, { name: '품절 청바지', basePrice: 40_000, salePrice: 40_000 }, 0);
    await product('soldout-1', cat.tee, {
      name: '품절 표시 티셔츠',
      status: 'SOLD_OUT',
      basePrice: 15_000,
      salePrice: 15_000,
    });
    // Never shown: hidden, inactive, deleted.
    await product('hidden-1', cat.sweat, { name: '숨김 맨투맨', displayed: false });
    await product('inactive-1', cat.sweat, { name: '판매중지 맨투맨', status: 'INACTIVE' });
    const gone = await product('deleted-1', cat.sweat, { name: '삭제된 맨투맨' });
    await call(p, 'DELETE', `/api/admin/products/${gone.id}`);
    total -= 3;
    // Autocomplete volume: more than ten names sharing a prefix.
    for (let i = 1; i <= 12; i++)
      await product(`auto-${i}`, cat.tee, {
        name: `자동완성 상품 ${String(i).padStart(2, '0')}`,
        basePrice: 5_000,
        salePrice: 5_000,
      });
    total += 0;

    // Popularity: sell 3 of 와이드 청바지 and 1 of 데일리 스웨트셔츠 through the order API.
    const sell = async (code: string, quantity: number, orderId: string) => {
      const found = (await call(p, 'GET', `/api/admin/products?code=${code}`)).body.content[0];
      const detail = (await call(p, 'GET', `/api/admin/products/${found.id}`)).body;
      await call(p, 'POST', '/internal/stock/reservations', {
        body: { orderId, items: [{ skuId: detail.skus[0].id, quantity }] },
        headers: asService(),
      });
      await call(p, 'POST', `/internal/stock/reservations/${orderId}/sell`, { headers: asService() });
    };
    await sell('JEANS-1', 3, 'pop-1');
    await sell('RANK-DESC', 1, 'pop-2');
    await until(
      () => search(c, 'sort=popular&size=2'),
      (page) =>
        page.totalElements === total &&
        page.content[0]?.salesCount === 3 &&
        page.content[1]?.salesCount === 1,
    );
    await until(
      () => search(c, `q=${encodeURIComponent('기본 라운드')}`),
      (page) => page.totalElements === 1,
    );
    await until(
      () => call(c, 'GET', `/api/catalog/products?q=${encodeURIComponent('맨투맨')}`, { headers: {} }),
      (r) => r.body.totalElements === 3,
    );
  }, 120_000);
  afterAll(() => pair.stop());

  it('ranks a name match above a keyword match above a description match', async () => {
    expect(names(await search(c, `q=${encodeURIComponent('맨투맨')}`))).toEqual([
      '오버핏 크루넥 맨투맨',
      '기본 라운드 티',
      '데일리 스웨트셔츠',
    ]);
  });

  it('finds Korean substrings and word prefixes', async () => {
    // A short word matches as a word prefix, with the same ranking.
    expect(names(await search(c, `q=${encodeURIComponent('맨투')}`))).toEqual([
      '오버핏 크루넥 맨투맨',
      '기본 라운드 티',
      '데일리 스웨트셔츠',
    ]);
    // Three characters or more match anywhere inside a word.
    // The name match first, then a product filed under 맨투맨/스웨트셔츠 (a category name).
    expect(names(await search(c, `q=${encodeURIComponent('트셔츠')}`))).toEqual([
      '데일리 스웨트셔츠',
      '오버핏 크루넥 맨투맨',
    ]);
    expect(names(await search(c, `q=${encodeURIComponent('루넥')}`))).toEqual([]);
    expect(names(await search(c, `q=${encodeURIComponent('크루넥')}`))).toEqual(['오버핏 크루넥 맨투맨']);
    expect(names(await search(c, `q=${encodeURIComponent('청바')}`)).sort()).toEqual([
      '와이드 청바지',
      '품절 청바지',
    ]);
    // Several words must all match (in any field).
    expect(names(await search(c, `q=${encodeURIComponent('오버핏 맨투')}`))).toEqual([
      '오버핏 크루넥 맨투맨',
    ]);
    expect((await search(c, `q=${encodeURIComponent('없는상품')}`)).totalElements).toBe(0);
    // Operators and wildcards are plain text.
    expect((await search(c, `q=${encodeURIComponent("%' & !(")}`)).totalElements).toBe(0);
  });

  it('never shows hidden, inactive or deleted products', async () => {
    const all = names(await search(c, 'size=100'));
    for (const name of ['숨김 맨투맨', '판매중지 맨투맨', '삭제된 맨투맨']) expect(all).not.toContain(name);
    expect(names(await search(c, `q=${encodeURIComponent('숨김')}`))).toEqual([]);
  });

  it('filters by category including descendants', async () => {
    const top = await search(c, `categoryId=${cat.top}&size=100`);
    expect(top.totalElements).toBe(total - 2);
    expect(names(await search(c, `categoryId=${cat.sweat}`)).sort()).toEqual([
      '데일리 스웨트셔츠',
      '오버핏 크루넥 맨투맨',
    ]);
    expect(names(await search(c, `categoryId=${cat.otherTop}`)).sort()).toEqual([
      '와이드 청바지',
      '품절 청바지',
    ]);
    expect((await search(c, 'categoryId=999999')).totalElements).toBe(0);
    expect(names(await search(c, `categoryId=${cat.sweat}&q=${encodeURIComponent('맨투맨')}`))).toEqual([
      '오버핏 크루넥 맨투맨',
      '데일리 스웨트셔츠',
    ]);
  });

  it('filters by sale price range and stock', async () => {
    expect(names(await search(c, 'minPrice=30000&maxPrice=50000&sort=price_asc'))).toEqual([
      '데일리 스웨트셔츠',
      '품절 청바지',
      '오버핏 크루넥 맨투맨',
    ]);
    expect(names(await search(c, 'minPrice=60000'))).toEqual(['와이드 청바지']);
    const inStock = names(await search(c, 'inStock=true&size=100'));
    expect(inStock).not.toContain('품절 청바지');
    expect(inStock).not.toContain('품절 표시 티셔츠');
    expect(inStock).toHaveLength(total - 2);
    const sold = (await search(c, `q=${encodeURIComponent('품절')}`)).content;
    expect(sold.every((x: { inStock: boolean }) => !x.inStock)).toBe(true);
    expect(
      (await call(c, 'GET', '/api/catalog/products?minPrice=10&maxPrice=5', { headers: {} })).status,
    ).toBe(400);
  });

  it('sorts by latest, price and popularity', async () => {
    const latest = names(await search(c, 'size=3'));
    expect(latest).toEqual(['자동완성 상품 12', '자동완성 상품 11', '자동완성 상품 10']);
    const asc = (await search(c, 'sort=price_asc&size=100')).content.map(
      (x: { salePrice: number }) => x.salePrice,
    );
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    expect(asc[0]).toBe(5_000);
    const desc = (await search(c, 'sort=price_desc&size=3')).content.map(
      (x: { salePrice: number }) => x.salePrice,
    );
    expect(desc).toEqual([70_000, 50_000, 40_000]);
    const popular = (await search(c, 'sort=popular&size=3')).content;
    expect(
      popular.slice(0, 2).map((x: { name: string; salesCount: number }) => [x.name, x.salesCount]),
    ).toEqual([
      ['와이드 청바지', 3],
      ['데일리 스웨트셔츠', 1],
    ]);
    expect((await call(c, 'GET', '/api/catalog/products?sort=cheapest', { headers: {} })).status).toBe(400);
  });

  it("sorts in Spring's Pageable form too: field,direction, repeatable, alongside the tokens", async () => {
    const cards = async (query: string) =>
      (await search(c, `${query}&size=100`)).content as Array<{
        id: number;
        name: string;
        salePrice: number;
        salesCount: number;
      }>;
    expect(await cards('sort=price,asc')).toEqual(await cards('sort=price_asc'));
    expect(await cards('sort=price,DESC')).toEqual(await cards('sort=price_desc'));
    expect(await cards('sort=price')).toEqual(await cards('sort=price_asc'));
    expect(await cards('sort=salesCount,desc')).toEqual(await cards('sort=popular'));
    expect(await cards('sort=createdAt,desc')).toEqual(await cards(''));

    // Repeated: by price, then by name within one price (names compared by the database's collation).
    const byPriceThenName = await cards('sort=price,desc&sort=name,asc');
    const byPriceThenNameDesc = await cards('sort=price,desc&sort=name,desc');
    const prices = byPriceThenName.map((x) => x.salePrice);
    expect(prices).toEqual([...prices].sort((a, b) => b - a));
    const samePrice = (list: typeof byPriceThenName, price: number) =>
      list.filter((x) => x.salePrice === price).map((x) => x.name);
    const shared = [...new Set(prices)].filter((price) => samePrice(byPriceThenName, price).length > 1);
    expect(shared.length).toBeGreaterThan(0);
    for (const price of shared) {
      expect(samePrice(byPriceThenNameDesc, price)).toEqual(samePrice(byPriceThenName, price).reverse());
    }
    // Several fields sharing one direction, as Spring reads them.
    expect(await cards('sort=price,name,desc')).toEqual(await cards('sort=price,desc&sort=name,desc'));

    for (const bad of [
      'cost,asc',
      'price,sideways',
      'price,desc,extra',
      'constructor',
      '__proto__',
      ',asc',
    ]) {
      const res = await call(c, 'GET', `/api/catalog/products?sort=${encodeURIComponent(bad)}`, {
        headers: {},
      });
      expect(res.status, bad).toBe(400);
      expect(res.body.errors[0].field).toBe('sort');
      expect(res.body.detail).toContain('price, createdAt, salesCount, name');
    }
    const unknown = await call(c, 'GET', '/api/catalog/products?sort=price,asc&sort=cost,desc', {
      headers: {},
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toContain('Cannot sort by "cost,desc"');
  });

  it('answers the standard page object', async () => {
    const page = await search(c, 'size=5&page=1&sort=price_asc');
    expect(page).toMatchObject({
      page: 1,
      size: 5,
      totalElements: total,
      totalPages: Math.ceil(total / 5),
      first: false,
      last: false,
    });
    expect(page.content).toHaveLength(5);
    const lastPage = await search(c, `size=5&page=${Math.ceil(total / 5) - 1}`);
    expect(lastPage.last).toBe(true);
    // Past the last page: no product, and still the exact total (browsing and searching alike).
    expect(await search(c, 'size=5&page=999')).toMatchObject({ content: [], totalElements: total });
    const matches = (await search(c, `q=${encodeURIComponent('맨투맨')}&size=2`)).totalElements;
    expect(matches).toBe(3);
    expect(await search(c, `q=${encodeURIComponent('맨투맨')}&size=2&page=5`)).toMatchObject({
      content: [],
      totalElements: matches,
      totalPages: 2,
    });
    const card = page.content[0];
    expect(Object.keys(card).sort()).toEqual(
      [
        'basePrice',
        'categoryIds',
        'code',
        'colours',
        'createdAt',
        'discountRate',
        'id',
        'inStock',
        'name',
        'salePrice',
        'salesCount',
        'status',
        'thumbnailUrl',
      ].sort(),
    );
    // The card carries its colour option's values, so a list draws and swatches products on its own.
    expect(page.content.map((found: { colours: string[] }) => found.colours)).toEqual(
      page.content.map(() => ['블랙', '화이트']),
    );
    expect((await call(c, 'GET', '/api/catalog/products?size=500', { headers: {} })).status).toBe(400);
  });

  it('autocompletes by prefix, at most ten', async () => {
    const complete = async (keyword: string) =>
      (
        await call(c, 'GET', `/api/catalog/products/autocomplete?keyword=${encodeURIComponent(keyword)}`, {
          headers: {},
        })
      ).body;
    const many = await complete('자동');
    expect(many.suggestions).toHaveLength(10);
    expect(many.suggestions[0].productId).toEqual(expect.any(Number));
    expect((await complete('오버')).suggestions.map((s: { text: string }) => s.text)).toEqual([
      '오버핏 크루넥 맨투맨',
    ]);
    // A word inside the name, and keywords (without a product).
    expect((await complete('크루')).suggestions.map((s: { text: string }) => s.text)).toEqual([
      '오버핏 크루넥 맨투맨',
    ]);
    // A category whose name starts with it comes first (it opens the category's list).
    expect((await complete('맨투')).suggestions).toEqual([
      { text: '맨투맨/스웨트셔츠', kind: 'CATEGORY', productId: null, categoryId: cat.sweat },
      { text: '오버핏 크루넥 맨투맨', kind: 'PRODUCT', productId: expect.any(Number), categoryId: null },
      { text: '맨투맨', kind: 'KEYWORD', productId: null, categoryId: null },
    ]);
    expect((await complete('숨김')).suggestions).toEqual([]);
    expect((await call(c, 'GET', '/api/catalog/products/autocomplete', { headers: {} })).status).toBe(400);
  });
});
