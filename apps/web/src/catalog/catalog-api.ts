import type { OptionGroup, ProductImageRef, ProductStatus, SkuStatus } from '@sagamart/contracts';
import type * as catalog from '@sagamart/contracts/http/catalog';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { sendRequest } from '../api/http.ts';
import type { Page } from '../api/page.ts';
import { serverEnum } from '../api/server-enum.ts';

// The shop's reads from catalog-service. They are public, so they go out without a token: nothing
// to refresh, and the answer is the same for everyone.

export type { OptionGroup, ProductStatus, SkuStatus };
export const PRODUCT_STATUSES = serverEnum<ProductStatus>()(['ACTIVE', 'INACTIVE', 'SOLD_OUT']);

/** catalog-service's own sort tokens (it also takes Spring's `field,asc|desc`). */
export const CATALOG_SORTS = ['relevance', 'latest', 'price_asc', 'price_desc', 'popular'] as const;
export type CatalogSort = (typeof CATALOG_SORTS)[number];

/** A product as lists show it. Prices are integer won; `discountRate` is whole percent off basePrice. */
export type ProductCard = Static<typeof catalog.ProductCard>;

/**
 * A product page: `description` is HTML the server has already sanitized; `images` are in display
 * order (the first is the main image); `breadcrumb` runs from the top category down to the product's.
 */
export type ProductDetail = Static<typeof catalog.ProductDetail>;
export type ProductImage = ProductImageRef;
/** A SKU as the shop sees it: `stock` is available now; INACTIVE when not sold, SOLD_OUT when none left. */
export type CatalogSku = ProductDetail['skus'][number];

/** `kind` says what a pick opens: PRODUCT (`productId`), CATEGORY (`categoryId`) or KEYWORD (a search). */
export type Suggestion = Static<typeof catalog.Suggestions>['suggestions'][number];

type CategoryTree = Static<typeof catalog.CategoryTree>;
/** A category with its subcategories (the server writes its three levels out; the deepest has none). */
export type CategoryNode = Omit<CategoryTree[number], 'children'> & { children: CategoryNode[] };

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
      sendRequest<Static<typeof catalog.Suggestions>>('/api/catalog/products/autocomplete', {
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
  // Every level's `children` is an array (the deepest one empty), so the tree is a CategoryNode[].
  queryFn: ({ signal }) =>
    sendRequest<CategoryTree>('/api/catalog/categories/tree', { signal }).then(
      (tree) => tree as CategoryNode[],
    ),
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
