import { useQuery } from '@tanstack/react-query';
import { type CategoryNode, categoryTreeQuery, type ProductCard, type ProductDetail } from './catalog-api.ts';
import { categoryPath } from './category-path.ts';
import { colourOf, pictureKind, productPictureUrl } from './product-picture.ts';

/** The first colour a product comes in (its colour option's first value), if it has one. */
export function firstColour(product: Pick<ProductCard, 'colours'>): string | null {
  return product.colours[0] ?? null;
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
 * (the card carries its colours; the category tree is one request for the whole list). Null while
 * the tree loads.
 */
export function useCardPicture(product: ProductCard): string | null {
  const drawn = product.thumbnailUrl === null;
  const tree = useQuery({ ...categoryTreeQuery, enabled: drawn });
  if (product.thumbnailUrl) return product.thumbnailUrl;
  if (!tree.data) return null;
  const names = categoryNames(tree.data, product.categoryIds[0] ?? null);
  return productPictureUrl(pictureKind(names, product.name), firstColour(product));
}

function categoryNames(tree: readonly CategoryNode[], id: number | null): string[] {
  return categoryPath(tree, id).map((category) => category.name);
}
