import { type Static, Type } from 'typebox';
import { defineEvent } from './define.ts';
import { OrderNumber } from './ordering.ts';

// Catalog: product-service is the admin-owned write model, catalog-service the customer read model.
//
// Event payloads are full snapshots of the field group they own, not "something changed" pings:
// a consumer applies a snapshot only when its `version` is newer than what it holds, which is safe
// for any delivery order only if every event carries the whole group it overwrites. It also keeps
// the catalog consuming while product-service is down (no call back per event); a product with its
// SKUs is a few KB. Field groups and their version counters, each written only by its own events:
// - product fields + SKU definitions: `product.*`, `version` per product;
// - search keywords: `keyword.*`, `version` = the product's keyword-set version (separate counter);
// - stock of one SKU: `stock.changed` and `stockVersion` in snapshots, per SKU (the SKU is the stock
//   aggregate: reservations lock SKU rows only, so they never contend on the product row);
// - categories: `category.*`, `version` per category.

export const PRODUCT_STATUSES = ['ACTIVE', 'INACTIVE', 'SOLD_OUT'] as const;
export const SKU_STATUSES = ['ACTIVE', 'INACTIVE', 'SOLD_OUT'] as const;
/**
 * RETURN: units sent back by a return or an exchange (issue 10) go on sale again and leave `sold`.
 * HOLD: units sent back as defective or damaged leave `sold` for `held`, not for sale; the admin
 * inspects them and either puts them on sale (RELEASE_HELD) or writes them off (DISCARD).
 */
export const STOCK_MOVEMENT_TYPES = [
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
] as const;

// Literal lists written out: a mapped array would type as never.
export const ProductStatus = Type.Union([
  Type.Literal('ACTIVE'),
  Type.Literal('INACTIVE'),
  Type.Literal('SOLD_OUT'),
]);
export const SkuStatus = Type.Union([
  Type.Literal('ACTIVE'),
  Type.Literal('INACTIVE'),
  Type.Literal('SOLD_OUT'),
]);
export const StockMovementType = Type.Union([
  Type.Literal('INITIAL'),
  Type.Literal('ADJUST'),
  Type.Literal('RESERVE'),
  Type.Literal('RELEASE'),
  Type.Literal('SELL'),
  Type.Literal('RESTOCK'),
  Type.Literal('RETURN'),
  Type.Literal('HOLD'),
  Type.Literal('RELEASE_HELD'),
  Type.Literal('DISCARD'),
]);
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];
export type SkuStatus = (typeof SKU_STATUSES)[number];
export type StockMovementType = (typeof STOCK_MOVEMENT_TYPES)[number];

/** Where product-service serves an uploaded image; the gateway routes it publicly (GET). */
export const PRODUCT_IMAGE_PATH = '/api/products/images';
export const productImageUrl = (imageId: string) => `${PRODUCT_IMAGE_PATH}/${imageId}`;

/**
 * A SKU on sale with this many units or fewer is low on stock: the bundled default of the config key
 * `dashboard.lowStockThreshold` (config/application.yml), which notification-service's dashboard
 * (its low-stock card) and product-service's admin product list (`stock=low`) both read, so the
 * card and the list it links to count the same SKUs.
 */
export const DEFAULT_LOW_STOCK_THRESHOLD = 5;

const Id = Type.Integer({ minimum: 1 });
const Version = Type.Integer({ minimum: 1 });
const Won = Type.Integer({ minimum: 0 });
const Count = Type.Integer({ minimum: 0 });
const Timestamp = Type.String({ format: 'date-time' });

export const OptionGroup = Type.Object(
  { name: Type.String({ minLength: 1 }), values: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }) },
  { additionalProperties: false },
);
export type OptionGroup = Static<typeof OptionGroup>;

export const ProductImageRef = Type.Object(
  { id: Type.String({ format: 'uuid' }), url: Type.String() },
  { additionalProperties: false },
);
export type ProductImageRef = Static<typeof ProductImageRef>;

/** One SKU as a snapshot carries it: its definition (product version) and its stock (stock version). */
export const SkuSnapshot = Type.Object(
  {
    skuId: Id,
    skuCode: Type.String({ minLength: 1 }),
    /** Option group name → value, e.g. { 색상: '블랙', 사이즈: 'M' }; empty for a product without options. */
    options: Type.Record(Type.String(), Type.String()),
    price: Won,
    status: SkuStatus,
    /** No longer part of the product's option matrix: kept (same id) but deactivated. */
    removed: Type.Boolean(),
    /** Available to sell. */
    stock: Count,
    /** Held for orders not yet paid. */
    reserved: Count,
    sold: Count,
    stockVersion: Version,
  },
  { additionalProperties: false },
);
export type SkuSnapshot = Static<typeof SkuSnapshot>;

/** The product as product-service holds it after a change (keywords travel in their own events). */
export const ProductSnapshot = Type.Object(
  {
    productId: Id,
    version: Version,
    code: Type.String({ minLength: 1 }),
    name: Type.String({ minLength: 1 }),
    /** Sanitized HTML. */
    description: Type.String(),
    /** The description as plain text, for search. */
    descriptionText: Type.String(),
    basePrice: Won,
    salePrice: Won,
    status: ProductStatus,
    displayed: Type.Boolean(),
    /** Soft-deleted: kept because orders reference it, never shown. */
    deleted: Type.Boolean(),
    /** Leaf categories. */
    categoryIds: Type.Array(Id),
    optionGroups: Type.Array(OptionGroup),
    skus: Type.Array(SkuSnapshot),
    /** In display order; the first is the main image. */
    images: Type.Array(ProductImageRef),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type ProductSnapshot = Static<typeof ProductSnapshot>;

export const ProductCreated = defineEvent('product.created', 1, ProductSnapshot);
export const ProductUpdated = defineEvent('product.updated', 1, ProductSnapshot);
export const ProductDeleted = defineEvent(
  'product.deleted',
  1,
  Type.Object(
    {
      productId: Id,
      version: Version,
      /** SOFT: kept for order history; HARD: gone. Either way it is never shown again. */
      mode: Type.Union([Type.Literal('SOFT'), Type.Literal('HARD')]),
      deletedAt: Timestamp,
    },
    { additionalProperties: false },
  ),
);
export type ProductDeletedPayload = Static<typeof ProductDeleted.schema>;

export const CategorySnapshot = Type.Object(
  {
    categoryId: Id,
    version: Version,
    parentId: Type.Union([Id, Type.Null()]),
    name: Type.String({ minLength: 1 }),
    /** 1 for a top-level category, at most 3. */
    depth: Type.Integer({ minimum: 1, maximum: 3 }),
    displayOrder: Type.Integer(),
    displayed: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type CategorySnapshot = Static<typeof CategorySnapshot>;

export const CategoryCreated = defineEvent('category.created', 1, CategorySnapshot);
export const CategoryUpdated = defineEvent('category.updated', 1, CategorySnapshot);
export const CategoryDeleted = defineEvent(
  'category.deleted',
  1,
  Type.Object({ categoryId: Id, version: Version }, { additionalProperties: false }),
);
export type CategoryDeletedPayload = Static<typeof CategoryDeleted.schema>;

/** A keyword change: the one keyword touched, plus the product's whole keyword set after it. */
const keywordChange = Type.Object(
  {
    productId: Id,
    /** The product's keyword-set version (its own counter, independent of the product version). */
    version: Version,
    keywordId: Id,
    keyword: Type.String({ minLength: 1 }),
    keywords: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);
export type KeywordChange = Static<typeof keywordChange>;
export const KeywordCreated = defineEvent('keyword.created', 1, keywordChange);
export const KeywordUpdated = defineEvent('keyword.updated', 1, keywordChange);
export const KeywordDeleted = defineEvent('keyword.deleted', 1, keywordChange);

/** One stock movement of one SKU, with the SKU's stock after it. */
export const StockChanged = defineEvent(
  'stock.changed',
  1,
  Type.Object(
    {
      productId: Id,
      skuId: Id,
      skuCode: Type.String({ minLength: 1 }),
      /** The SKU's stock version after this movement (per SKU; also `stockVersion` in snapshots). */
      version: Version,
      movement: Type.Object(
        {
          id: Id,
          type: StockMovementType,
          /** Signed change of available stock (RESERVE negative, RELEASE positive, SELL, HOLD and DISCARD 0). */
          quantity: Type.Integer(),
          /**
           * Signed change of product-service's held units (HOLD positive, RELEASE_HELD and DISCARD
           * negative, else 0). Absent from events published before it was added.
           */
          heldChange: Type.Optional(Type.Integer()),
          orderId: Type.Union([Type.String(), Type.Null()]),
        },
        { additionalProperties: false },
      ),
      stock: Count,
      reserved: Count,
      sold: Count,
      status: SkuStatus,
      occurredAt: Timestamp,
    },
    { additionalProperties: false },
  ),
);
export type StockChangedPayload = Static<typeof StockChanged.schema>;

// ---- product-service's internal HTTP API (never routed by the gateway) ----

/** GET /internal/sync/products?afterId=&size=: one keyset page of the full sync (rebuilds, backfills). */
export const ProductSyncItem = Type.Object(
  {
    product: ProductSnapshot,
    keywords: Type.Array(Type.String()),
    /** 0 when the product never had keywords. */
    keywordsVersion: Count,
  },
  { additionalProperties: false },
);
export type ProductSyncItem = Static<typeof ProductSyncItem>;

/**
 * Keyset paging rather than page numbers: products created or deleted while a rebuild reads cannot
 * shift later pages (no row skipped or read twice). `nextAfterId` is null on the last page.
 */
export const ProductSyncPage = Type.Object({
  content: Type.Array(ProductSyncItem),
  nextAfterId: Type.Union([Id, Type.Null()]),
});
export type ProductSyncPage = Static<typeof ProductSyncPage>;

/** GET /internal/sync/categories: every category (a tree of at most a few hundred nodes). */
export const CategorySyncList = Type.Object({ content: Type.Array(CategorySnapshot) });
export type CategorySyncList = Static<typeof CategorySyncList>;

/** GET /internal/skus?ids=1&ids=2: what the order flow needs to price and check a SKU. */
export const SkuLookupItem = Type.Object({
  skuId: Id,
  skuCode: Type.String(),
  options: Type.Record(Type.String(), Type.String()),
  price: Won,
  status: SkuStatus,
  removed: Type.Boolean(),
  stock: Count,
  productId: Id,
  productCode: Type.String(),
  productName: Type.String(),
  productStatus: ProductStatus,
  displayed: Type.Boolean(),
  deleted: Type.Boolean(),
  categoryIds: Type.Array(Id),
  /**
   * The URL of the product's first uploaded image, or null when it has none: the browser draws such a
   * product (apps/web), nothing drawn is sent or kept on an order's line.
   */
  thumbnailUrl: Type.Union([Type.String(), Type.Null()]),
  /** True when the SKU can be ordered right now (ACTIVE SKU of an ACTIVE, displayed, live product with stock). */
  orderable: Type.Boolean(),
});
export type SkuLookupItem = Static<typeof SkuLookupItem>;
export const SkuLookupResult = Type.Object({ content: Type.Array(SkuLookupItem) });
export type SkuLookupResult = Static<typeof SkuLookupResult>;

/** POST /internal/stock/reservations: reserve every item or none, idempotent by orderId. */
export const StockReservationRequest = Type.Object(
  {
    orderId: Type.String({ minLength: 1, maxLength: 64 }),
    /**
     * The order's number, kept on its movements for the admin's stock history (order-service sends
     * it; shipping-service's exchanges, keyed by a claim's id, do not: their events name the order).
     */
    orderNumber: Type.Optional(OrderNumber),
    items: Type.Array(
      Type.Object(
        { skuId: Id, quantity: Type.Integer({ minimum: 1, maximum: 10_000 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);
export type StockReservationRequest = Static<typeof StockReservationRequest>;

/**
 * The optional body of POST /internal/stock/reservations/{orderId}/commit and …/release: the order's
 * number, kept on the movement as the reservation's is (shipping-service sends no body).
 */
export const StockSettleRequest = Type.Object(
  { orderNumber: Type.Optional(OrderNumber) },
  { additionalProperties: false },
);
export type StockSettleRequest = Static<typeof StockSettleRequest>;

export const StockReservation = Type.Object({
  orderId: Type.String(),
  /** RESERVED → then SOLD (paid) or RELEASED (cancelled, payment failed). */
  state: Type.Union([Type.Literal('RESERVED'), Type.Literal('SOLD'), Type.Literal('RELEASED')]),
  items: Type.Array(Type.Object({ skuId: Id, quantity: Type.Integer({ minimum: 1 }) })),
});
export type StockReservation = Static<typeof StockReservation>;
