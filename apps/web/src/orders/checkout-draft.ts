import type { Session } from '../auth/session.ts';
import type { CartStore } from '../cart/cart-store.ts';
import { buyNowPath } from './checkout-items.ts';
import type { DeliveryFormValues } from './delivery-form.ts';
import type { Order, OrderItemRequest } from './orders-api.ts';

// What a checkout leaves behind when the shopper goes to the PG: the address typed and the cart lines
// ordered. A declined or abandoned payment comes back to a checkout that still has both; only a paid
// order takes its lines out of the cart.

export const CHECKOUT_DRAFT_KEY = 'sagamart.checkout';

export interface CheckoutDraft {
  delivery: DeliveryFormValues;
  /** The order placed with it, while its payment is open. */
  orderId: string | null;
  /** The cart lines that order took (none for buy-now). */
  skuIds: number[];
  /** The buy-now item (`?buyNow=`) that order was for, in no cart: the way back to checkout carries it. */
  buyNow?: OrderItemRequest | null;
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
 * Where "주문/결제로 돌아가기" goes after the payment of `orderId` did not go through: checkout with the
 * buy-now item again when that order was a buy-now (the item is in no cart, and a bare `/checkout`
 * would show an empty one), else the cart's checkout. Either way the draft's address is waiting there.
 */
export function checkoutRetryPath(orderId: string | null, store: DraftStorage | null = storage()): string {
  const draft = readCheckoutDraft(store);
  const buyNow = draft?.buyNow;
  if (!buyNow || (orderId !== null && draft.orderId !== orderId)) return '/checkout';
  return buyNowPath(buyNow.skuId, buyNow.quantity);
}

/** The order is paid: its lines leave the cart and the draft is done. Other orders change nothing. */
export function completeCheckout(orderId: string, cart: Pick<CartStore, 'remove'>, store = storage()): void {
  const draft = readCheckoutDraft(store);
  if (!draft || draft.orderId !== orderId) return;
  for (const skuId of draft.skuIds) cart.remove(skuId);
  store?.removeItem(CHECKOUT_DRAFT_KEY);
}

const PAID_OR_LATER = new Set<Order['status']>(['PAID', 'SHIPPING', 'DELIVERED', 'RETURNED']);

/**
 * Wherever the app learns that the draft's order is paid (or gone on since: shipping, delivered,
 * returned), its lines leave the cart and the draft is done, even if the shopper left the payment
 * result page before it saw PAID. Answers whether the order is past its payment.
 */
export function completePaidCheckout(
  order: Pick<Order, 'orderId' | 'status'>,
  cart: Pick<CartStore, 'remove'>,
  store = storage(),
): boolean {
  if (!PAID_OR_LATER.has(order.status)) return false;
  completeCheckout(order.orderId, cart, store);
  return true;
}

/**
 * The draft holds the receiver's name, phone and address: it goes when the signed-in user does
 * (logout, an ended session, another user), so the next person at this tab never sees it.
 */
export function forgetCheckoutWhenUserLeaves(
  session: Session,
  store: DraftStorage | null = storage(),
): () => void {
  let userId = session.getSnapshot().user?.id;
  return session.subscribe(() => {
    const next = session.getSnapshot().user?.id;
    const leaving = userId;
    userId = next;
    if (leaving && leaving !== next) store?.removeItem(CHECKOUT_DRAFT_KEY);
  });
}

function isDraft(value: unknown): value is CheckoutDraft {
  if (typeof value !== 'object' || value === null) return false;
  const draft = value as Record<string, unknown>;
  return (
    typeof draft.delivery === 'object' &&
    draft.delivery !== null &&
    (draft.orderId === null || typeof draft.orderId === 'string') &&
    Array.isArray(draft.skuIds) &&
    draft.skuIds.every((id) => typeof id === 'number') &&
    (draft.buyNow === undefined || draft.buyNow === null || isItem(draft.buyNow))
  );
}

function isItem(value: unknown): value is OrderItemRequest {
  if (typeof value !== 'object' || value === null) return false;
  const { skuId, quantity } = value as Record<string, unknown>;
  return Number.isSafeInteger(skuId) && Number.isSafeInteger(quantity);
}
