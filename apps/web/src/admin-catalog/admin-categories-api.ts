import type * as products from '@sagamart/contracts/http/products';
import { queryOptions } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api } from '../api/client.ts';

/** The server enforces it too (422); the editor just does not offer deeper levels. */
export const MAX_CATEGORY_DEPTH = 3;

type CategoryTree = Static<typeof products.CategoryTree>;
/**
 * A category with its subcategories (the server writes its three levels out; the deepest has none).
 * `depth` is 1 for a top-level category; `productCount` counts live products directly in it (only
 * leaves hold products).
 */
export type AdminCategory = Omit<CategoryTree[number], 'children'> & { children: AdminCategory[] };

/** A category without its subcategories, as create and update answer. */
export type CategoryView = Static<typeof products.CategoryView>;

export type CategoryInput = Static<typeof products.CategoryBody>;

export const adminCategoriesQuery = queryOptions({
  queryKey: ['admin', 'categories'],
  // Every level's `children` is an array (the deepest one empty), so the tree is an AdminCategory[].
  queryFn: ({ signal }) =>
    api.get<CategoryTree>('/api/admin/categories', { signal }).then((tree) => tree as AdminCategory[]),
});

export function createCategory(input: CategoryInput): Promise<CategoryView> {
  return api.post<CategoryView>('/api/admin/categories', input);
}

export function updateCategory(categoryId: number, input: CategoryInput): Promise<CategoryView> {
  return api.put<CategoryView>(`/api/admin/categories/${categoryId}`, input);
}

/** 409 while the category has subcategories or products. */
export function deleteCategory(categoryId: number): Promise<void> {
  return api.delete<void>(`/api/admin/categories/${categoryId}`);
}

export function categoryInputOf(category: CategoryView): CategoryInput {
  return {
    name: category.name,
    parentId: category.parentId,
    displayOrder: category.displayOrder,
    displayed: category.displayed,
  };
}

/** Every category depth-first in display order, each with the names from the top down to it. */
export function flattenCategories(
  tree: readonly AdminCategory[],
  ancestors: string[] = [],
): Array<{ category: AdminCategory; path: string[] }> {
  return tree.flatMap((category) => {
    const path = [...ancestors, category.name];
    return [{ category, path }, ...flattenCategories(category.children, path)];
  });
}

/** Products belong to leaf categories only. */
export function leafCategories(
  tree: readonly AdminCategory[],
): Array<{ category: AdminCategory; path: string[] }> {
  return flattenCategories(tree).filter(({ category }) => category.children.length === 0);
}
