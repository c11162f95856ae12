import type { Session } from '../auth/session.ts';
import type { CartItem, CartStore } from '../cart/cart-store.ts';
import { buyNowPath, reorderPath } from './checkout-items.ts';
import type { DeliveryFormValues } from './delivery-form.ts';
import type { Order, OrderItemRequest } from './orders-api.ts';

// What a checkout leaves behind when the shopper goes to the PG. In this tab (sessionStorage), the
// draft: the address typed and the order placed. In the browser (localStorage, like the cart itself,
// so every tab sees it), the cart orders: for each order placed from the cart, the cart units it
// took. A declined or abandoned payment comes back to a checkout that still has the address; only a
// paid order takes its units out of the cart, once, whichever tab or page sees it paid.

export const CHECKOUT_DRAFT_KEY = 'sagamart.checkout';

/** localStorage: the orders placed from this browser's cart whose payment no page has seen settle. */
export const CART_ORDERS_KEY = 'sagamart.cart.orders';

/** The most cart orders kept; the oldest go first (each is settled or cancelled within the day). */
const CART_ORDERS_MAX = 10;
/** A cart order no page has seen settle in this long is forgotten (its payment window is long shut). */
const CART_ORDER_TTL_MS = 2 * 24 * 60 * 60 * 1000;

export interface CheckoutDraft {
  delivery: DeliveryFormValues;
  /** The order placed with it, while its payment is open. */
  orderId: string | null;
  /** The buy-now item (`?buyNow=`) that order was for, in no cart: the way back to checkout carries it. */
  buyNow?: OrderItemRequest | null;
}

/** An order placed from the cart: the units of each cart line it took, until it is seen paid or cancelled. */
export interface CartOrder {
  orderId: string;
  lines: OrderItemRequest[];
  /** When it was placed (ms since the epoch). */
  placedAt: number;
}

export interface DraftStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function storage(): DraftStorage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

function browserStorage(): DraftStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function readCheckoutDraft(store: DraftStorage | null = storage()): CheckoutDraft | null {
  try {
    const value: unknown = JSON.parse(store?.getItem(CHECKOUT_DRAFT_KEY) ?? 'null');
    return isDraft(value) ? value : null;
  } catch {
    return null;
  }
}

export function saveCheckoutDraft(draft: CheckoutDraft, store: DraftStorage | null = storage()): void {
  try {
    store?.setItem(CHECKOUT_DRAFT_KEY, JSON.stringify(draft));
  } catch {
    // Storage full or blocked: the shopper retypes the address, nothing worse.
  }
}

/**
 * Where the way back to checkout goes after the payment of `orderId` did not go through: checkout of
 * that order's own lines and address (`?reorder=`), read from the order whatever this tab's storage
 * holds (the shopper may have paid from 주문 내역, or in another tab). Without an order: the draft's
 * buy-now item (in no cart), else the cart's checkout.
 */
export function checkoutRetryPath(orderId: string | null, store: DraftStorage | null = storage()): string {
  if (orderId !== null) return reorderPath(orderId);
  const buyNow = readCheckoutDraft(store)?.buyNow;
  return buyNow ? buyNowPath(buyNow.skuId, buyNow.quantity) : '/checkout';
}

/** The cart orders not yet seen settled, oldest first; ill-formed or expired entries are left out. */
export function readCartOrders(
  ledger: DraftStorage | null = browserStorage(),
  now = Date.now(),
): CartOrder[] {
  try {
    const value: unknown = JSON.parse(ledger?.getItem(CART_ORDERS_KEY) ?? '[]');
    if (!Array.isArray(value)) return [];
    return value.filter(
      (entry): entry is CartOrder => isCartOrder(entry) && now - entry.placedAt < CART_ORDER_TTL_MS,
    );
  } catch {
    return [];
  }
}

function writeCartOrders(orders: readonly CartOrder[], ledger: DraftStorage | null): void {
  try {
    if (orders.length > 0) ledger?.setItem(CART_ORDERS_KEY, JSON.stringify(orders.slice(-CART_ORDERS_MAX)));
    else ledger?.removeItem(CART_ORDERS_KEY);
  } catch {
    // Storage full or blocked: a paid order's lines stay in the cart for the shopper to remove.
  }
}

/** Checkout placed `orderId` taking `lines` (units) from the cart: a paid order takes them out. */
export function recordCartOrder(
  orderId: string,
  lines: readonly OrderItemRequest[],
  ledger: DraftStorage | null = browserStorage(),
  now = Date.now(),
): void {
  const taken = lines.filter((line) => line.quantity > 0).map(({ skuId, quantity }) => ({ skuId, quantity }));
  if (taken.length === 0) return;
  const others = readCartOrders(ledger, now).filter((entry) => entry.orderId !== orderId);
  writeCartOrders([...others, { orderId, lines: taken, placedAt: now }], ledger);
}

/** The order went nowhere (cancelled, or not this user's): it takes nothing out of the cart. */
export function forgetCartOrder(orderId: string, ledger: DraftStorage | null = browserStorage()): void {
  const orders = readCartOrders(ledger);
  const rest = orders.filter((entry) => entry.orderId !== orderId);
  if (rest.length !== orders.length) writeCartOrders(rest, ledger);
}

/**
 * The cart units an order of `items` takes: of each item, as many units as the cart holds of it (a
 * cart checkout takes its lines whole; an order again takes the cart's own units of the same lines).
 */
export function cartLinesTaken(
  items: readonly OrderItemRequest[],
  cartLines: readonly Pick<CartItem, 'skuId' | 'quantity'>[],
): OrderItemRequest[] {
  return items.flatMap((item) => {
    const held = cartLines.find((line) => line.skuId === item.skuId)?.quantity ?? 0;
    const quantity = Math.min(item.quantity, held);
    return quantity > 0 ? [{ skuId: item.skuId, quantity }] : [];
  });
}

type CartLines = Pick<CartStore, 'getSnapshot' | 'update'>;

/**
 * The order is paid: the cart units it took leave the cart (by SKU, up to the units bought: what was
 * added since stays), once, and this tab's draft of it is done. Other orders change nothing.
 */
export function completeCheckout(
  orderId: string,
  cart: CartLines,
  store = storage(),
  ledger = browserStorage(),
): void {
  const entry = readCartOrders(ledger).find((candidate) => candidate.orderId === orderId);
  if (entry) {
    // Forgotten first: however often (and wherever) the order is seen paid, its units leave once.
    forgetCartOrder(orderId, ledger);
    for (const line of entry.lines) {
      const held = cart.getSnapshot().items.find((item) => item.skuId === line.skuId);
      if (held) cart.update(line.skuId, held.quantity - line.quantity);
    }
  }
  if (readCheckoutDraft(store)?.orderId === orderId) store?.removeItem(CHECKOUT_DRAFT_KEY);
}

const PAID_OR_LATER = new Set<Order['status']>(['PAID', 'SHIPPING', 'DELIVERED', 'RETURNED']);

/**
 * Every tab's pages may see the same order paid at once (the notification reaches them all): the
 * cart's read and write happen under one lock where the browser has them.
 */
function underCartLock(work: () => void): void {
  const locks = typeof navigator === 'undefined' ? null : navigator.locks;
  if (!locks) {
    work();
    return;
  }
  void locks.request(CART_ORDERS_KEY, () => work()).catch(work);
}

/**
 * Wherever the app learns that an order is paid (or gone on since: shipping, delivered, returned),
 * the cart units it took leave the cart and this tab's draft of it is done, whichever tab or page
 * placed or paid it. A cancelled order takes nothing out and is forgotten. Answers whether the order
 * is past its payment.
 */
export function completePaidCheckout(
  order: Pick<Order, 'orderId' | 'status'>,
  cart: CartLines,
  store = storage(),
  ledger = browserStorage(),
): boolean {
  if (order.status === 'CANCELLED') forgetCartOrder(order.orderId, ledger);
  if (!PAID_OR_LATER.has(order.status)) return false;
  underCartLock(() => completeCheckout(order.orderId, cart, store, ledger));
  return true;
}

/**
 * The draft holds the receiver's name, phone and address: it goes when the signed-in user does
 * (logout, an ended session, another user), so the next person at this tab never sees it. The cart
 * orders go too: they are the leaving user's orders, which the next one cannot read.
 */
export function forgetCheckoutWhenUserLeaves(
  session: Session,
  store: DraftStorage | null = storage(),
  ledger: DraftStorage | null = browserStorage(),
): () => void {
  let userId = session.getSnapshot().user?.id;
  return session.subscribe(() => {
    const next = session.getSnapshot().user?.id;
    const leaving = userId;
    userId = next;
    if (leaving && leaving !== next) {
      store?.removeItem(CHECKOUT_DRAFT_KEY);
      ledger?.removeItem(CART_ORDERS_KEY);
    }
  });
}

function isDraft(value: unknown): value is CheckoutDraft {
  if (typeof value !== 'object' || value === null) return false;
  const draft = value as Record<string, unknown>;
  return (
    typeof draft.delivery === 'object' &&
    draft.delivery !== null &&
    (draft.orderId === null || typeof draft.orderId === 'string') &&
    (draft.buyNow === undefined || draft.buyNow === null || isItem(draft.buyNow))
  );
}

function isCartOrder(value: unknown): value is CartOrder {
  if (typeof value !== 'object' || value === null) return false;
  const { orderId, lines, placedAt } = value as Record<string, unknown>;
  return (
    typeof orderId === 'string' && typeof placedAt === 'number' && Array.isArray(lines) && lines.every(isItem)
  );
}

function isItem(value: unknown): value is OrderItemRequest {
  if (typeof value !== 'object' || value === null) return false;
  const { skuId, quantity } = value as Record<string, unknown>;
  return Number.isSafeInteger(skuId) && Number.isSafeInteger(quantity);
}
