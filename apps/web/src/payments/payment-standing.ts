import type { PaymentStatus } from './payments-api.ts';

/** A payment's state as a reader sees it: its status, or how much of an approved one came back. */
export type PaymentStanding = PaymentStatus | 'PARTLY_REFUNDED';

/**
 * Returns refund an APPROVED payment through the PG in parts, and payment-service keeps it APPROVED
 * with the total given back in `refundedAmount`. To the reader a payment given back in full is
 * refunded, and one given back in part is partly refunded, not approved.
 */
export function paymentStanding(
  payment: { status: PaymentStatus; amount: number },
  refundedAmount: number,
): PaymentStanding {
  if (payment.status !== 'APPROVED' || refundedAmount <= 0) return payment.status;
  return refundedAmount >= payment.amount ? 'REFUNDED' : 'PARTLY_REFUNDED';
}
