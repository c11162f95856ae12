import type { CategorySnapshot, OptionGroup, ProductSnapshot, ProductSyncItem } from '@sagamart/contracts';

/** Every option value (블랙 그레이 S M L), searchable next to the name: shoppers type colours and sizes. */
export function optionsText(groups: OptionGroup[]): string {
  return groups.flatMap((g) => g.values).join(' ');
}

/** The product-field columns a product snapshot writes. */
export function productRow(s: ProductSnapshot) {
  return {
    id: s.productId,
    code: s.code,
    name: s.name,
    description: s.description,
    description_text: s.descriptionText,
    base_price: s.basePrice,
    sale_price: s.salePrice,
    status: s.status,
    displayed: s.displayed,
    deleted: s.deleted,
    category_ids: s.categoryIds,
    option_groups: s.optionGroups,
    options_text: optionsText(s.optionGroups),
    images: s.images,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    version: s.version,
  };
}

export function keywordColumns(keywords: string[], version: number) {
  return { keywords, keywords_text: keywords.join(' '), keywords_version: version };
}

/** in_stock and sales_count as the writer's refresh computes them: ACTIVE with a SKU on sale in stock; units sold. */
export function aggregates(s: ProductSnapshot) {
  return {
    in_stock:
      s.status === 'ACTIVE' && s.skus.some((k) => !k.removed && k.status !== 'INACTIVE' && k.stock > 0),
    sales_count: s.skus.reduce((sum, k) => sum + k.sold, 0),
  };
}

/** A full row for a rebuild: product fields, keywords and aggregates together (one write per row). */
export function syncRow(item: ProductSyncItem) {
  return {
    ...productRow(item.product),
    ...keywordColumns(item.keywords, item.keywordsVersion),
    ...aggregates(item.product),
  };
}

/** SKU definitions, versioned by the product version. */
export function skuDefinitionRows(s: ProductSnapshot) {
  return s.skus.map((k, position) => ({
    id: k.skuId,
    product_id: s.productId,
    sku_code: k.skuCode,
    options: k.options,
    price: k.price,
    admin_status: k.status,
    removed: k.removed,
    position,
    product_version: s.version,
  }));
}

/** SKU stock, versioned per SKU. */
export function skuStockRows(s: ProductSnapshot) {
  return s.skus.map((k) => ({
    id: k.skuId,
    product_id: s.productId,
    stock: k.stock,
    reserved: k.reserved,
    sold: k.sold,
    stock_version: k.stockVersion,
  }));
}

export function categoryRow(c: CategorySnapshot) {
  return {
    id: c.categoryId,
    parent_id: c.parentId,
    name: c.name,
    depth: c.depth,
    display_order: c.displayOrder,
    displayed: c.displayed,
    deleted: false,
    version: c.version,
  };
}
