import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_PRODUCTS } from '../../product-service/src/app/seed-data.ts';
import { call, type Pair, search, startPair, until } from './support.ts';

/**
 * Search quality on the showroom: product-service seeds its demo shop, the catalog hears it only by
 * events, and every query below goes through the catalog's HTTP API as a shopper types it. Each row
 * names seeded products (by code) the query must find, and some it must not (a colour the product
 * does not come in, a hidden product).
 */
const QUERIES: Array<{ q: string; finds: string[]; not?: string[]; why: string }> = [
  {
    q: '맨투맨 블랙',
    finds: ['TOP-MTM-001', 'TOP-MTM-003'],
    not: ['TOP-MTM-002'],
    why: 'a product word and a colour option',
  },
  {
    q: '블랙 맨투맨',
    finds: ['TOP-MTM-001', 'TOP-MTM-003'],
    not: ['TOP-MTM-002'],
    why: 'the same words in the other order',
  },
  { q: '맨투맨', finds: ['TOP-MTM-001', 'TOP-MTM-002', 'TOP-MTM-003'], why: 'a product word' },
  {
    q: '스웨트셔츠',
    finds: ['TOP-MTM-001', 'TOP-MTM-002', 'TOP-MTM-003'],
    why: 'a word of the category 맨투맨/스웨트셔츠',
  },
  {
    q: '네이비 티셔츠',
    finds: ['TOP-TS-002', 'SP-TS-001'],
    not: ['TOP-TS-001'],
    why: 'a colour and a product word',
  },
  {
    q: '데님 팬츠',
    finds: ['PT-DN-001', 'PT-DN-002', 'PT-DN-003'],
    why: 'a category name of two words',
  },
  {
    q: '바지',
    finds: ['PT-DN-001', 'PT-CT-001', 'PT-SL-001', 'PT-JG-001', 'PT-SH-001'],
    why: 'a top-level category',
  },
  { q: '청바지 32', finds: ['PT-DN-001', 'PT-DN-002', 'PT-DN-003'], why: 'a product word and a size' },
  { q: '32 청바지', finds: ['PT-DN-001', 'PT-DN-002', 'PT-DN-003'], why: 'a size first' },
  {
    q: '스니커즈 270',
    finds: ['SH-CV-001', 'SH-RN-001'],
    not: ['SH-DB-001'],
    why: 'a parent category and a shoe size',
  },
  { q: '모자 베이지', finds: ['AC-CP-001'], not: ['AC-BN-001'], why: 'a category and a colour' },
  { q: '아우터 카키', finds: ['OUT-BL-001'], not: ['OUT-ZIP-001'], why: 'a top category and a colour' },
  { q: '가방 블랙', finds: ['BG-BP-001', 'BG-CR-001', 'BG-EC-001'], why: 'a category and a colour' },
  { q: '청바', finds: ['PT-DN-001', 'PT-DN-002', 'PT-DN-003'], why: 'the start of a word' },
  { q: '후드', finds: ['TOP-HD-001', 'TOP-HD-002', 'OUT-ZIP-001'], why: 'a short word' },
  { q: '크루넥', finds: ['TOP-MTM-001'], why: 'a word inside a name' },
  { q: 'hoodie', finds: ['TOP-HD-001'], why: 'an English keyword' },
  { q: 'HOODIE', finds: ['TOP-HD-001'], why: 'in capitals' },
  { q: '  ma-1   블루종 ', finds: ['OUT-BL-001'], why: 'extra spaces and a hyphenated word' },
  { q: '츄리닝', finds: ['PT-JG-001'], why: 'a slang keyword' },
  {
    q: '트레이닝 블랙',
    finds: ['PT-JG-001', 'SP-TS-001'],
    not: ['SP-PT-001'],
    why: 'a category word and a colour; the hidden product stays hidden',
  },
];

describe('catalog search quality (the seeded showroom)', () => {
  let pair: Pair;
  let c: string;
  const codes = async (q: string) => {
    const page = await search(c, `q=${encodeURIComponent(q)}&size=100`);
    return page.content.map((p: { code: string }) => p.code) as string[];
  };
  const complete = async (keyword: string) => {
    const res = await call(
      c,
      'GET',
      `/api/catalog/products/autocomplete?keyword=${encodeURIComponent(keyword)}`,
      {
        headers: {},
      },
    );
    expect(res.status).toBe(200);
    return res.body.suggestions as Array<{
      text: string;
      kind: string;
      productId: number | null;
      categoryId: number | null;
    }>;
  };

  beforeAll(async () => {
    pair = await startPair({ seed: true });
    c = pair.catalog.url;
    const shown = SEED_PRODUCTS.filter((p) => !p.hidden).length;
    // Every seeded product, with its categories: the last category event may land after the products.
    await until(
      async () => ({
        all: (await search(c, 'size=1')).totalElements,
        categorised: (await search(c, `q=${encodeURIComponent('데님 팬츠')}&size=1`)).totalElements,
      }),
      (v) => v.all === shown && v.categorised > 0,
      60_000,
    );
  }, 120_000);

  afterAll(() => pair?.stop());

  it.each(QUERIES)('"$q" ($why)', async ({ q, finds, not }) => {
    const found = await codes(q);
    expect(found).toEqual(expect.arrayContaining(finds));
    for (const code of not ?? []) expect(found).not.toContain(code);
  });

  it('ranks a name match above a category or option match', async () => {
    // 맨투맨 is in three names; the other products found by it (none) or by 스웨트셔츠 come after.
    const found = await codes('맨투맨');
    expect(found.slice(0, 3).sort()).toEqual(['TOP-MTM-001', 'TOP-MTM-002', 'TOP-MTM-003']);
  });

  it('suggests categories, product names and keywords', async () => {
    const mtm = await complete('맨투');
    expect(mtm).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          text: '맨투맨/스웨트셔츠',
          kind: 'CATEGORY',
          categoryId: expect.any(Number),
        }),
        expect.objectContaining({
          text: '오버핏 크루넥 맨투맨',
          kind: 'PRODUCT',
          productId: expect.any(Number),
        }),
      ]),
    );
    // A word inside a category's name, and a keyword.
    const sweat = await complete('스웨');
    expect(sweat).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ text: '맨투맨/스웨트셔츠', kind: 'CATEGORY' }),
        expect.objectContaining({ text: '스웨트셔츠', kind: 'KEYWORD', productId: null, categoryId: null }),
      ]),
    );
    const running = await complete('운동');
    expect(running.filter((s) => s.kind === 'KEYWORD').map((s) => s.text)).toEqual(
      expect.arrayContaining(['운동화', '운동복']),
    );
    // A category suggestion opens a list that holds what the category holds.
    const hood = (await complete('후드')).find((s) => s.kind === 'CATEGORY' && s.text === '후드 티셔츠');
    expect(hood).toBeDefined();
    const listed = await search(c, `categoryId=${hood!.categoryId}&size=100`);
    expect(listed.content.map((p: { code: string }) => p.code).sort()).toEqual(['TOP-HD-001', 'TOP-HD-002']);
  });

  it('finds products by a category name after the category is renamed', async () => {
    const tree = (await call(c, 'GET', '/api/catalog/categories/tree', { headers: {} })).body as Array<{
      id: number;
      name: string;
      children: Array<{ id: number; name: string }>;
    }>;
    const outer = tree.find((t) => t.name === '아우터')!;
    const padding = outer.children.find((k) => k.name === '패딩')!;
    expect(await codes('다운점퍼')).not.toContain('OUT-PD-001');
    const renamed = await call(pair.product.url, 'PUT', `/api/admin/categories/${padding.id}`, {
      body: { name: '패딩/다운점퍼', parentId: outer.id },
    });
    expect(renamed.status).toBe(200);
    await until(
      () => codes('다운점퍼'),
      (found) => found.includes('OUT-PD-001'),
    );
  });
});
