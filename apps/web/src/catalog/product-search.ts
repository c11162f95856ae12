import { SEARCH_QUERY_MAX_LENGTH } from '@sagamart/contracts/rules';
import { pageParamValue, readPageIndex } from '../lib/page-param.ts';
import { compactParams, oneOf } from '../lib/search-params.ts';
import { CATALOG_SORTS, type CatalogSearch, type CatalogSort, type Suggestion } from './catalog-api.ts';

// The product list's whole state (query, filters, sort, page) lives in the URL: results can be
// shared and bookmarked, and back/forward walk through the searches.

export const PRODUCT_PAGE_SIZE = 20;

/** What the server does without `sort`: best match for a search, newest when browsing. */
export function defaultSort(q: string): CatalogSort {
  return q.trim() ? 'relevance' : 'latest';
}

/** Best match only means something for a search. */
export function sortsFor(q: string): CatalogSort[] {
  return CATALOG_SORTS.filter((sort) => sort !== 'relevance' || q.trim() !== '');
}

export function parseProductSearch(params: URLSearchParams): CatalogSearch {
  // A longer query (a link typed or cut by hand) would be refused whole: search for its start instead.
  const q = (params.get('q')?.trim() ?? '').slice(0, SEARCH_QUERY_MAX_LENGTH).trim();
  const sort = oneOf(params.get('sort'), sortsFor(q)) ?? defaultSort(q);
  const [minPrice, maxPrice] = priceRange(
    nonNegativeInteger(params.get('minPrice')),
    nonNegativeInteger(params.get('maxPrice')),
  );
  return {
    q,
    categoryId: positiveInteger(params.get('categoryId')),
    minPrice,
    maxPrice,
    inStock: params.get('inStock') === 'true',
    sort,
    page: readPageIndex(params),
    size: PRODUCT_PAGE_SIZE,
  };
}

/** Only what differs from the defaults goes into the URL, keeping links short. */
export function productSearchParams(search: CatalogSearch): URLSearchParams {
  return compactParams({
    q: search.q.trim(),
    categoryId: search.categoryId === null ? null : String(search.categoryId),
    minPrice: search.minPrice === null ? null : String(search.minPrice),
    maxPrice: search.maxPrice === null ? null : String(search.maxPrice),
    inStock: search.inStock ? 'true' : null,
    sort: search.sort === defaultSort(search.q) ? null : search.sort,
    page: pageParamValue(search.page),
  });
}

/** The list URL for a search; everything not given is left at its default. */
export function productListPath(change: Partial<CatalogSearch> = {}): string {
  const search = { ...parseProductSearch(new URLSearchParams()), ...change };
  const query = productSearchParams({ ...search, sort: change.sort ?? defaultSort(search.q) }).toString();
  return query ? `/products?${query}` : '/products';
}

/** Where a suggestion leads: its product, its category's list, or a search for its text. */
export function suggestionPath(suggestion: Suggestion): string {
  if (suggestion.kind === 'PRODUCT' && suggestion.productId !== null)
    return `/products/${suggestion.productId}`;
  if (suggestion.kind === 'CATEGORY' && suggestion.categoryId !== null)
    return productListPath({ categoryId: suggestion.categoryId });
  return productListPath({ q: suggestion.text });
}

/**
 * An inverted range (a link edited or shared; the filter form refuses one) is read the right way
 * round: catalog-service refuses minPrice above maxPrice, and the page would only show an error.
 */
function priceRange(min: number | null, max: number | null): [number | null, number | null] {
  return min !== null && max !== null && min > max ? [max, min] : [min, max];
}

function positiveInteger(raw: string | null): number | null {
  const value = Number(raw);
  return raw && Number.isSafeInteger(value) && value > 0 ? value : null;
}

function nonNegativeInteger(raw: string | null): number | null {
  const value = Number(raw);
  return raw && Number.isSafeInteger(value) && value >= 0 ? value : null;
}
