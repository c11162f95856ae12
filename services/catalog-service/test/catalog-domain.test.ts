import { describe, expect, it } from 'vitest';
import {
  breadcrumb,
  colourValues,
  discountRate,
  displayedTree,
  shopSkuStatus,
} from '../src/domain/presentation.ts';
import {
  likePattern,
  matchWords,
  normalizeQuery,
  prefixTsQuery,
  searchTerms,
} from '../src/domain/search-terms.ts';
import { aggregates } from '../src/domain/snapshot-rows.ts';
import { LruCache } from '../src/infra/detail-cache.ts';

describe('search terms', () => {
  it('normalizes queries', () => {
    expect(normalizeQuery('  오버핏   맨투맨 \t')).toBe('오버핏 맨투맨');
    expect(normalizeQuery('T-SHIRT')).toBe('t-shirt');
    expect(normalizeQuery(undefined)).toBe('');
    expect(normalizeQuery('가'.repeat(300))).toHaveLength(100);
    // NFD jamo (as some keyboards send) becomes composed syllables.
    expect(normalizeQuery('맨투맨'.normalize('NFD'))).toBe('맨투맨');
  });

  it('builds safe prefix tsqueries, optionally per weight', () => {
    expect(prefixTsQuery(searchTerms('오버핏 맨투맨'))).toBe("'오버핏':* & '맨투맨':*");
    expect(prefixTsQuery(searchTerms('맨투맨'), 'A')).toBe("'맨투맨':*A");
    expect(searchTerms("it's & (x | !y) <-> z:*")).toEqual(['its', 'x', 'y', 'z']);
    expect(prefixTsQuery(searchTerms('& | !'))).toBeUndefined();
    expect(searchTerms('a b c d e f g h i j')).toHaveLength(8);
  });

  it('matches long words as substrings and short ones as word prefixes', () => {
    expect(matchWords(['맨투맨', '청바', 'ab', '%&'])).toEqual([
      { kind: 'substring', pattern: '%맨투맨%' },
      { kind: 'prefix', tsquery: "'청바':*" },
      { kind: 'prefix', tsquery: "'ab':*" },
      { kind: 'substring', pattern: '%\\%&%' },
    ]);
  });

  it('escapes LIKE wildcards', () => {
    expect(likePattern('50%_off\\', 'contains')).toBe('%50\\%\\_off\\\\%');
    expect(likePattern('맨투', 'prefix')).toBe('맨투%');
    expect(likePattern('맨투', 'word-prefix')).toBe('% 맨투%');
  });
});

describe('presentation', () => {
  it('derives the shop status of a SKU', () => {
    expect(shopSkuStatus('ACTIVE', 'ACTIVE', false, 3)).toBe('ACTIVE');
    expect(shopSkuStatus('ACTIVE', 'SOLD_OUT', false, 3)).toBe('ACTIVE');
    expect(shopSkuStatus('ACTIVE', 'ACTIVE', false, 0)).toBe('SOLD_OUT');
    expect(shopSkuStatus('SOLD_OUT', 'ACTIVE', false, 3)).toBe('SOLD_OUT');
    expect(shopSkuStatus('ACTIVE', 'INACTIVE', false, 3)).toBe('INACTIVE');
    expect(shopSkuStatus('ACTIVE', 'ACTIVE', true, 3)).toBe('INACTIVE');
  });

  it("lists the colour option's values, whatever the group is called", () => {
    const sizes = { name: '사이즈', values: ['S', 'M'] };
    expect(colourValues([sizes, { name: '색상', values: ['블랙', '네이비'] }])).toEqual(['블랙', '네이비']);
    expect(colourValues([{ name: 'Colour', values: ['Navy'] }, sizes])).toEqual(['Navy']);
    expect(colourValues([{ name: '컬러', values: ['화이트'] }])).toEqual(['화이트']);
    expect(colourValues([sizes])).toEqual([]);
    expect(colourValues([])).toEqual([]);
  });

  it('computes whole-percent discounts', () => {
    expect(discountRate(49_000, 39_000)).toBe(20);
    expect(discountRate(10_000, 10_000)).toBe(0);
    expect(discountRate(0, 0)).toBe(0);
  });

  it('shows displayed categories under displayed parents only', () => {
    const rows = [
      { id: 1, parentId: null, name: '상의', displayOrder: 2, displayed: true, deleted: false },
      { id: 2, parentId: null, name: '바지', displayOrder: 1, displayed: true, deleted: false },
      { id: 3, parentId: 1, name: '티셔츠', displayOrder: 0, displayed: true, deleted: false },
      { id: 4, parentId: 1, name: '숨김', displayOrder: 0, displayed: false, deleted: false },
      { id: 5, parentId: 4, name: '숨김의 자식', displayOrder: 0, displayed: true, deleted: false },
      { id: 6, parentId: null, name: '삭제', displayOrder: 0, displayed: true, deleted: true },
    ];
    expect(displayedTree(rows)).toEqual([
      { id: 2, name: '바지', displayOrder: 1, children: [] },
      {
        id: 1,
        name: '상의',
        displayOrder: 2,
        children: [{ id: 3, name: '티셔츠', displayOrder: 0, children: [] }],
      },
    ]);
    expect(breadcrumb(rows, 5)).toEqual([
      { id: 1, name: '상의' },
      { id: 4, name: '숨김' },
      { id: 5, name: '숨김의 자식' },
    ]);
    expect(breadcrumb(rows, 99)).toEqual([]);
  });
});

describe('aggregates', () => {
  it('counts stock only on SKUs on sale of an ACTIVE product, and every unit sold', () => {
    const sku = (stock: number, sold: number, extra = {}) => ({
      skuId: 1,
      skuCode: 'X',
      options: {},
      price: 1,
      status: 'ACTIVE' as const,
      removed: false,
      stock,
      reserved: 0,
      sold,
      stockVersion: 1,
      ...extra,
    });
    const product = (status: 'ACTIVE' | 'SOLD_OUT', skus: ReturnType<typeof sku>[]) =>
      ({ status, skus }) as unknown as Parameters<typeof aggregates>[0];
    expect(aggregates(product('ACTIVE', [sku(0, 2), sku(3, 1)]))).toEqual({ in_stock: true, sales_count: 3 });
    expect(
      aggregates(product('ACTIVE', [sku(3, 0, { status: 'INACTIVE' }), sku(3, 0, { removed: true })])),
    ).toEqual({ in_stock: false, sales_count: 0 });
    expect(aggregates(product('SOLD_OUT', [sku(3, 0)])).in_stock).toBe(false);
  });
});

describe('LRU cache', () => {
  it('evicts the least recently used entry and expires by TTL', async () => {
    let now = 0;
    const cache = new LruCache<string>(2, 1_000, () => now);
    await cache.set(1, 'a');
    await cache.set(2, 'b');
    expect(await cache.get(1)).toBe('a'); // 1 is now the most recent
    await cache.set(3, 'c');
    expect(await cache.get(2)).toBeUndefined();
    expect(await cache.get(1)).toBe('a');
    expect(cache.size).toBe(2);
    now = 1_001;
    expect(await cache.get(1)).toBeUndefined();
    await cache.set(4, 'd');
    await cache.delete([4]);
    expect(await cache.get(4)).toBeUndefined();
  });
});
