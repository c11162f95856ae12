import { useQuery } from '@tanstack/react-query';
import {
  type CategoryNode,
  categoryTreeQuery,
  type ProductCard,
  type ProductDetail,
  productDetailQuery,
} from './catalog-api.ts';
import { categoryPath } from './category-path.ts';
import { colourOf, isColourOption, pictureKind, productPictureUrl } from './product-picture.ts';

/** The first colour a product comes in (its 색상 option's first value), if it has one. */
export function firstColour(product: Pick<ProductDetail, 'optionGroups'>): string | null {
  return product.optionGroups.find((group) => isColourOption(group.name))?.values[0] ?? null;
}

/** A product's drawn picture in `colour`: the silhouette follows its breadcrumb. */
export function detailPictureUrl(
  product: Pick<ProductDetail, 'breadcrumb' | 'name'>,
  colour: string | null,
): string {
  const categories = product.breadcrumb.map((category) => category.name);
  return productPictureUrl(pictureKind(categories, product.name), colour);
}

/** The drawn picture of a cart line: its product's silhouette in the line's SKU colour. */
export function skuPictureUrl(product: ProductDetail, skuId: number): string {
  const sku = product.skus.find((candidate) => candidate.id === skuId);
  return detailPictureUrl(product, sku ? colourOf(sku.options) : firstColour(product));
}

/**
 * A card's picture: its uploaded thumbnail, else the drawing for its category in its first colour
 * (read from the product's detail, which the product page reuses). Null while those load.
 */
export function useCardPicture(product: ProductCard): string | null {
  const drawn = product.thumbnailUrl === null;
  const tree = useQuery({ ...categoryTreeQuery, enabled: drawn });
  const detail = useQuery({ ...productDetailQuery(product.id), enabled: drawn });
  if (product.thumbnailUrl) return product.thumbnailUrl;
  if (!tree.data || detail.isPending) return null;
  const names = categoryNames(tree.data, product.categoryIds[0] ?? null);
  return productPictureUrl(pictureKind(names, product.name), detail.data ? firstColour(detail.data) : null);
}

function categoryNames(tree: readonly CategoryNode[], id: number | null): string[] {
  return categoryPath(tree, id).map((category) => category.name);
}
