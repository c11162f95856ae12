// order-service's shapes come from its schemas, as types only: nothing of them reaches the bundle.
import type * as orders from '@sagamart/contracts/http/orders';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { isNotFoundError } from '../api/api-error.ts';
import { api } from '../api/client.ts';
import type { Page, PageRequest } from '../api/page.ts';
import { serverEnum } from '../api/server-enum.ts';

/**
 * PENDING (reserving stock, coupon, points) → PAYMENT_PENDING → PAID, and CANCELLED from any of them
 * (final). A free order (nothing left to pay) goes PENDING → PAID. Then SHIPPING → DELIVERED →
 * RETURNED (every unit returned).
 */
export type OrderStatus = Static<typeof orders.OrderStatusSchema>;
export const ORDER_STATUSES = serverEnum<OrderStatus>()([
  'PENDING',
  'PAYMENT_PENDING',
  'PAID',
  'SHIPPING',
  'DELIVERED',
  'RETURNED',
  'CANCELLED',
]);

export type OrderCancelReason = Static<typeof orders.CancelReasonSchema>;
export const ORDER_CANCEL_REASONS = serverEnum<OrderCancelReason>()([
  'OUT_OF_STOCK',
  'COUPON_UNAVAILABLE',
  'POINTS_INSUFFICIENT',
  'PAYMENT_FAILED',
  'PAYMENT_TIMEOUT',
  'USER_CANCELLED',
  'ADMIN_CANCELLED',
]);

export type OrderItemRequest = Static<typeof orders.RequestItem>;
export type Delivery = Static<typeof orders.Delivery>;
/** What the quote takes; amounts are the server's business (client amounts are ignored). */
export type QuoteRequest = Static<typeof orders.QuoteBody>;
export type PlaceOrderRequest = Static<typeof orders.PlaceOrderBody>;

/** `POST /api/orders/quote`: the server's totals for a prospective order (what placing it would charge). */
export type OrderQuote = Static<typeof orders.QuoteView>;
/** A priced line: prices are product-service's at the time of the quote. */
export type QuoteLine = OrderQuote['lines'][number];
export type PolicyDiscount = OrderQuote['policyDiscounts'][number];

export type OrderSummary = Static<typeof orders.OrderSummary>;
export type Order = Static<typeof orders.OrderDetail>;
/** A priced line of a placed order. */
export type OrderLine = Order['items'][number];
export type OrderDelivery = Order['delivery'];
export type OrderTimelineEntry = Order['timeline'][number];
/** A payment as order-service recorded it from payment-service's events. */
export type OrderPaymentEntry = Order['payments'][number];

export const MY_ORDERS_PAGE_SIZE = 10;
/** How often a page looks again at an order whose saga has not settled. */
export const ORDER_POLL_MS = 1_000;

export const myOrdersQueryPrefix = ['me', 'orders'] as const;

export function quoteQuery(request: QuoteRequest | null) {
  return queryOptions({
    queryKey: ['orders', 'quote', request],
    queryFn: ({ signal }) => api.post<OrderQuote>('/api/orders/quote', request, { signal }),
    enabled: request !== null && request.items.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 0,
    // A refused quote (out of stock, coupon unusable, too many points) is an answer, not a glitch.
    retry: false,
  });
}

/**
 * Places the order. The same Idempotency-Key always answers with the same order and reserves
 * nothing twice, so a retry after a lost answer is safe. The answer (201, or 202 while the saga is
 * still reserving) carries the order's status: PAYMENT_PENDING, PAID (free), CANCELLED with its
 * reason, or PENDING.
 */
export function placeOrder(request: PlaceOrderRequest, idempotencyKey: string): Promise<Order> {
  return api.post<Order>('/api/orders', request, { headers: { 'Idempotency-Key': idempotencyKey } });
}

export function myOrdersQuery(search: PageRequest & { status: OrderStatus | '' }) {
  return queryOptions({
    queryKey: [...myOrdersQueryPrefix, 'list', search],
    queryFn: ({ signal }) =>
      api.get<Page<OrderSummary>>('/api/orders', {
        query: { status: search.status, page: search.page, size: search.size },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

/**
 * One of my orders (someone else's is a 404). Polls while `poll` says the order may still change;
 * `answers` counts the answers so far, so a caller can stop after a while.
 */
export function myOrderQueryKey(orderId: string) {
  return [...myOrdersQueryPrefix, 'detail', orderId] as const;
}

export function myOrderQuery(orderId: string, poll?: (order: Order | undefined, answers: number) => boolean) {
  return queryOptions({
    queryKey: myOrderQueryKey(orderId),
    queryFn: ({ signal }) => api.get<Order>(`/api/orders/${encodeURIComponent(orderId)}`, { signal }),
    // An order is there from the moment it is placed: a 404 is final (a wrong link, someone else's
    // order). Not asked again, not even when the live connection (re)connects or a push comes in.
    enabled: (query) => !isNotFoundError(query.state.error),
    refetchInterval: (query) =>
      poll?.(query.state.data, query.state.dataUpdateCount) ? ORDER_POLL_MS : false,
  });
}

/** `unpaidOnly`: cancel only if not paid yet (an order approved meanwhile answers 409 order-paid, kept). */
export function cancelMyOrder(orderId: string, options: { unpaidOnly?: boolean } = {}): Promise<Order> {
  return api.post<Order>(
    `/api/orders/${encodeURIComponent(orderId)}/cancel`,
    undefined,
    options.unpaidOnly ? { query: { unpaidOnly: true } } : {},
  );
}

/** The saga has not finished reserving yet. */
export function isSettling(order: Pick<Order, 'status'> | undefined): boolean {
  return order?.status === 'PENDING';
}

/** "블랙 / M" for `{ 색상: '블랙', 사이즈: 'M' }`. */
export function optionLabel(options: Record<string, string>): string {
  return Object.values(options).join(' / ');
}
