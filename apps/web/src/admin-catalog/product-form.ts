import type { OptionGroup, ProductImage, ProductStatus, SkuStatus } from '../catalog/catalog-api.ts';
import { i18n } from '../i18n/i18n.ts';
import { formatWon } from '../lib/format.ts';
import type { AdminProduct, AdminSku, ProductInput } from './admin-products-api.ts';

// The admin product form's model: text fields as typed, option groups as "name + comma-separated
// values", and one SKU row per option combination, generated from the groups. Pure functions only;
// their messages are in the current language (`adminCatalog.form.*`).

/** The server's limits (product-service's product definition), checked here first. */
export const PRODUCT_LIMITS = { optionGroups: 3, valuesPerGroup: 30, skus: 200, categories: 5, images: 10 };
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const CODE_MAX_LENGTH = 50;
const MAX_WON = 1_000_000_000;
const MAX_INITIAL_STOCK = 1_000_000;

/** What a product or SKU code may hold, as the form explains it. */
export function codeRule(): string {
  return i18n.t('adminCatalog.form.codeRule');
}

/** Text fields, as `useFormFields` holds them. */
export interface ProductFields extends Record<string, string> {
  name: string;
  code: string;
  description: string;
  basePrice: string;
  /**
   * What the shop shows, filters and sorts by: the lowest price of the SKUs on sale (what the cheapest
   * option charges). Empty: product-service derives it from the SKU rows.
   */
  salePrice: string;
  status: ProductStatus;
  displayed: 'true' | 'false';
}

export interface OptionGroupDraft {
  name: string;
  /** Comma-separated, as typed: `블랙, 화이트, 네이비`. */
  values: string;
}

export interface SkuRow {
  /** The row's option values in group order: its place in the option matrix. */
  key: string;
  options: Record<string, string>;
  skuCode: string;
  price: string;
  /** New SKUs only; existing ones change stock through adjustments. */
  initialStock: string;
  status: SkuStatus;
  /** Set when the product already has this SKU: saving keeps its id (matched by code). */
  existing?: Pick<AdminSku, 'id' | 'stock' | 'reserved' | 'sold' | 'removed'>;
}

export interface ProductDraft {
  fields: ProductFields;
  groups: OptionGroupDraft[];
  rows: SkuRow[];
  categoryIds: string[];
  images: ProductImage[];
}

export interface SkuRowErrors {
  skuCode?: string;
  price?: string;
  initialStock?: string;
}

export interface ProductFormErrors {
  fields: Partial<Record<keyof ProductFields, string>>;
  categories?: string;
  groups: Array<{ name?: string; values?: string }>;
  /** About the SKU matrix as a whole (missing, out of date with the options). */
  skus?: string;
  skuRows: Record<string, SkuRowErrors>;
  images?: string;
}

export function emptyDraft(): ProductDraft {
  return {
    fields: {
      name: '',
      code: '',
      description: '',
      basePrice: '',
      salePrice: '',
      status: 'ACTIVE',
      displayed: 'true',
    },
    groups: [],
    rows: [],
    categoryIds: [],
    images: [],
  };
}

export function draftOf(product: AdminProduct): ProductDraft {
  return {
    fields: {
      name: product.name,
      code: product.code,
      description: product.description,
      basePrice: String(product.basePrice),
      salePrice: product.salePrice === product.basePrice ? '' : String(product.salePrice),
      status: product.status,
      displayed: product.displayed ? 'true' : 'false',
    },
    groups: product.optionGroups.map((group) => ({ name: group.name, values: group.values.join(', ') })),
    rows: product.skus
      .filter((sku) => !sku.removed)
      .map((sku) => rowOf(sku, combinationKey(product.optionGroups, sku.options))),
    categoryIds: product.categoryIds.map(String),
    images: product.images,
  };
}

/** The groups as the server takes them: trimmed names, values split on commas. */
export function optionGroupsOf(drafts: readonly OptionGroupDraft[]): OptionGroup[] {
  return drafts.map((draft) => ({ name: draft.name.trim(), values: splitValues(draft.values) }));
}

export function splitValues(text: string): string[] {
  return text
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
}

/** Every combination of the groups' values (one empty combination without groups). */
export function combinations(groups: readonly OptionGroup[]): Array<Record<string, string>> {
  let result: Array<Record<string, string>> = [{}];
  for (const group of groups) {
    result = result.flatMap((partial) => group.values.map((value) => ({ ...partial, [group.name]: value })));
  }
  return result;
}

export function combinationKey(
  groups: readonly OptionGroup[],
  options: Readonly<Record<string, string>>,
): string {
  return groups.map((group) => options[group.name] ?? '').join('\u0000');
}

/** `블랙 / M`, or the default label (기본) for a product without options. */
export function rowLabel(groups: readonly OptionGroup[], options: Readonly<Record<string, string>>): string {
  return groups.map((group) => options[group.name]).join(' / ') || i18n.t('adminCatalog.form.defaultOption');
}

/**
 * One row per option combination. Rows already there keep what was typed into them; a combination
 * the product had before (even one an earlier edit removed) gets its old SKU code back, so saving
 * keeps that SKU's id and stock; the rest get fresh codes `<PRODUCT CODE>-01`, `-02`, ...
 */
export function generateSkuRows(
  groups: readonly OptionGroup[],
  current: readonly SkuRow[],
  original: readonly AdminSku[],
  defaults: { productCode: string; price: string },
): SkuRow[] {
  const currentByKey = new Map(current.map((row) => [row.key, row]));
  const originalByKey = new Map(original.map((sku) => [combinationKey(groups, sku.options), sku]));
  const prefix = defaults.productCode.trim().toUpperCase() || 'SKU';
  const combos = combinations(groups);
  const kept = combos.map((options) => {
    const key = combinationKey(groups, options);
    const row = currentByKey.get(key);
    if (row) return { ...row, options };
    const sku = originalByKey.get(key);
    return sku ? rowOf(sku, key) : undefined;
  });
  const taken = new Set(
    [...kept.map((row) => row?.skuCode), ...original.map((sku) => sku.skuCode)]
      .filter((code): code is string => code !== undefined)
      .map((code) => code.toUpperCase()),
  );
  let next = 1;
  const width = Math.max(2, String(combos.length).length);
  const freshCode = () => {
    let code: string;
    do code = `${prefix}-${String(next++).padStart(width, '0')}`;
    while (taken.has(code));
    taken.add(code);
    return code;
  };
  return combos.map(
    (options, index) =>
      kept[index] ?? {
        key: combinationKey(groups, options),
        options,
        skuCode: freshCode(),
        price: defaults.price,
        initialStock: '0',
        status: 'ACTIVE',
      },
  );
}

/** Whether the rows are exactly the groups' combinations (else "Generate SKUs" is due). */
export function rowsMatchGroups(groups: readonly OptionGroup[], rows: readonly SkuRow[]): boolean {
  const expected = combinations(groups).map((options) => combinationKey(groups, options));
  return expected.length === rows.length && expected.every((key, index) => rows[index]?.key === key);
}

export function validateProductDraft(draft: ProductDraft): ProductFormErrors {
  const { fields } = draft;
  const errors: ProductFormErrors = { fields: {}, groups: [], skuRows: {} };

  if (!fields.name.trim()) errors.fields.name = i18n.t('adminCatalog.form.nameRequired');
  errors.fields.code = codeProblem(fields.code);
  const basePrice = won(fields.basePrice);
  if (basePrice === undefined) errors.fields.basePrice = i18n.t('adminCatalog.form.wholeWonPrice');
  if (fields.salePrice.trim()) {
    const salePrice = won(fields.salePrice);
    const lowest = lowestRowPrice(draft.rows);
    if (salePrice === undefined) errors.fields.salePrice = i18n.t('adminCatalog.form.wholeWonPrice');
    else if (basePrice !== undefined && salePrice > basePrice)
      errors.fields.salePrice = i18n.t('adminCatalog.form.saleAbovePrice');
    else if (lowest !== undefined && salePrice !== lowest)
      errors.fields.salePrice = i18n.t('adminCatalog.form.saleNotLowest', { price: formatWon(lowest) });
  }
  if (draft.categoryIds.length === 0) errors.categories = i18n.t('adminCatalog.form.categoryRequired');
  else if (draft.categoryIds.length > PRODUCT_LIMITS.categories)
    errors.categories = i18n.t('adminCatalog.form.tooManyCategories', { max: PRODUCT_LIMITS.categories });
  if (draft.images.length > PRODUCT_LIMITS.images)
    errors.images = i18n.t('adminCatalog.form.tooManyImages', { max: PRODUCT_LIMITS.images });

  const groups = optionGroupsOf(draft.groups);
  const names = groups.map((group) => group.name);
  errors.groups = groups.map((group, index) => {
    const problem: { name?: string; values?: string } = {};
    if (!group.name) problem.name = i18n.t('adminCatalog.form.optionNameRequired');
    else if (names.indexOf(group.name) !== index) problem.name = i18n.t('adminCatalog.form.optionNameTaken');
    if (group.values.length === 0) problem.values = i18n.t('adminCatalog.form.valueRequired');
    else if (new Set(group.values).size !== group.values.length)
      problem.values = i18n.t('adminCatalog.form.valueTwice');
    else if (group.values.length > PRODUCT_LIMITS.valuesPerGroup)
      problem.values = i18n.t('adminCatalog.form.tooManyValues', { max: PRODUCT_LIMITS.valuesPerGroup });
    return problem;
  });
  const groupsValid = errors.groups.every((problem) => !problem.name && !problem.values);

  if (groupsValid) {
    if (combinations(groups).length > PRODUCT_LIMITS.skus)
      errors.skus = i18n.t('adminCatalog.form.tooManyCombinations', { max: PRODUCT_LIMITS.skus });
    else if (draft.rows.length === 0) errors.skus = i18n.t('adminCatalog.form.generateSkus');
    else if (!rowsMatchGroups(groups, draft.rows)) errors.skus = i18n.t('adminCatalog.form.regenerateSkus');
  }

  const codes = draft.rows.map((row) => row.skuCode.trim().toUpperCase());
  for (const [index, row] of draft.rows.entries()) {
    const problem: SkuRowErrors = {};
    const code = codeProblem(row.skuCode);
    if (code) problem.skuCode = code;
    else if (codes.indexOf(codes[index] ?? '') !== index)
      problem.skuCode = i18n.t('adminCatalog.form.skuCodeTaken');
    const price = won(row.price);
    if (price === undefined) problem.price = i18n.t('adminCatalog.form.wholeWon');
    else if (basePrice !== undefined && price > basePrice)
      problem.price = i18n.t('adminCatalog.form.saleAbovePrice');
    if (!row.existing && row.initialStock.trim()) {
      const stock = Number(row.initialStock);
      if (!Number.isSafeInteger(stock) || stock < 0 || stock > MAX_INITIAL_STOCK)
        problem.initialStock = i18n.t('adminCatalog.form.wholeNumber');
    }
    if (Object.keys(problem).length > 0) errors.skuRows[row.key] = problem;
  }
  return errors;
}

/**
 * The lowest price of the rows on sale (of every row when none is), as product-service derives the
 * sale price; undefined while a row's price is not a whole won amount.
 */
export function lowestRowPrice(rows: readonly SkuRow[]): number | undefined {
  const onSale = rows.filter((row) => row.status !== 'INACTIVE');
  const prices = (onSale.length ? onSale : rows).map((row) => won(row.price));
  if (prices.length === 0 || prices.some((price) => price === undefined)) return undefined;
  return Math.min(...(prices as number[]));
}

/**
 * The rows after the price shoppers see changed from `from` to `to`: rows at the old price follow, so
 * the sale price stays what the cheapest option charges; rows priced apart keep their price.
 */
export function followPrice(rows: readonly SkuRow[], from: string, to: string): SkuRow[] {
  const old = won(from);
  if (old === undefined || from.trim() === to.trim()) return [...rows];
  return rows.map((row) => (won(row.price) === old ? { ...row, price: to } : row));
}

export function hasErrors(errors: ProductFormErrors): boolean {
  return (
    Object.values(errors.fields).some(Boolean) ||
    Boolean(errors.categories || errors.skus || errors.images) ||
    errors.groups.some((problem) => problem.name || problem.values) ||
    Object.keys(errors.skuRows).length > 0
  );
}

/** The request body for a valid draft; `version` guards an edit against a concurrent one. */
export function productInputOf(draft: ProductDraft, version?: number): ProductInput {
  const { fields } = draft;
  const input: ProductInput = {
    name: fields.name.trim(),
    code: fields.code.trim(),
    description: fields.description,
    basePrice: Number(fields.basePrice),
    // Left out when empty: product-service takes the lowest price of the SKUs on sale.
    ...(fields.salePrice.trim() ? { salePrice: Number(fields.salePrice) } : {}),
    status: fields.status,
    displayed: fields.displayed === 'true',
    categoryIds: draft.categoryIds.map(Number),
    optionGroups: optionGroupsOf(draft.groups),
    skus: draft.rows.map((row) => ({
      skuCode: row.skuCode.trim(),
      options: row.options,
      price: Number(row.price),
      status: row.status,
      ...(row.existing ? {} : { initialStock: Number(row.initialStock || '0') }),
    })),
    imageIds: draft.images.map((image) => image.id),
  };
  if (version !== undefined) input.version = version;
  return input;
}

function rowOf(sku: AdminSku, key: string): SkuRow {
  return {
    key,
    options: sku.options,
    skuCode: sku.skuCode,
    price: String(sku.price),
    initialStock: '',
    // Sold out follows the stock; what the admin chooses is on sale (ACTIVE) or not (INACTIVE).
    status: sku.status === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE',
    existing: { id: sku.id, stock: sku.stock, reserved: sku.reserved, sold: sku.sold, removed: sku.removed },
  };
}

function codeProblem(code: string): string | undefined {
  const trimmed = code.trim();
  if (!trimmed) return i18n.t('adminCatalog.form.codeRequired');
  if (trimmed.length > CODE_MAX_LENGTH)
    return i18n.t('adminCatalog.form.codeTooLong', { max: CODE_MAX_LENGTH });
  if (!CODE_PATTERN.test(trimmed)) return codeRule();
  return undefined;
}

function won(text: string): number | undefined {
  if (!text.trim()) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= 0 && value <= MAX_WON ? value : undefined;
}
