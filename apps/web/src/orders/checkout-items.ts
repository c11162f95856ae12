import type { CartItem } from '../cart/cart-store.ts';
import { MAX_LINE_QUANTITY } from '../cart/cart-store.ts';
import type { OrderItemRequest } from './orders-api.ts';

/** `?buyNow=12:2`: SKU 12, quantity 2 (quantity 1 when left out), bypassing the cart. */
export const BUY_NOW_PARAM = 'buyNow';

export function buyNowPath(skuId: number, quantity: number): string {
  return `/checkout?${BUY_NOW_PARAM}=${skuId}:${quantity}`;
}

/**
 * `?reorder=<orderId>`: checkout of that order's lines (items, options, quantities) to its address,
 * read from the order itself, priced and stock-checked again by the server's quote and order.
 */
export const REORDER_PARAM = 'reorder';

export function reorderPath(orderId: string): string {
  return `/checkout?${REORDER_PARAM}=${encodeURIComponent(orderId)}`;
}

/** The buy-now item in the URL, or null when there is none or it is malformed. */
export function parseBuyNow(raw: string | null): OrderItemRequest | null {
  const match = raw ? /^(\d{1,15}):?(\d{1,4})?$/.exec(raw.trim()) : null;
  if (!match) return null;
  const skuId = Number(match[1]);
  const quantity = match[2] === undefined ? 1 : Number(match[2]);
  if (skuId < 1 || quantity < 1 || quantity > MAX_LINE_QUANTITY) return null;
  return { skuId, quantity };
}

/** What checkout shows of an item until the server's quote names and prices it. */
export type ItemPreview = Pick<CartItem, 'skuId' | 'name' | 'optionLabel' | 'unitPrice'>;

/**
 * The history state the product page leaves for buy now: checkout names the item from it before the
 * quote arrives, and keeps naming it when the quote is refused (a reload keeps the state).
 */
export function buyNowState(preview: ItemPreview): { buyNow: ItemPreview } {
  return { buyNow: preview };
}

/** The buy-now item's preview in a history entry's state, when it is there and for this SKU. */
export function buyNowPreview(state: unknown, skuId: number): ItemPreview | null {
  const preview: unknown = typeof state === 'object' && state !== null ? Reflect.get(state, 'buyNow') : null;
  if (typeof preview !== 'object' || preview === null) return null;
  const { skuId: id, name, optionLabel, unitPrice } = preview as Record<string, unknown>;
  if (id !== skuId || typeof name !== 'string' || typeof optionLabel !== 'string') return null;
  if (typeof unitPrice !== 'number' || !Number.isSafeInteger(unitPrice) || unitPrice < 0) return null;
  return { skuId, name, optionLabel, unitPrice };
}

export function cartOrderItems(items: readonly CartItem[]): OrderItemRequest[] {
  return items.map((item) => ({ skuId: item.skuId, quantity: item.quantity }));
}
