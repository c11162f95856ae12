import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useSession } from '../auth/use-session.ts';
import { cart } from '../cart/cart-store.ts';
import { useLiveOrderUpdates } from '../notifications/NotificationCenter.tsx';
import { completePaidCheckout, readCheckoutDraft } from './checkout-draft.ts';
import { myOrderQuery, myOrderQueryKey, type Order } from './orders-api.ts';

/**
 * Without the notification socket (offline, reconnecting): how many times, a second apart, an order
 * still waiting for its payment is read again. order-service turns an approved payment into PAID
 * within moments; one never paid (the PG window closed) is not followed for longer.
 */
const UNPAID_POLLS = 30;

function isUnpaid(order: Order | undefined): boolean {
  return order?.status === 'PENDING' || order?.status === 'PAYMENT_PENDING';
}

/**
 * For every page with the cart in view: the order this tab's checkout placed (its draft), followed
 * until it is paid, then its lines leave the cart. A shopper may leave the payment result page at
 * once, by a full page load (the address bar, a bookmark) or by any link, before it saw the order
 * paid: the cart is right wherever they land. Asks nothing without a signed-in user or a draft order.
 */
export function usePaidCheckoutLeavesCart(): void {
  const { user } = useSession();
  // The draft as the page loaded: checkout, the one place that writes an order into it, leaves for
  // the PG by a full page load (or, paid in full, for the order page, which completes it itself).
  const [orderId] = useState(() => readCheckoutDraft()?.orderId ?? null);
  const following = user && orderId !== null ? orderId : null;
  const live = useLiveOrderUpdates(following === null ? null : myOrderQueryKey(following));
  const query = myOrderQuery(
    following ?? '',
    (current, answers) => !live && isUnpaid(current) && answers < UNPAID_POLLS,
  );
  const order = useQuery({ ...query, enabled: following === null ? false : query.enabled });
  const seen = order.data;
  useEffect(() => {
    if (seen) completePaidCheckout(seen, cart);
  }, [seen]);
}
