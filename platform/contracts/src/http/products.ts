import { type Static, Type } from 'typebox';
import { OptionGroup, ProductImageRef, ProductStatus, SkuStatus, StockMovementType } from '../catalog.ts';
import { ClaimType } from '../shipping.ts';

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
export const SkuParams = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  skuId: Type.Integer({ minimum: 1 }),
});
export const KeywordParams = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  keywordId: Type.Integer({ minimum: 1 }),
});

// ---- categories ----

export const CategoryBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 50, pattern: '\\S' }),
    parentId: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { default: null }),
    displayOrder: Type.Integer({ minimum: -1_000_000, maximum: 1_000_000, default: 0 }),
    displayed: Type.Boolean({ default: true }),
  },
  { additionalProperties: false },
);

const categoryFields = {
  id: Type.Integer(),
  parentId: Type.Union([Type.Integer(), Type.Null()]),
  name: Type.String(),
  depth: Type.Integer(),
  displayOrder: Type.Integer(),
  displayed: Type.Boolean(),
  version: Type.Integer(),
  /** Live (not deleted) products directly in this category. */
  productCount: Type.Integer(),
};
export const CategoryView = Type.Object(categoryFields);
// Written out level by level: the tree is at most three deep, and a plain schema serializes fast.
const Level3 = Type.Object({
  ...categoryFields,
  children: Type.Array(Type.Object(categoryFields), { maxItems: 0 }),
});
const Level2 = Type.Object({ ...categoryFields, children: Type.Array(Level3) });
export const CategoryTree = Type.Array(Type.Object({ ...categoryFields, children: Type.Array(Level2) }));

// ---- products ----

const Code = Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$' });
const Won = Type.Integer({ minimum: 0, maximum: 1_000_000_000 });

export const SkuBody = Type.Object(
  {
    skuCode: Code,
    options: Type.Record(Type.String({ maxLength: 50 }), Type.String({ maxLength: 50 })),
    price: Won,
    status: SkuStatus,
    initialStock: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);

export const ProductBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
    code: Code,
    description: Type.String({ maxLength: 100_000, default: '' }),
    basePrice: Won,
    salePrice: Type.Optional(Won),
    status: ProductStatus,
    displayed: Type.Boolean(),
    categoryIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 5 }),
    optionGroups: Type.Array(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 50 }),
          values: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { minItems: 1, maxItems: 30 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 3, default: [] },
    ),
    skus: Type.Array(SkuBody, { minItems: 1, maxItems: 200 }),
    imageIds: Type.Array(Type.String({ format: 'uuid' }), { maxItems: 10, default: [] }),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

export const SkuView = Type.Object({
  id: Type.Integer(),
  skuCode: Type.String(),
  options: Type.Record(Type.String(), Type.String()),
  price: Type.Integer(),
  status: SkuStatus,
  removed: Type.Boolean(),
  stock: Type.Integer(),
  reserved: Type.Integer(),
  sold: Type.Integer(),
  /** Returned as defective or damaged: not for sale until the admin releases or writes them off. */
  held: Type.Integer(),
});

export const ProductView = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  description: Type.String(),
  basePrice: Type.Integer(),
  salePrice: Type.Integer(),
  status: ProductStatus,
  displayed: Type.Boolean(),
  deleted: Type.Boolean(),
  categoryIds: Type.Array(Type.Integer()),
  optionGroups: Type.Array(OptionGroup),
  skus: Type.Array(SkuView),
  images: Type.Array(ProductImageRef),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const ProductSummary = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  basePrice: Type.Integer(),
  salePrice: Type.Integer(),
  status: ProductStatus,
  displayed: Type.Boolean(),
  deleted: Type.Boolean(),
  categoryIds: Type.Array(Type.Integer()),
  thumbnailUrl: Type.Union([Type.String(), Type.Null()]),
  skuCount: Type.Integer(),
  totalStock: Type.Integer(),
  /**
   * Units of all its SKUs (removed ones too) sent back defective or damaged and waiting for the
   * admin's inspection: release or write them off in the product's stock panel.
   */
  heldTotal: Type.Integer(),
  /**
   * Only when the list is filtered by `stock`: its SKUs on sale that match the filter (why it is
   * listed), the lowest stock first. `optionLabel` is the option values in the product's order, e.g.
   * "블랙 / L"; empty for a product without options.
   */
  stockMatches: Type.Optional(
    Type.Array(
      Type.Object({
        skuId: Type.Integer(),
        skuCode: Type.String(),
        optionLabel: Type.String(),
        stock: Type.Integer(),
      }),
    ),
  ),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const ProductStockFilter = Type.Enum(['low', 'soldout']);
export type ProductStockFilter = Static<typeof ProductStockFilter>;

export const ProductListQuery = Type.Object({
  /**
   * Only these products (?ids=1&ids=2; at most a page's worth), for a page that names the products it
   * holds the ids of in one request; unknown ids are left out.
   */
  ids: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 100 })),
  name: Type.Optional(Type.String({ maxLength: 200 })),
  code: Type.Optional(Type.String({ maxLength: 50 })),
  status: Type.Optional(ProductStatus),
  displayed: Type.Optional(Type.Boolean()),
  categoryId: Type.Optional(Type.Integer({ minimum: 1 })),
  minPrice: Type.Optional(Won),
  maxPrice: Type.Optional(Won),
  /** true: only products holding units for inspection; false: only those holding none. */
  held: Type.Optional(Type.Boolean()),
  /**
   * By the stock of their SKUs on sale (the product neither INACTIVE, hidden nor deleted; the SKU
   * neither removed nor INACTIVE), the SKUs the admin dashboard's low-stock card counts: `low`, a SKU
   * with at most `dashboard.lowStockThreshold` units (the dashboard's threshold, sold out included);
   * `soldout`, a SKU with none.
   */
  stock: Type.Optional(ProductStockFilter),
  /**
   * Deleted products too. Without it a deleted product is listed only while it holds units for
   * inspection (the admin still decides on them).
   */
  includeDeleted: Type.Boolean({ default: false }),
  page: Type.Integer({ minimum: 0, default: 0 }),
  size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});

// ---- keywords ----

export const KeywordBody = Type.Object(
  { keyword: Type.String({ minLength: 1, maxLength: 50, pattern: '\\S' }) },
  { additionalProperties: false },
);
export const KeywordView = Type.Object({ id: Type.Integer(), keyword: Type.String() });

// ---- stock ----

export const StockAdjustmentBody = Type.Object(
  {
    type: Type.Union([Type.Literal('ADJUST'), Type.Literal('RESTOCK')]),
    /** ADJUST: signed, not zero; RESTOCK: positive. */
    quantity: Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 }),
    reason: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  },
  { additionalProperties: false },
);

/**
 * The admin's decision on held units (returned as defective or damaged) after inspecting them:
 * `release` puts them on sale (RELEASE_HELD), `discard` writes them off (DISCARD). The note is kept
 * in the stock history.
 */
export const HeldStockBody = Type.Object(
  {
    quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    reason: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const SkuStockView = Type.Object({
  skuId: Type.Integer(),
  skuCode: Type.String(),
  status: SkuStatus,
  stock: Type.Integer(),
  reserved: Type.Integer(),
  sold: Type.Integer(),
  held: Type.Integer(),
});

export const MovementView = Type.Object({
  id: Type.Integer(),
  skuId: Type.Integer(),
  skuCode: Type.String(),
  type: StockMovementType,
  /** Signed change of available stock. */
  quantity: Type.Integer(),
  /**
   * Signed change of held units: HOLD positive, RELEASE_HELD and DISCARD negative (the units moved
   * or written off, which `quantity` does not show for HOLD and DISCARD), 0 for every other type.
   */
  heldChange: Type.Integer(),
  stockAfter: Type.Integer(),
  reservedAfter: Type.Integer(),
  soldAfter: Type.Integer(),
  heldAfter: Type.Integer(),
  reason: Type.Union([Type.String(), Type.Null()]),
  /** The order's id, or the claim's when claimType says the movement is for a return or an exchange. */
  orderId: Type.Union([Type.String(), Type.Null()]),
  claimType: Type.Union([ClaimType, Type.Null()]),
  /** The order's number (ORD-…), when what caused the movement named it (order-service's calls, claim events). */
  orderNumber: Type.Union([Type.String(), Type.Null()]),
  actor: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});

export const MovementQuery = Type.Object({
  skuId: Type.Optional(Type.Integer({ minimum: 1 })),
  type: Type.Optional(StockMovementType),
  page: Type.Integer({ minimum: 0, default: 0 }),
  size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});

// ---- images ----

export const ImageParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const UploadedImage = Type.Object({
  id: Type.String(),
  url: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  temporary: Type.Boolean(),
});
