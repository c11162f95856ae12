import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { Page, PageRequest } from '../api/page.ts';

/**
 * PENDING (reserving stock, coupon, points) → PAYMENT_PENDING → PAID, and CANCELLED from any of them
 * (final). A free order (nothing left to pay) goes PENDING → PAID.
 */
export const ORDER_STATUSES = ['PENDING', 'PAYMENT_PENDING', 'PAID', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_CANCEL_REASONS = [
  'OUT_OF_STOCK',
  'COUPON_UNAVAILABLE',
  'POINTS_INSUFFICIENT',
  'PAYMENT_FAILED',
  'PAYMENT_TIMEOUT',
  'USER_CANCELLED',
  'ADMIN_CANCELLED',
] as const;
export type OrderCancelReason = (typeof ORDER_CANCEL_REASONS)[number];

export interface OrderItemRequest {
  skuId: number;
  quantity: number;
}

export interface Delivery {
  receiverName: string;
  receiverPhone: string;
  zipcode: string;
  address: string;
  addressDetail?: string | null;
  memo?: string | null;
}

export interface OrderDelivery {
  receiverName: string;
  receiverPhone: string;
  zipcode: string;
  address: string;
  addressDetail: string | null;
  memo: string | null;
}

/** What the quote and the order take; amounts are the server's business (client amounts are ignored). */
export interface QuoteRequest {
  items: OrderItemRequest[];
  couponId?: number;
  pointsToUse?: number;
}

export interface PlaceOrderRequest extends QuoteRequest {
  delivery: Delivery;
}

export interface PolicyDiscount {
  policyId: number;
  name: string;
  amount: number;
}

/** A priced line: prices are product-service's at the time of the quote or order. */
export interface OrderLine {
  skuId: number;
  productId: number;
  productName: string;
  skuCode: string;
  /** Option group name → value; empty for a product without options. */
  options: Record<string, string>;
  unitPrice: number;
  quantity: number;
  lineTotal: number;
  thumbnailUrl: string | null;
}

export interface QuoteLine extends OrderLine {
  /** What product-service reported; the reservation decides for real. */
  availableStock: number;
  inStock: boolean;
}

/** `POST /api/orders/quote`: the server's totals for a prospective order (what placing it would charge). */
export interface OrderQuote {
  lines: QuoteLine[];
  /** Σ unit price × quantity, before discounts. */
  subtotal: number;
  policyDiscounts: PolicyDiscount[];
  couponId: number | null;
  couponDiscount: number;
  /** Policy and coupon discounts together. */
  discountAmount: number;
  pointsBalance: number;
  /** min(balance, what is left after discounts). */
  maxUsablePoints: number;
  pointsUsed: number;
  /** subtotal − discountAmount − pointsUsed: what is paid through the PG. */
  payableAmount: number;
}

export interface OrderTimelineEntry {
  event: string;
  status: OrderStatus;
  note: string | null;
  at: string;
}

/** A payment as order-service recorded it from payment-service's events. */
export interface OrderPaymentEntry {
  paymentId: string;
  paymentKey: string;
  status: 'APPROVED' | 'FAILED' | 'REFUNDED';
  amount: number;
  method: string | null;
  code: string | null;
  message: string | null;
  approvedAt: string | null;
  failedAt: string | null;
  refundedAt: string | null;
}

export interface OrderSummary {
  orderId: string;
  orderNumber: string;
  status: OrderStatus;
  cancelReason: OrderCancelReason | null;
  /** "티셔츠 외 2건". */
  orderName: string;
  /** Lines. */
  itemCount: number;
  totalQuantity: number;
  thumbnailUrl: string | null;
  subtotal: number;
  discountAmount: number;
  pointsUsed: number;
  payableAmount: number;
  createdAt: string;
  updatedAt: string;
}

export interface Order extends OrderSummary {
  items: OrderLine[];
  policyDiscounts: PolicyDiscount[];
  policyDiscount: number;
  couponId: number | null;
  couponDiscount: number;
  delivery: OrderDelivery;
  placedAt: string | null;
  paidAt: string | null;
  cancelledAt: string | null;
  /** When an unpaid order will be cancelled (PAYMENT_PENDING only). */
  paymentDueAt: string | null;
  /** Whether it may be cancelled now (before shipping, not already cancelled). */
  cancellable: boolean;
  timeline: OrderTimelineEntry[];
  payments: OrderPaymentEntry[];
}

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
export function myOrderQuery(orderId: string, poll?: (order: Order | undefined, answers: number) => boolean) {
  return queryOptions({
    queryKey: [...myOrdersQueryPrefix, 'detail', orderId],
    queryFn: ({ signal }) => api.get<Order>(`/api/orders/${encodeURIComponent(orderId)}`, { signal }),
    refetchInterval: (query) =>
      poll?.(query.state.data, query.state.dataUpdateCount) ? ORDER_POLL_MS : false,
  });
}

export function cancelMyOrder(orderId: string): Promise<Order> {
  return api.post<Order>(`/api/orders/${encodeURIComponent(orderId)}/cancel`);
}

/** The saga has not finished reserving yet. */
export function isSettling(order: Pick<Order, 'status'> | undefined): boolean {
  return order?.status === 'PENDING';
}

/** "블랙 / M" for `{ 색상: '블랙', 사이즈: 'M' }`. */
export function optionLabel(options: Record<string, string>): string {
  return Object.values(options).join(' / ');
}

/** Shopper-facing reason an order was cancelled. */
export const CANCEL_REASON_MESSAGES: Record<OrderCancelReason, string> = {
  OUT_OF_STOCK: 'Some items are out of stock, so nothing was reserved.',
  COUPON_UNAVAILABLE: 'The coupon could not be used for this order.',
  POINTS_INSUFFICIENT: 'Your point balance is smaller than the points to use.',
  PAYMENT_FAILED: 'The payment failed, so the order was cancelled and everything released.',
  PAYMENT_TIMEOUT: 'The order was not paid in time, so it was cancelled and everything released.',
  USER_CANCELLED: 'You cancelled this order.',
  ADMIN_CANCELLED: 'The shop cancelled this order.',
};

export function cancelReasonMessage(reason: string | null): string {
  return (reason && CANCEL_REASON_MESSAGES[reason as OrderCancelReason]) || 'The order was cancelled.';
}
