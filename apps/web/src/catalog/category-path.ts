/** The nodes from a top-level category down to `id`; empty when the tree does not have it. */
export function categoryPath<T extends { id: number; children: T[] }>(
  tree: readonly T[],
  id: number | null,
): T[] {
  if (id === null) return [];
  for (const node of tree) {
    if (node.id === id) return [node];
    const below = categoryPath(node.children, id);
    if (below.length > 0) return [node, ...below];
  }
  return [];
}
