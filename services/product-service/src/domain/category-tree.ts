export const MAX_CATEGORY_DEPTH = 3;

export interface CategoryNode {
  id: number;
  parentId: number | null;
}

export type PlacementProblem = { code: 'too-deep'; message: string } | { code: 'cycle'; message: string };

/** Depth of a category placed under `parentDepth` (null: top level). */
export function depthUnder(parentDepth: number | null): number {
  return parentDepth === null ? 1 : parentDepth + 1;
}

/** The category and everything below it. */
export function subtreeOf(rootId: number, all: CategoryNode[]): Set<number> {
  const children = new Map<number, number[]>();
  for (const c of all) {
    if (c.parentId !== null) children.set(c.parentId, [...(children.get(c.parentId) ?? []), c.id]);
  }
  const found = new Set<number>([rootId]);
  const queue = [rootId];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      if (!found.has(child)) {
        found.add(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** Levels in the subtree rooted at `rootId`: 1 for a leaf. */
export function subtreeHeight(rootId: number, all: CategoryNode[]): number {
  const byParent = new Map<number, number[]>();
  for (const c of all)
    if (c.parentId !== null) byParent.set(c.parentId, [...(byParent.get(c.parentId) ?? []), c.id]);
  const height = (id: number, guard: number): number =>
    guard > all.length
      ? 0
      : 1 + Math.max(0, ...(byParent.get(id) ?? []).map((child) => height(child, guard + 1)));
  return height(rootId, 0);
}

/**
 * Whether `categoryId` (with its subtree) may move under `newParent` (null: top level): not into
 * itself or below itself, and no node may end up deeper than MAX_CATEGORY_DEPTH.
 */
export function checkPlacement(
  categoryId: number | null,
  newParent: { id: number; depth: number } | null,
  all: CategoryNode[],
): PlacementProblem | undefined {
  if (newParent && categoryId !== null && subtreeOf(categoryId, all).has(newParent.id)) {
    return { code: 'cycle', message: 'A category cannot move under itself or one of its descendants' };
  }
  const depth = depthUnder(newParent?.depth ?? null);
  const height = categoryId === null ? 1 : subtreeHeight(categoryId, all);
  if (depth + height - 1 > MAX_CATEGORY_DEPTH) {
    return {
      code: 'too-deep',
      message: `Categories are at most ${MAX_CATEGORY_DEPTH} levels deep; this would place one at level ${depth + height - 1}`,
    };
  }
  return undefined;
}
