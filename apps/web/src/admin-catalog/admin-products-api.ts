import type { StockMovementType } from '@sagamart/contracts';
import type * as products from '@sagamart/contracts/http/products';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api } from '../api/client.ts';
import type { Page } from '../api/page.ts';
import { serverEnum } from '../api/server-enum.ts';
import type { ProductStatus } from '../catalog/catalog-api.ts';

// product-service's admin API: the products' source of truth (the shop reads catalog-service, which
// follows these changes within seconds).

export type { StockMovementType };

/**
 * The product list's stock filter: `low`, a SKU on sale at or below the admin dashboard's low-stock
 * threshold (sold out included); `soldout`, a SKU on sale with none.
 */
export type ProductStockFilter = Static<typeof products.ProductStockFilter>;
export const PRODUCT_STOCK_FILTERS = serverEnum<ProductStockFilter>()(['low', 'soldout']);
export const STOCK_MOVEMENT_TYPES = serverEnum<StockMovementType>()([
  'INITIAL',
  'ADJUST',
  'RESERVE',
  'RELEASE',
  'SELL',
  'RESTOCK',
  'RETURN',
  'HOLD',
  'RELEASE_HELD',
  'DISCARD',
]);

/**
 * `heldTotal`: units of its SKUs sent back defective or damaged, waiting for the admin's inspection;
 * `deleted`: soft-deleted, listed only while it holds such units.
 */
export type AdminProductSummary = Static<typeof products.ProductSummary>;
/** `description` is sanitized HTML. */
export type AdminProduct = Static<typeof products.ProductView>;
/**
 * `removed`: left out of the option matrix by an edit (kept, same id, but deactivated); `stock` is
 * available to sell, `reserved` held for unpaid orders, `held` sent back defective or damaged and
 * waiting for the admin's inspection (not for sale).
 */
export type AdminSku = AdminProduct['skus'][number];

/** `initialStock` is the stock of a new SKU; ignored for existing ones (their stock moves by adjustments). */
export type SkuInput = Static<typeof products.SkuBody>;

/**
 * Create and update body: one SKU per option combination, images in display order, one to five leaf
 * categories. `version` is the one the edit started from: the server answers 409 when the product
 * changed meanwhile.
 */
export type ProductInput = Static<typeof products.ProductBody>;

/** `temporary` until a product saves it. */
export type UploadedImage = Static<typeof products.UploadedImage>;

export type Keyword = Static<typeof products.KeywordView>;

/** `quantity`: ADJUST signed, not zero; RESTOCK positive. */
export type StockAdjustment = Static<typeof products.StockAdjustmentBody>;

export type SkuStock = Static<typeof products.SkuStockView>;

/** Held units after inspection: `quantity` of them, with the admin's note if any. */
export type HeldStockDecision = Static<typeof products.HeldStockBody>;

/**
 * `quantity` is the signed change of available stock, `heldChange` of held units (HOLD +, RELEASE_HELD
 * and DISCARD −).
 */
export type StockMovement = Static<typeof products.MovementView>;

export interface AdminProductSearch {
  name: string;
  code: string;
  status: ProductStatus | '';
  displayed: boolean | null;
  categoryId: number | null;
  minPrice: number | null;
  maxPrice: number | null;
  /** Only products holding units for inspection. */
  held: boolean;
  /** By the stock of their SKUs on sale; '' for any. */
  stock: ProductStockFilter | '';
  /** Zero-based. */
  page: number;
  size: number;
}

export interface MovementFilter {
  skuId: number | null;
  type: StockMovementType | '';
  page: number;
  size: number;
}

export const adminProductsQueryPrefix = ['admin', 'products'] as const;

export function adminProductsQuery(search: AdminProductSearch) {
  return queryOptions({
    queryKey: [...adminProductsQueryPrefix, 'list', search],
    queryFn: ({ signal }) =>
      api.get<Page<AdminProductSummary>>('/api/admin/products', {
        query: {
          name: search.name,
          code: search.code,
          status: search.status,
          displayed: search.displayed,
          categoryId: search.categoryId,
          minPrice: search.minPrice,
          maxPrice: search.maxPrice,
          held: search.held || null,
          stock: search.stock,
          page: search.page,
          size: search.size,
        },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

/**
 * The products of these ids (at most a page's worth, 100), deleted ones included, in one request: for
 * a list that holds only their ids (the discount policies' targets). An id product-service no longer
 * has is left out. Under the list key, so a product's edit refreshes it as it does the product list.
 */
export function adminProductsByIdsQuery(productIds: readonly number[]) {
  return queryOptions({
    queryKey: [...adminProductsQueryPrefix, 'list', 'ids', productIds],
    queryFn: ({ signal }) => {
      // One `ids` per product (?ids=1&ids=2), as product-service reads a list.
      const query = new URLSearchParams(productIds.map((id) => ['ids', String(id)]));
      query.set('includeDeleted', 'true');
      query.set('size', String(Math.max(productIds.length, 1)));
      return api.get<Page<AdminProductSummary>>(`/api/admin/products?${query}`, { signal });
    },
  });
}

export function adminProductQuery(productId: number) {
  return queryOptions({
    queryKey: [...adminProductsQueryPrefix, 'detail', productId],
    queryFn: ({ signal }) => api.get<AdminProduct>(`/api/admin/products/${productId}`, { signal }),
  });
}

export function createProduct(input: ProductInput): Promise<AdminProduct> {
  return api.post<AdminProduct>('/api/admin/products', input);
}

export function updateProduct(productId: number, input: ProductInput): Promise<AdminProduct> {
  return api.put<AdminProduct>(`/api/admin/products/${productId}`, input);
}

export function deleteProduct(productId: number): Promise<void> {
  return api.delete<void>(`/api/admin/products/${productId}`);
}

/** The picked file as the raw request body, typed as the file is; the server checks its bytes. */
export function uploadProductImage(file: File): Promise<UploadedImage> {
  return api.post<UploadedImage>('/api/admin/products/images', file);
}

export function productKeywordsQuery(productId: number) {
  return queryOptions({
    queryKey: [...adminProductsQueryPrefix, 'detail', productId, 'keywords'],
    queryFn: ({ signal }) => api.get<Keyword[]>(`/api/admin/products/${productId}/keywords`, { signal }),
  });
}

export function addKeyword(productId: number, keyword: string): Promise<Keyword> {
  return api.post<Keyword>(`/api/admin/products/${productId}/keywords`, { keyword });
}

export function renameKeyword(productId: number, keywordId: number, keyword: string): Promise<Keyword> {
  return api.put<Keyword>(`/api/admin/products/${productId}/keywords/${keywordId}`, { keyword });
}

export function removeKeyword(productId: number, keywordId: number): Promise<void> {
  return api.delete<void>(`/api/admin/products/${productId}/keywords/${keywordId}`);
}

export function adjustStock(
  productId: number,
  skuId: number,
  adjustment: StockAdjustment,
): Promise<SkuStock> {
  return api.post<SkuStock>(`/api/admin/products/${productId}/skus/${skuId}/stock-adjustments`, adjustment);
}

/** Held units passed inspection (on sale again: `release`) or did not (written off: `discard`). */
export function decideHeldStock(
  productId: number,
  skuId: number,
  action: 'release' | 'discard',
  decision: HeldStockDecision,
): Promise<SkuStock> {
  return api.post<SkuStock>(`/api/admin/products/${productId}/skus/${skuId}/held-stock/${action}`, decision);
}

export function stockMovementsQuery(productId: number, filter: MovementFilter) {
  return queryOptions({
    queryKey: [...adminProductsQueryPrefix, 'detail', productId, 'movements', filter],
    queryFn: ({ signal }) =>
      api.get<Page<StockMovement>>(`/api/admin/products/${productId}/stock-movements`, {
        query: { skuId: filter.skuId, type: filter.type, page: filter.page, size: filter.size },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}
