import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { Page } from '../api/page.ts';
import type { OptionGroup, ProductImage, ProductStatus, SkuStatus } from '../catalog/catalog-api.ts';

// product-service's admin API: the products' source of truth (the shop reads catalog-service, which
// follows these changes within seconds).

export const STOCK_MOVEMENT_TYPES = ['INITIAL', 'ADJUST', 'RESERVE', 'RELEASE', 'SELL', 'RESTOCK'] as const;
export type StockMovementType = (typeof STOCK_MOVEMENT_TYPES)[number];

export interface AdminProductSummary {
  id: number;
  code: string;
  name: string;
  basePrice: number;
  salePrice: number;
  status: ProductStatus;
  displayed: boolean;
  deleted: boolean;
  categoryIds: number[];
  thumbnailUrl: string | null;
  skuCount: number;
  totalStock: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface AdminSku {
  id: number;
  skuCode: string;
  options: Record<string, string>;
  price: number;
  status: SkuStatus;
  /** Left out of the option matrix by an edit: kept (same id) but deactivated. */
  removed: boolean;
  /** Available to sell. */
  stock: number;
  /** Held for unpaid orders. */
  reserved: number;
  sold: number;
}

export interface AdminProduct {
  id: number;
  code: string;
  name: string;
  /** Sanitized HTML. */
  description: string;
  basePrice: number;
  salePrice: number;
  status: ProductStatus;
  displayed: boolean;
  deleted: boolean;
  categoryIds: number[];
  optionGroups: OptionGroup[];
  skus: AdminSku[];
  images: ProductImage[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface SkuInput {
  skuCode: string;
  options: Record<string, string>;
  price: number;
  status: SkuStatus;
  /** Stock of a new SKU; ignored for existing ones (their stock moves by adjustments). */
  initialStock?: number;
}

/** Create and update body: one SKU per option combination, images in display order. */
export interface ProductInput {
  name: string;
  code: string;
  description: string;
  basePrice: number;
  /** Defaults to basePrice. */
  salePrice?: number;
  status: ProductStatus;
  displayed: boolean;
  /** Leaf categories, one to five. */
  categoryIds: number[];
  optionGroups: OptionGroup[];
  skus: SkuInput[];
  imageIds: string[];
  /** The version the edit started from; the server answers 409 when the product changed meanwhile. */
  version?: number;
}

export interface UploadedImage {
  id: string;
  url: string;
  contentType: string;
  size: number;
  /** True until a product saves it. */
  temporary: boolean;
}

export interface Keyword {
  id: number;
  keyword: string;
}

export interface StockAdjustment {
  /** ADJUST: signed, not zero; RESTOCK: positive. */
  type: 'ADJUST' | 'RESTOCK';
  quantity: number;
  reason: string;
}

export interface SkuStock {
  skuId: number;
  skuCode: string;
  status: SkuStatus;
  stock: number;
  reserved: number;
  sold: number;
}

export interface StockMovement {
  id: number;
  skuId: number;
  skuCode: string;
  type: StockMovementType;
  /** Signed change of available stock. */
  quantity: number;
  stockAfter: number;
  reservedAfter: number;
  soldAfter: number;
  reason: string | null;
  orderId: string | null;
  actor: string | null;
  createdAt: string;
}

export interface AdminProductSearch {
  name: string;
  code: string;
  status: ProductStatus | '';
  displayed: boolean | null;
  categoryId: number | null;
  minPrice: number | null;
  maxPrice: number | null;
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
          page: search.page,
          size: search.size,
        },
        signal,
      }),
    placeholderData: keepPreviousData,
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
