import { queryOptions } from '@tanstack/react-query';
import { api } from '../api/client.ts';

export const PAYMENT_STATUSES = ['PENDING', 'APPROVED', 'FAILED', 'REFUNDED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** A payment as payment-service shows it (confirm answers, the owner's and the admin's reads). */
export interface Payment {
  paymentId: string;
  orderId: string;
  orderNumber: string;
  userId: string;
  /** The PG's key for this payment. */
  paymentKey: string;
  amount: number;
  status: PaymentStatus;
  method: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  /** A refund was asked for (order cancelled) and is being carried out. */
  refundRequested: boolean;
  refundReason: string | null;
  version: number;
  createdAt: string;
  approvedAt: string | null;
  failedAt: string | null;
  refundedAt: string | null;
}

/** An order's payment state as payment-service knows it (from order events). */
export interface OrderPayments {
  orderId: string;
  orderNumber: string;
  payableAmount: number;
  orderCancelled: boolean;
  cancelReason: string | null;
  /** The latest payment, if any. */
  payment: Payment | null;
  payments: Payment[];
}

/** What the PG's success redirect carries; the amount is checked by the server against the order. */
export interface PaymentConfirmation {
  orderNumber: string;
  paymentKey: string;
  amount: number;
}

/** How often the result page looks again at a payment the PG has not settled yet. */
export const PAYMENT_POLL_MS = 1_500;

/**
 * Confirms the PG payment, as a query: the server makes a repeated paymentKey answer with the same
 * payment and charge nothing, so running it again (a reload, React's strict-mode remount) is safe,
 * and the cache keeps one answer per paymentKey. 200 APPROVED/FAILED, or 202 PENDING (poll).
 */
export function paymentConfirmationQuery(confirmation: PaymentConfirmation) {
  return queryOptions({
    queryKey: ['payments', 'confirm', confirmation.paymentKey, confirmation],
    queryFn: () => api.post<Payment>('/api/payments/confirm', confirmation),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
    retry: false,
    refetchOnWindowFocus: false,
  });
}

/** My order's payments; polls while the latest payment is PENDING when `pollWhilePending`. */
export function orderPaymentsQuery(orderNumber: string, pollWhilePending = false) {
  return queryOptions({
    queryKey: ['payments', 'order', orderNumber],
    queryFn: ({ signal }) =>
      api.get<OrderPayments>(`/api/payments/orders/${encodeURIComponent(orderNumber)}`, { signal }),
    refetchInterval: (query) =>
      pollWhilePending && query.state.data?.payment?.status === 'PENDING' ? PAYMENT_POLL_MS : false,
  });
}
