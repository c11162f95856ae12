import type { CatalogSku, OptionGroup, ProductDetail } from './catalog-api.ts';

// Picking options on a product page: each option group is a select, and once every group has a
// value the choices name exactly one SKU (the server keeps one SKU per option combination).

/** Option group name → chosen value; groups not chosen yet are absent. */
export type OptionSelection = Readonly<Record<string, string>>;

/** Whether an option value can be picked, given what is chosen in the other groups. */
export type ValueAvailability = 'available' | 'sold-out' | 'unavailable';

export function isPurchasable(sku: CatalogSku): boolean {
  return sku.status === 'ACTIVE' && sku.stock > 0;
}

/** The SKU the selection names, once every group has a value (the only SKU of a product without options). */
export function resolveSku(
  product: Pick<ProductDetail, 'optionGroups' | 'skus'>,
  selection: OptionSelection,
): CatalogSku | undefined {
  if (!product.optionGroups.every((group) => selection[group.name] !== undefined)) return undefined;
  return product.skus.find((sku) => matches(sku, product.optionGroups, selection));
}

/**
 * A value is available when some purchasable SKU has it together with the values chosen in the OTHER
 * groups (so a group's own choice never hides its alternatives), sold out when such SKUs exist but
 * none has stock, and unavailable when no SKU on sale has it at all.
 */
export function valueAvailability(
  product: Pick<ProductDetail, 'optionGroups' | 'skus'>,
  selection: OptionSelection,
  groupName: string,
  value: string,
): ValueAvailability {
  const others = product.optionGroups.filter((group) => group.name !== groupName);
  const candidates = product.skus.filter(
    (sku) => sku.options[groupName] === value && matches(sku, others, selection),
  );
  if (candidates.some(isPurchasable)) return 'available';
  if (candidates.some((sku) => sku.status !== 'INACTIVE')) return 'sold-out';
  return 'unavailable';
}

/** The chosen values in group order, as a cart line shows them: `블랙 / M`. */
export function optionLabel(groups: OptionGroup[], options: Readonly<Record<string, string>>): string {
  return groups
    .map((group) => options[group.name])
    .filter((value): value is string => value !== undefined)
    .join(' / ');
}

/** Whole percent off `basePrice`, as the catalog computes a product's discount rate. */
export function discountRate(basePrice: number, price: number): number {
  if (basePrice <= 0 || price >= basePrice) return 0;
  return Math.floor(((basePrice - price) * 100) / basePrice);
}

/** Chosen groups only constrain: a SKU matches when it has every chosen value. */
function matches(sku: CatalogSku, groups: OptionGroup[], selection: OptionSelection): boolean {
  return groups.every((group) => {
    const chosen = selection[group.name];
    return chosen === undefined || sku.options[group.name] === chosen;
  });
}
