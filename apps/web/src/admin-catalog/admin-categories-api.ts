import { queryOptions } from '@tanstack/react-query';
import { api } from '../api/client.ts';

/** The server enforces it too (422); the editor just does not offer deeper levels. */
export const MAX_CATEGORY_DEPTH = 3;

export interface AdminCategory {
  id: number;
  parentId: number | null;
  name: string;
  /** 1 for a top-level category. */
  depth: number;
  displayOrder: number;
  displayed: boolean;
  version: number;
  /** Live products directly in this category (only leaves hold products). */
  productCount: number;
  children: AdminCategory[];
}

export interface CategoryInput {
  name: string;
  parentId: number | null;
  displayOrder: number;
  displayed: boolean;
}

export const adminCategoriesQuery = queryOptions({
  queryKey: ['admin', 'categories'],
  queryFn: ({ signal }) => api.get<AdminCategory[]>('/api/admin/categories', { signal }),
});

export function createCategory(input: CategoryInput): Promise<AdminCategory> {
  return api.post<AdminCategory>('/api/admin/categories', input);
}

export function updateCategory(categoryId: number, input: CategoryInput): Promise<AdminCategory> {
  return api.put<AdminCategory>(`/api/admin/categories/${categoryId}`, input);
}

/** 409 while the category has subcategories or products. */
export function deleteCategory(categoryId: number): Promise<void> {
  return api.delete<void>(`/api/admin/categories/${categoryId}`);
}

export function categoryInputOf(category: AdminCategory): CategoryInput {
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
