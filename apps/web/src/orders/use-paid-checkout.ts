import { useQueries } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { isNotFoundError } from '../api/api-error.ts';
import { useSession } from '../auth/use-session.ts';
import { cart } from '../cart/cart-store.ts';
import { useLiveOrderUpdates } from '../notifications/NotificationCenter.tsx';
import {
  completePaidCheckout,
  forgetCartOrder,
  readCartOrders,
  readCheckoutDraft,
} from './checkout-draft.ts';
import { myOrderQuery, myOrderQueryKey, type Order } from './orders-api.ts';

/**
 * Without the notification socket (offline, reconnecting): how many times, a second apart, an order
 * still waiting for its payment is read again. order-service turns an approved payment into PAID
 * within moments; one never paid (the PG window closed) is not followed for longer.
 */
const UNPAID_POLLS = 30;

/** The most orders one page load follows: the latest placed (there is rarely more than one open). */
const FOLLOWED_MAX = 3;

function isUnpaid(order: Order | undefined): boolean {
  return order?.status === 'PENDING' || order?.status === 'PAYMENT_PENDING';
}

/** The orders to follow as the page loaded: this tab's draft's, and the cart's open orders, latest first. */
function openOrders(): string[] {
  const ids = [
    readCheckoutDraft()?.orderId,
    ...readCartOrders()
      .map((entry) => entry.orderId)
      .reverse(),
  ];
  return [...new Set(ids.filter((id): id is string => typeof id === 'string'))].slice(0, FOLLOWED_MAX);
}

/**
 * For every page with the cart in view: the orders placed from this browser's cart (and this tab's
 * checkout draft's), followed until they are paid, then the units they took leave the cart. The
 * shopper may have paid in another tab, later from 주문 내역, or left the payment result page at once
 * by a full page load (the address bar, a bookmark) before it saw the order paid: the cart is right
 * wherever they land. A cancelled order, or one this user cannot read, is forgotten. Asks nothing
 * without a signed-in user or an open order.
 */
export function usePaidCheckoutLeavesCart(): void {
  const { user } = useSession();
  // As the page loaded: checkout, the one place that places an order, leaves for the PG by a full
  // page load (or, paid in full, for the order page, which completes it itself).
  const [orderIds] = useState(openOrders);
  const following = user ? orderIds : [];
  const live = useLiveOrderUpdates(following[0] === undefined ? null : myOrderQueryKey(following[0]));
  const orders = useQueries({
    queries: following.map((orderId) =>
      myOrderQuery(orderId, (current, answers) => !live && isUnpaid(current) && answers < UNPAID_POLLS),
    ),
  });
  const seen = orders
    .map((order, index) => {
      const orderId = following[index]!;
      if (order.data) return `${orderId} ${order.data.status}`;
      return isNotFoundError(order.error) ? `${orderId} gone` : '';
    })
    .join('\n');
  useEffect(() => {
    for (const line of seen.split('\n')) {
      const [orderId, status] = line.split(' ');
      if (!orderId || !status) continue;
      if (status === 'gone') forgetCartOrder(orderId);
      else completePaidCheckout({ orderId, status: status as Order['status'] }, cart);
    }
  }, [seen]);
}
