import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { sendRequest } from '../api/http.ts';
import type { Page } from '../api/page.ts';

// The shop's reads from catalog-service. They are public, so they go out without a token: nothing
// to refresh, and the answer is the same for everyone.

export const PRODUCT_STATUSES = ['ACTIVE', 'INACTIVE', 'SOLD_OUT'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];
export type SkuStatus = ProductStatus;

export const CATALOG_SORTS = ['relevance', 'latest', 'price_asc', 'price_desc', 'popular'] as const;
export type CatalogSort = (typeof CATALOG_SORTS)[number];

/** A product as lists show it. Prices are integer won. */
export interface ProductCard {
  id: number;
  code: string;
  name: string;
  basePrice: number;
  salePrice: number;
  /** Whole percent off basePrice; 0 when not discounted. */
  discountRate: number;
  status: ProductStatus;
  inStock: boolean;
  salesCount: number;
  thumbnailUrl: string | null;
  categoryIds: number[];
  createdAt: string | null;
}

export interface ProductImage {
  id: string;
  url: string;
}

export interface OptionGroup {
  name: string;
  values: string[];
}

export interface CatalogSku {
  id: number;
  skuCode: string;
  /** Option group name → value, e.g. `{ 색상: '블랙', 사이즈: 'M' }`; empty without options. */
  options: Record<string, string>;
  price: number;
  /** Available to buy right now. */
  stock: number;
  /** As the shop sees it: INACTIVE when not sold, SOLD_OUT when nothing is available. */
  status: SkuStatus;
}

export interface ProductDetail extends ProductCard {
  /** HTML the server has already sanitized against its allow-list. */
  description: string;
  /** In display order; the first is the main image. */
  images: ProductImage[];
  /** From the top category down to the product's (first) leaf category. */
  breadcrumb: Array<{ id: number; name: string }>;
  optionGroups: OptionGroup[];
  skus: CatalogSku[];
  updatedAt: string | null;
}

export interface Suggestion {
  text: string;
  /** The product a name suggestion belongs to; null for a search keyword. */
  productId: number | null;
}

export interface CategoryNode {
  id: number;
  name: string;
  displayOrder: number;
  children: CategoryNode[];
}

/** GET /api/catalog/products. `page` is zero-based. */
export interface CatalogSearch {
  q: string;
  categoryId: number | null;
  minPrice: number | null;
  maxPrice: number | null;
  inStock: boolean;
  sort: CatalogSort;
  page: number;
  size: number;
}

export const catalogQueryPrefix = ['catalog'] as const;

export function productSearchQuery(search: CatalogSearch) {
  return queryOptions({
    queryKey: [...catalogQueryPrefix, 'products', search],
    queryFn: ({ signal }) =>
      sendRequest<Page<ProductCard>>('/api/catalog/products', {
        query: {
          q: search.q.trim(),
          categoryId: search.categoryId,
          minPrice: search.minPrice,
          maxPrice: search.maxPrice,
          inStock: search.inStock || null,
          sort: search.sort,
          page: search.page,
          size: search.size,
        },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

export function autocompleteQuery(keyword: string) {
  const trimmed = keyword.trim();
  return queryOptions<Suggestion[]>({
    queryKey: [...catalogQueryPrefix, 'autocomplete', trimmed],
    queryFn: ({ signal }) =>
      sendRequest<{ keyword: string; suggestions: Suggestion[] }>('/api/catalog/products/autocomplete', {
        query: { keyword: trimmed },
        signal,
      }).then((result) => result.suggestions),
    enabled: trimmed.length > 0,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
}

export function productDetailQuery(productId: number) {
  return queryOptions({
    queryKey: [...catalogQueryPrefix, 'product', productId],
    queryFn: ({ signal }) => sendRequest<ProductDetail>(`/api/catalog/products/${productId}`, { signal }),
  });
}

export const categoryTreeQuery = queryOptions({
  queryKey: [...catalogQueryPrefix, 'categories'],
  queryFn: ({ signal }) => sendRequest<CategoryNode[]>('/api/catalog/categories/tree', { signal }),
  // The tree changes rarely; browsing should not refetch it on every page.
  staleTime: 5 * 60_000,
});

// A login must not wait long on the catalog: without an answer the cart merge simply does not cap.
const STOCK_LOOKUP_TIMEOUT_MS = 3_000;
const STOCK_LOOKUP_MAX_PRODUCTS = 30;

/**
 * Current stock of the given products' SKUs, by SKU id, as far as the catalog answers in time.
 * SKUs of products it could not read (hidden, deleted, unreachable) are simply left out.
 */
export async function lookupSkuStock(productIds: Iterable<number>): Promise<Map<number, number>> {
  const ids = [...new Set(productIds)].slice(0, STOCK_LOOKUP_MAX_PRODUCTS);
  const signal = AbortSignal.timeout(STOCK_LOOKUP_TIMEOUT_MS);
  const details = await Promise.allSettled(
    ids.map((id) => sendRequest<ProductDetail>(`/api/catalog/products/${id}`, { signal })),
  );
  const stock = new Map<number, number>();
  for (const result of details) {
    if (result.status !== 'fulfilled') continue;
    for (const sku of result.value.skus) stock.set(sku.id, sku.stock);
  }
  return stock;
}
