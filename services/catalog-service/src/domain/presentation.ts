import type { OptionGroup, ProductStatus, SkuStatus } from '@sagamart/contracts';
import { isColourOption } from '@sagamart/contracts/rules';

/**
 * What a shopper sees for a SKU: INACTIVE when the admin stopped it (or it left the option matrix),
 * SOLD_OUT when the product is marked sold out or nothing is available, ACTIVE otherwise.
 */
export function shopSkuStatus(
  productStatus: ProductStatus,
  adminStatus: SkuStatus,
  removed: boolean,
  stock: number,
): SkuStatus {
  if (removed || adminStatus === 'INACTIVE' || productStatus === 'INACTIVE') return 'INACTIVE';
  if (productStatus === 'SOLD_OUT' || stock <= 0) return 'SOLD_OUT';
  return 'ACTIVE';
}

/** Whole percent off the base price (0 when there is no discount). */
export function discountRate(basePrice: number, salePrice: number): number {
  if (basePrice <= 0 || salePrice >= basePrice) return 0;
  return Math.floor(((basePrice - salePrice) * 100) / basePrice);
}

/** The values of the first colour option group, in order (empty when the product has none). */
export function colourValues(groups: readonly OptionGroup[]): string[] {
  return groups.find((group) => isColourOption(group.name))?.values ?? [];
}

export interface CategoryRow {
  id: number;
  parentId: number | null;
  name: string;
  displayOrder: number;
  displayed: boolean;
  deleted: boolean;
}

export interface CategoryNode {
  id: number;
  name: string;
  displayOrder: number;
  children: CategoryNode[];
}

/** The shop's tree: displayed, live categories whose ancestors are all displayed too, in display order. */
export function displayedTree(rows: CategoryRow[]): CategoryNode[] {
  const shown = rows.filter((r) => r.displayed && !r.deleted);
  const byParent = new Map<number | null, CategoryRow[]>();
  for (const row of shown) byParent.set(row.parentId, [...(byParent.get(row.parentId) ?? []), row]);
  const build = (parentId: number | null, depth: number): CategoryNode[] =>
    depth > 3
      ? []
      : (byParent.get(parentId) ?? [])
          .sort((a, b) => a.displayOrder - b.displayOrder || a.id - b.id)
          .map((r) => ({
            id: r.id,
            name: r.name,
            displayOrder: r.displayOrder,
            children: build(r.id, depth + 1),
          }));
  return build(null, 1);
}

/** From the top category down to `leafId` (empty when unknown). */
export function breadcrumb(
  rows: CategoryRow[],
  leafId: number | undefined,
): Array<{ id: number; name: string }> {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const path: Array<{ id: number; name: string }> = [];
  let current = leafId === undefined ? undefined : byId.get(leafId);
  while (current && path.length < 3) {
    path.unshift({ id: current.id, name: current.name });
    current = current.parentId === null ? undefined : byId.get(current.parentId);
  }
  return path;
}
