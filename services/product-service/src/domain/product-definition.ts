import type { OptionGroup, SkuStatus } from '@sagamart/contracts';

export const LIMITS = {
  optionGroups: 3,
  valuesPerGroup: 30,
  skus: 200,
  categories: 5,
  images: 10,
} as const;

export interface SkuInput {
  skuCode: string;
  options: Record<string, string>;
  price: number;
  /** ACTIVE and SOLD_OUT both mean "on sale" (which one is stored follows the stock); INACTIVE stops sales. */
  status: SkuStatus;
  /** Stock of a new SKU (its INITIAL movement). Ignored for an existing SKU: its stock moves only by adjustments. */
  initialStock?: number | undefined;
}

export interface ProductDefinition {
  basePrice: number;
  salePrice: number;
  categoryIds: number[];
  optionGroups: OptionGroup[];
  skus: SkuInput[];
  imageIds: string[];
}

export interface DefinitionProblem {
  field: string;
  message: string;
}

/** Every option combination as a stable key: values in group order, e.g. "블랙\u0000M". */
export function combinationKey(groups: OptionGroup[], options: Record<string, string>): string {
  return groups.map((g) => options[g.name] ?? '').join('\u0000');
}

/** The cartesian product of the groups' values (one combination of no options when there are no groups). */
export function combinations(groups: OptionGroup[]): Array<Record<string, string>> {
  let result: Array<Record<string, string>> = [{}];
  for (const group of groups) {
    result = result.flatMap((partial) => group.values.map((value) => ({ ...partial, [group.name]: value })));
  }
  return result;
}

function duplicates<T>(items: T[]): T[] {
  const seen = new Set<T>();
  const twice = new Set<T>();
  for (const item of items) (seen.has(item) ? twice : seen).add(item);
  return [...twice];
}

/**
 * The price a product is shown, filtered and sorted at: the lowest price of its SKUs on sale (ACTIVE or
 * SOLD_OUT), which is what its cheapest option charges; of all its SKUs when none is on sale.
 */
export function lowestSkuPrice(skus: ReadonlyArray<Pick<SkuInput, 'price' | 'status'>>): number | undefined {
  const onSale = skus.filter((s) => s.status !== 'INACTIVE');
  const prices = (onSale.length ? onSale : skus).map((s) => s.price);
  return prices.length ? Math.min(...prices) : undefined;
}

/**
 * Checks a product's definition: SKU prices within the base price, the sale price equal to the lowest
 * price on sale (lowestSkuPrice), well-formed option groups, and exactly one SKU per option combination
 * with unique SKU codes. Returns every problem found.
 */
export function checkDefinition(definition: ProductDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  const { optionGroups, skus } = definition;

  // A shopper pays the SKU's price: the price shown on the card must be one they can pay.
  const lowest = lowestSkuPrice(skus);
  if (definition.salePrice > definition.basePrice) add('salePrice', 'must not exceed basePrice');
  else if (lowest !== undefined && definition.salePrice !== lowest)
    add('salePrice', `must equal the lowest price of the SKUs on sale (${lowest})`);
  skus.forEach((sku, i) => {
    if (sku.price > definition.basePrice) add(`skus.${i}.price`, 'must not exceed basePrice');
  });
  for (const id of duplicates(definition.categoryIds)) add('categoryIds', `category ${id} is listed twice`);
  for (const id of duplicates(definition.imageIds)) add('imageIds', `image ${id} is listed twice`);

  if (optionGroups.length > LIMITS.optionGroups)
    add('optionGroups', `at most ${LIMITS.optionGroups} option groups`);
  for (const name of duplicates(optionGroups.map((g) => g.name.trim())))
    add('optionGroups', `option group "${name}" is listed twice`);
  optionGroups.forEach((group, i) => {
    if (group.name.trim() !== group.name || group.name === '')
      add(`optionGroups.${i}.name`, 'must be non-empty without surrounding spaces');
    if (group.values.length > LIMITS.valuesPerGroup)
      add(`optionGroups.${i}.values`, `at most ${LIMITS.valuesPerGroup} values`);
    for (const value of duplicates(group.values))
      add(`optionGroups.${i}.values`, `value "${value}" is listed twice`);
    if (group.values.some((v) => v.trim() !== v || v === ''))
      add(`optionGroups.${i}.values`, 'values must be non-empty without surrounding spaces');
  });
  if (problems.length) return problems;

  const expected = combinations(optionGroups);
  if (expected.length > LIMITS.skus) {
    add('optionGroups', `${expected.length} option combinations; at most ${LIMITS.skus}`);
    return problems;
  }
  for (const code of duplicates(skus.map((s) => s.skuCode.toUpperCase())))
    add('skus', `SKU code ${code} is listed twice`);

  const groupNames = new Set(optionGroups.map((g) => g.name));
  const seen = new Map<string, string>();
  skus.forEach((sku, i) => {
    const keys = Object.keys(sku.options);
    const unknown = keys.filter((k) => !groupNames.has(k));
    if (unknown.length) add(`skus.${i}.options`, `unknown option group ${unknown.join(', ')}`);
    for (const group of optionGroups) {
      const value = sku.options[group.name];
      if (value === undefined) add(`skus.${i}.options`, `needs a value for ${group.name}`);
      else if (!group.values.includes(value))
        add(`skus.${i}.options`, `"${value}" is not a value of ${group.name}`);
    }
    const key = combinationKey(optionGroups, sku.options);
    const other = seen.get(key);
    if (other !== undefined) add(`skus.${i}.options`, `same options as SKU ${other}`);
    seen.set(key, sku.skuCode);
  });
  if (problems.length) return problems;

  const missing = expected.filter((combination) => !seen.has(combinationKey(optionGroups, combination)));
  if (missing.length) {
    const sample = missing
      .slice(0, 3)
      .map((c) => Object.values(c).join('/') || '(no options)')
      .join(', ');
    add('skus', `one SKU per option combination: ${missing.length} missing (${sample})`);
  }
  return problems;
}

export interface ExistingSku {
  id: number;
  skuCode: string;
  removed: boolean;
}

export interface SkuPlan {
  create: Array<{ input: SkuInput; position: number }>;
  update: Array<{ id: number; input: SkuInput; position: number }>;
  /** In the product before, not in the request: deactivated and kept, so its id stays valid. */
  remove: number[];
}

/**
 * Matches requested SKUs to the product's existing ones by SKU code (case-insensitive), so a SKU
 * keeps its id across edits. A code that comes back after removal revives the same SKU.
 */
export function planSkus(existing: ExistingSku[], requested: SkuInput[]): SkuPlan {
  const byCode = new Map(existing.map((s) => [s.skuCode.toUpperCase(), s]));
  const plan: SkuPlan = { create: [], update: [], remove: [] };
  const kept = new Set<number>();
  requested.forEach((input, position) => {
    const match = byCode.get(input.skuCode.toUpperCase());
    if (match) {
      plan.update.push({ id: match.id, input, position });
      kept.add(match.id);
    } else {
      plan.create.push({ input, position });
    }
  });
  plan.remove = existing.filter((s) => !kept.has(s.id) && !s.removed).map((s) => s.id);
  return plan;
}
