import { PRODUCT_STATUSES } from '../catalog/catalog-api.ts';
import { pageParamValue, readPageIndex } from '../lib/page-param.ts';
import { compactParams, oneOf } from '../lib/search-params.ts';
import { type AdminProductSearch, PRODUCT_STOCK_FILTERS } from './admin-products-api.ts';

// The admin product list's filters and paging live in the URL (shareable, reloadable).

const PAGE_SIZE = 20;

export function parseAdminProductSearch(params: URLSearchParams): AdminProductSearch {
  const displayed = params.get('displayed');
  return {
    name: params.get('name') ?? '',
    code: params.get('code') ?? '',
    status: oneOf(params.get('status'), PRODUCT_STATUSES) ?? '',
    displayed: displayed === 'true' ? true : displayed === 'false' ? false : null,
    categoryId: wholeNumber(params.get('categoryId'), 1),
    minPrice: wholeNumber(params.get('minPrice'), 0),
    maxPrice: wholeNumber(params.get('maxPrice'), 0),
    held: params.get('held') === 'true',
    stock: oneOf(params.get('stock'), PRODUCT_STOCK_FILTERS) ?? '',
    page: readPageIndex(params),
    size: PAGE_SIZE,
  };
}

export function adminProductSearchParams(search: AdminProductSearch): URLSearchParams {
  return compactParams({
    name: search.name,
    code: search.code,
    status: search.status,
    displayed: search.displayed === null ? null : String(search.displayed),
    categoryId: search.categoryId === null ? null : String(search.categoryId),
    minPrice: search.minPrice === null ? null : String(search.minPrice),
    maxPrice: search.maxPrice === null ? null : String(search.maxPrice),
    held: search.held ? 'true' : null,
    stock: search.stock,
    page: pageParamValue(search.page),
  });
}

function wholeNumber(raw: string | null, minimum: number): number | null {
  const value = Number(raw);
  return raw && Number.isSafeInteger(value) && value >= minimum ? value : null;
}
