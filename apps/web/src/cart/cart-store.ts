// The shopping cart, kept in localStorage so a guest's cart survives reloads and is shared by tabs.
// Prices here are for display only: what the shopper saw when adding, brought up to the catalog's
// current prices whenever the cart page is shown (cart-prices.ts). Checkout asks the server for a
// quote and the order is priced by the server.
//
// Merging into a signed-in user's cart is NOT done here. The extension point for it: at login, read
// `cart.getSnapshot().items`, merge them with the user's cart on the server, then call
// `cart.replace(merged)` (or `cart.clear()` once the server holds them). Everything that reads the cart
// goes through `CartStore`, so a server-backed implementation can take this one's place.

import { ORDER_LINE_MAX_QUANTITY, ORDER_MAX_ITEMS } from '@sagamart/contracts/rules';

/** localStorage key of the cart; other tabs watch it to stay in sync. */
export const CART_STORAGE_KEY = 'sagamart.cart';

/** Per line: the most one order line may hold. */
export const MAX_LINE_QUANTITY = ORDER_LINE_MAX_QUANTITY;

/** Distinct SKUs: the most one order may hold, so a full cart can still be checked out. */
export const MAX_CART_LINES = ORDER_MAX_ITEMS;

export interface CartItem {
  skuId: number;
  productId: number;
  name: string;
  /** The chosen options as shown to the shopper, e.g. "블랙 / M"; empty for a product without options. */
  optionLabel: string;
  /** Won, as displayed when added or when the cart page last read the catalog (the server prices the order). */
  unitPrice: number;
  quantity: number;
  imageUrl?: string;
}

/** A line's total in won, at the price the shopper saw (the order is priced by the server's quote). */
export function lineTotal(line: Pick<CartItem, 'unitPrice' | 'quantity'>): number {
  return line.unitPrice * line.quantity;
}

/** The cart's total in won, at the prices the shopper saw. */
export function cartTotal(items: readonly Pick<CartItem, 'unitPrice' | 'quantity'>[]): number {
  return items.reduce((sum, line) => sum + lineTotal(line), 0);
}

export interface CartSnapshot {
  items: readonly CartItem[];
  /** Total units across all lines. */
  itemCount: number;
}

export interface CartStore {
  /** The same object until the cart changes (for useSyncExternalStore). */
  getSnapshot(): CartSnapshot;
  subscribe(listener: () => void): () => void;
  /**
   * Adds a line, or adds to the quantity of the line with the same SKU (refreshing its details).
   * False when nothing was added: a new SKU while the cart holds MAX_CART_LINES lines already.
   */
  add(item: CartItem): boolean;
  /** Sets a line's quantity; 0 or less removes it. */
  update(skuId: number, quantity: number): void;
  remove(skuId: number): void;
  clear(): void;
  /** Replaces every line at once, e.g. with the result of merging into the user's server cart. */
  replace(items: readonly CartItem[]): void;
}

export interface CartStorage {
  read(): CartItem[];
  write(items: readonly CartItem[]): void;
  /** Calls back when ANOTHER tab changes the stored cart. Returns an unsubscribe function. */
  watch(listener: (items: CartItem[]) => void): () => void;
}

export function createCartStore(storage: CartStorage = localStorageCartStorage()): CartStore {
  let snapshot = toSnapshot(storage.read());
  const listeners = new Set<() => void>();

  function set(items: CartItem[], persist = true): void {
    snapshot = toSnapshot(items);
    if (persist) storage.write(snapshot.items);
    for (const listener of listeners) listener();
  }

  storage.watch((items) => set(items, false));

  return {
    getSnapshot: () => snapshot,

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    add(item) {
      const existing = snapshot.items.find((line) => line.skuId === item.skuId);
      const quantity = clampQuantity((existing?.quantity ?? 0) + item.quantity);
      if (quantity <= 0) return false;
      if (!existing && snapshot.items.length >= MAX_CART_LINES) return false;
      const line = { ...item, quantity };
      set(
        existing
          ? snapshot.items.map((current) => (current.skuId === item.skuId ? line : current))
          : [...snapshot.items, line],
      );
      return true;
    },

    update(skuId, quantity) {
      const next = clampQuantity(quantity);
      if (!snapshot.items.some((line) => line.skuId === skuId)) return;
      set(
        next <= 0
          ? snapshot.items.filter((line) => line.skuId !== skuId)
          : snapshot.items.map((line) => (line.skuId === skuId ? { ...line, quantity: next } : line)),
      );
    },

    remove(skuId) {
      if (!snapshot.items.some((line) => line.skuId === skuId)) return;
      set(snapshot.items.filter((line) => line.skuId !== skuId));
    },

    clear() {
      if (snapshot.items.length > 0) set([]);
    },

    replace(items) {
      set(sanitizeItems(items));
    },
  };
}

export function localStorageCartStorage(key = CART_STORAGE_KEY): CartStorage {
  return {
    read() {
      try {
        return parseItems(localStorage.getItem(key));
      } catch {
        return []; // storage disabled (privacy mode): an empty cart that lives in memory
      }
    },
    write(items) {
      try {
        if (items.length > 0) localStorage.setItem(key, JSON.stringify(items));
        else localStorage.removeItem(key);
      } catch {
        // Storage full or disabled: the cart still works in this tab, it just won't survive a reload.
      }
    },
    watch(listener) {
      if (typeof window === 'undefined') return () => {};
      const onStorage = (event: StorageEvent) => {
        if (event.key === key || event.key === null) listener(parseItems(event.newValue));
      };
      window.addEventListener('storage', onStorage);
      return () => window.removeEventListener('storage', onStorage);
    },
  };
}

export function memoryCartStorage(initial: CartItem[] = []): CartStorage {
  let items = initial;
  return {
    read: () => items,
    write: (next) => {
      items = [...next];
    },
    watch: () => () => {},
  };
}

/** The browser's cart. */
export const cart = createCartStore();

function toSnapshot(items: CartItem[]): CartSnapshot {
  return { items, itemCount: items.reduce((sum, line) => sum + line.quantity, 0) };
}

function clampQuantity(quantity: number): number {
  if (!Number.isFinite(quantity)) return 0;
  return Math.min(MAX_LINE_QUANTITY, Math.trunc(quantity));
}

function parseItems(raw: string | null): CartItem[] {
  if (!raw) return [];
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? sanitizeItems(value) : [];
  } catch {
    return []; // a corrupt entry counts as an empty cart
  }
}

/** Keeps well-formed lines only, one per SKU, with a quantity in range. */
function sanitizeItems(values: readonly unknown[]): CartItem[] {
  const bySku = new Map<number, CartItem>();
  for (const value of values) {
    if (!isCartItem(value) || bySku.has(value.skuId)) continue;
    const quantity = clampQuantity(value.quantity);
    if (quantity <= 0) continue;
    const item: CartItem = {
      skuId: value.skuId,
      productId: value.productId,
      name: value.name,
      optionLabel: value.optionLabel,
      unitPrice: value.unitPrice,
      quantity,
    };
    if (typeof value.imageUrl === 'string') item.imageUrl = value.imageUrl;
    bySku.set(item.skuId, item);
  }
  return [...bySku.values()];
}

function isCartItem(value: unknown): value is CartItem {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Record<string, unknown>;
  return (
    isPositiveInteger(item.skuId) &&
    isPositiveInteger(item.productId) &&
    typeof item.name === 'string' &&
    typeof item.optionLabel === 'string' &&
    typeof item.unitPrice === 'number' &&
    Number.isInteger(item.unitPrice) &&
    item.unitPrice >= 0 &&
    typeof item.quantity === 'number' &&
    (item.imageUrl === undefined || typeof item.imageUrl === 'string')
  );
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
