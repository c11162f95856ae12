// The cart across logins. There is no cart service, so a user's cart is kept in this browser under a
// key of their own while they are signed out. The store in cart-store.ts stays "the cart in use":
// - at login (in the tab that logged in), the user's saved lines and the guest's lines are merged
//   into the cart in use, and the saved copy is dropped (the cart in use holds it now);
// - when the user leaves (logout, expired session, another user), their lines are saved under their
//   key and the cart in use is emptied, so the next visitor starts with an empty guest cart.
import type { Session } from '../auth/session.ts';
import {
  cart as browserCart,
  type CartItem,
  type CartStore,
  localStorageCartStorage,
  MAX_LINE_QUANTITY,
} from './cart-store.ts';

const USER_CART_KEY_PREFIX = 'sagamart.cart.user.';

/** localStorage key of a signed-out user's saved cart. */
export function userCartKey(userId: string): string {
  return `${USER_CART_KEY_PREFIX}${userId}`;
}

/** Current available stock by SKU id, for the SKUs it knows; missing SKUs are not capped. */
export type StockLookup = (productIds: number[]) => Promise<ReadonlyMap<number, number>>;

/**
 * The user's lines with the guest's merged in: the same SKU once, quantities added, and capped at
 * the SKU's stock where it is known. A line is never capped below one unit: a sold-out line stays
 * (shown as sold out) rather than silently vanishing. Guest details (name, price seen) win, being newer.
 */
export function mergeCartLines(
  userLines: readonly CartItem[],
  guestLines: readonly CartItem[],
  stockBySku: ReadonlyMap<number, number> = new Map(),
): CartItem[] {
  const merged = new Map<number, CartItem>();
  for (const line of [...userLines, ...guestLines]) {
    const existing = merged.get(line.skuId);
    merged.set(line.skuId, { ...line, quantity: (existing?.quantity ?? 0) + line.quantity });
  }
  return [...merged.values()].map((line) => {
    const stock = stockBySku.get(line.skuId);
    const cap = Math.min(
      MAX_LINE_QUANTITY,
      stock === undefined ? Number.POSITIVE_INFINITY : Math.max(1, stock),
    );
    return line.quantity > cap ? { ...line, quantity: cap } : line;
  });
}

export interface CartMergeOptions {
  store?: CartStore;
  lookupStock?: StockLookup;
}

/**
 * Call right after a login succeeds, in the tab that logged in: merges the guest cart (the cart in
 * use) into the user's saved cart and makes the result the cart in use. Stock lookups that fail
 * leave quantities uncapped; the merge itself never fails the login.
 */
export async function mergeGuestCartIntoUserCart(
  userId: string,
  { store = browserCart, lookupStock }: CartMergeOptions = {},
): Promise<readonly CartItem[]> {
  const saved = localStorageCartStorage(userCartKey(userId));
  const userLines = saved.read();
  const guestLines = store.getSnapshot().items;
  if (userLines.length === 0) return guestLines; // nothing saved: the guest's lines simply carry on

  const productIds = [...new Set([...userLines, ...guestLines].map((line) => line.productId))];
  const stock = lookupStock
    ? await lookupStock(productIds).catch(() => new Map<number, number>())
    : new Map();
  // Re-read the cart in use: the shopper may have changed it while the stock lookup ran.
  const merged = mergeCartLines(userLines, store.getSnapshot().items, stock);
  store.replace(merged);
  saved.write([]);
  return merged;
}

/**
 * Saves the cart in use under the user's key and empties it whenever the signed-in user goes away
 * (logout here or in another tab, an expired session, a different user). Returns an unsubscribe.
 */
export function saveCartWhenUserLeaves(session: Session, store: CartStore = browserCart): () => void {
  let userId = session.getSnapshot().user?.id;
  return session.subscribe(() => {
    const next = session.getSnapshot().user?.id;
    const leaving = userId;
    userId = next;
    if (!leaving || leaving === next) return;
    const items = store.getSnapshot().items;
    // Every open tab sees the logout; only lines are saved, so a tab that already sees the emptied
    // cart cannot overwrite the saved copy with nothing.
    if (items.length > 0) localStorageCartStorage(userCartKey(leaving)).write(items);
    store.clear();
  });
}
