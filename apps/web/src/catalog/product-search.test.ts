import { SEARCH_QUERY_MAX_LENGTH } from '@sagamart/contracts/rules';
import { describe, expect, it } from 'vitest';
import {
  parseProductSearch,
  productListPath,
  productSearchParams,
  suggestionPath,
} from './product-search.ts';

describe('suggestionPath', () => {
  it('opens a product, a category list or a search, by kind', () => {
    expect(
      suggestionPath({ text: '오버핏 크루넥 맨투맨', kind: 'PRODUCT', productId: 7, categoryId: null }),
    ).toBe('/products/7');
    const category = suggestionPath({
      text: '맨투맨/스웨트셔츠',
      kind: 'CATEGORY',
      productId: null,
      categoryId: 3,
    });
    expect(parseProductSearch(new URL(category, 'http://shop').searchParams)).toMatchObject({
      q: '',
      categoryId: 3,
    });
    const keyword = suggestionPath({ text: '데일리룩', kind: 'KEYWORD', productId: null, categoryId: null });
    expect(keyword).toBe(productListPath({ q: '데일리룩' }));
    expect(parseProductSearch(new URL(keyword, 'http://shop').searchParams).q).toBe('데일리룩');
  });
});

describe('parseProductSearch', () => {
  it('searches for the start of a query longer than catalog-service takes, instead of being refused', () => {
    const long = `${'가'.repeat(SEARCH_QUERY_MAX_LENGTH)}나다`;
    const { q } = parseProductSearch(new URLSearchParams({ q: long }));
    expect(q).toBe('가'.repeat(SEARCH_QUERY_MAX_LENGTH));
  });

  it('reads an inverted price range (a link edited or shared) the right way round, which catalog-service takes', () => {
    const search = parseProductSearch(new URLSearchParams({ minPrice: '50000', maxPrice: '1000' }));
    expect(search).toMatchObject({ minPrice: 1_000, maxPrice: 50_000 });
    expect(productSearchParams(search).toString()).toBe('minPrice=1000&maxPrice=50000');
  });

  it('keeps a range the right way round, or open at one end, as it is', () => {
    expect(parseProductSearch(new URLSearchParams({ minPrice: '1000', maxPrice: '50000' }))).toMatchObject({
      minPrice: 1_000,
      maxPrice: 50_000,
    });
    expect(parseProductSearch(new URLSearchParams({ minPrice: '50000' }))).toMatchObject({
      minPrice: 50_000,
      maxPrice: null,
    });
  });
});
