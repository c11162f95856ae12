// A cart line keeps the price the shopper saw when adding it; a product's price may change since.
// Whenever the cart is shown, its lines take the catalog's current SKU prices, so its totals are what
// checkout will quote (the server's quote still prices the order), and the page says what changed.
import type { ProductDetail } from '../catalog/catalog-api.ts';
import type { CartItem, CartStore } from './cart-store.ts';

/** A line whose unit price moved: `from` what the cart held, `to` the catalog's price now. */
export interface PriceChange {
  skuId: number;
  name: string;
  optionLabel: string;
  from: number;
  to: number;
}

/**
 * The lines at the current prices (won by SKU id), and what moved. A SKU the prices do not name
 * (its product could not be read, or no longer sells it) keeps the price it has.
 */
export function repriceLines(
  lines: readonly CartItem[],
  priceBySku: ReadonlyMap<number, number>,
): { lines: CartItem[]; changes: PriceChange[] } {
  const changes: PriceChange[] = [];
  const repriced = lines.map((line) => {
    const price = priceBySku.get(line.skuId);
    if (price === undefined || price === line.unitPrice) return line;
    changes.push({
      skuId: line.skuId,
      name: line.name,
      optionLabel: line.optionLabel,
      from: line.unitPrice,
      to: price,
    });
    return { ...line, unitPrice: price };
  });
  return { lines: repriced, changes };
}

/** What the page knows of one product's query (TanStack's result, in part). */
interface ProductAnswer {
  isSuccess: boolean;
  isFetchedAfterMount: boolean;
  data: ProductDetail | undefined;
  dataUpdatedAt: number;
}

/**
 * The products the catalog answered on this visit. A read that failed keeps an older answer in the
 * cache (from the product page, say): that one says nothing of today's price.
 */
export function answeredThisVisit(
  answers: readonly ProductAnswer[],
): Array<ProductDetail & { answeredAt: number }> {
  return answers.flatMap((answer) =>
    answer.isSuccess && answer.isFetchedAfterMount && answer.data
      ? [{ ...answer.data, answeredAt: answer.dataUpdatedAt }]
      : [],
  );
}

/**
 * Brings the cart's prices up to the products as the catalog answered them, and answers what
 * changed (nothing is written when nothing did).
 */
export function refreshCartPrices(
  store: Pick<CartStore, 'getSnapshot' | 'replace'>,
  products: readonly Pick<ProductDetail, 'skus'>[],
): PriceChange[] {
  const priceBySku = new Map<number, number>();
  for (const product of products) for (const sku of product.skus) priceBySku.set(sku.id, sku.price);
  const { lines, changes } = repriceLines(store.getSnapshot().items, priceBySku);
  if (changes.length > 0) store.replace(lines);
  return changes;
}

/**
 * The changes seen so far on one visit with the latest ones folded in: per SKU, from the first price
 * the cart held to the latest; a price that came back to where it was is no change.
 */
export function foldPriceChanges(
  seen: readonly PriceChange[],
  latest: readonly PriceChange[],
): PriceChange[] {
  const bySku = new Map(seen.map((change) => [change.skuId, change]));
  for (const change of latest) {
    const earlier = bySku.get(change.skuId);
    bySku.set(change.skuId, earlier ? { ...change, from: earlier.from } : change);
  }
  return [...bySku.values()].filter((change) => change.from !== change.to);
}
