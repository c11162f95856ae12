import type { PaymentView } from '@sagamart/contracts';
import type * as payments from '@sagamart/contracts/http/payments';
import { queryOptions } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api } from '../api/client.ts';
import { serverEnum } from '../api/server-enum.ts';

export type PaymentStatus = Static<typeof payments.PaymentStatusSchema>;
export const PAYMENT_STATUSES = serverEnum<PaymentStatus>()(['PENDING', 'APPROVED', 'FAILED', 'REFUNDED']);

/** A payment as payment-service shows it (confirm answers, the owner's and the admin's reads). */
export type Payment = PaymentView;

/** An order's payment state as payment-service knows it (from order events). */
export type OrderPayments = Static<typeof payments.OrderPaymentsSchema>;

/** What the PG's success redirect carries; the amount is checked by the server against the order. */
export type PaymentConfirmation = Static<typeof payments.ConfirmBody>;

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

/** Every cached read of my orders' payments (a notification about an order refreshes its entry). */
export const orderPaymentsQueryPrefix = ['payments', 'order'] as const;

/** My order's payments; polls while the latest payment is PENDING when `pollWhilePending`. */
export function orderPaymentsQuery(orderNumber: string, pollWhilePending = false) {
  return queryOptions({
    queryKey: [...orderPaymentsQueryPrefix, orderNumber],
    queryFn: ({ signal }) =>
      api.get<OrderPayments>(`/api/payments/orders/${encodeURIComponent(orderNumber)}`, { signal }),
    refetchInterval: (query) =>
      pollWhilePending && query.state.data?.payment?.status === 'PENDING' ? PAYMENT_POLL_MS : false,
  });
}
