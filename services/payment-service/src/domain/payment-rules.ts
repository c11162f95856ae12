import { isPointChargeNumber, type PaymentStatus } from '@sagamart/contracts';
import type { KnownOrderStatus } from './known-order.ts';

// Payment rules: whether a confirm may charge, what a PG answer means for a payment, and how long
// to wait before asking the PG again.
//
//   PENDING ──approve──▶ APPROVED ──refund──▶ REFUNDED
//      └─────fail──────▶ FAILED
//
// A payment is created PENDING just before the PG is asked, so a crash or a PG outage leaves a
// record the reconciler settles later; FAILED is created directly for an amount mismatch.

export type ConfirmDecision =
  | { kind: 'charge' }
  | { kind: 'fail'; code: string; message: string }
  | { kind: 'refuse'; status: 409; code: string; message: string };

/** Decides a new confirm for an order (the caller has checked it exists and belongs to the shopper). */
export function decideConfirm(
  order: { status: KnownOrderStatus; payableAmount: number },
  payments: Array<{ status: PaymentStatus }>,
  amount: number,
): ConfirmDecision {
  if (order.status === 'CANCELLED') {
    return {
      kind: 'refuse',
      status: 409,
      code: 'ORDER_CANCELLED',
      message: 'This order was cancelled; nothing was charged',
    };
  }
  if (payments.some((p) => p.status === 'APPROVED' || p.status === 'REFUNDED')) {
    return { kind: 'refuse', status: 409, code: 'ALREADY_PAID', message: 'This order has already been paid' };
  }
  if (payments.some((p) => p.status === 'PENDING')) {
    return {
      kind: 'refuse',
      status: 409,
      code: 'PAYMENT_IN_PROGRESS',
      message: 'A payment for this order is in progress',
    };
  }
  if (amount !== order.payableAmount) {
    return {
      kind: 'fail',
      code: 'AMOUNT_MISMATCH',
      message: `The amount ${amount} does not match the order's payable amount ${order.payableAmount}`,
    };
  }
  return { kind: 'charge' };
}

export type PgPaymentStatus = 'READY' | 'IN_PROGRESS' | 'DONE' | 'ABORTED' | 'CANCELED' | 'PARTIAL_CANCELED';

/** What the PG said, reduced to what matters here. */
export type PgAnswer =
  | {
      kind: 'payment';
      status: PgPaymentStatus;
      method: string;
      approvedAt: string | null;
      failure: { code: string; message: string } | null;
    }
  /** The PG refused the request for good (4xx with a code): declined, unknown key, amount mismatch… */
  | { kind: 'rejected'; code: string; message: string }
  /** No answer we can act on: timeout, unreachable, circuit open, 5xx. Ask again later. */
  | { kind: 'unavailable'; reason: string };

/** Why a refund the PG was asked for is not done yet, for the log and the next attempt's record. */
export function refundNotDoneReason(answer: PgAnswer): string {
  if (answer.kind === 'payment') return `PG status ${answer.status}`;
  if (answer.kind === 'rejected') return `${answer.code}: ${answer.message}`;
  return answer.reason;
}

export type Settlement =
  | { kind: 'approve'; method: string; approvedAt: Date; refund: boolean }
  | { kind: 'fail'; code: string; message: string }
  | { kind: 'wait'; reason: string }
  /** The PG never received a confirm (READY): send it (idempotent by paymentKey). */
  | { kind: 'confirm' };

/**
 * What a PG answer (to a confirm or a lookup) means for a PENDING payment. A CANCELED payment at the
 * PG was approved and already refunded there: it is approved here and refunded (idempotently).
 */
export function settlementOf(answer: PgAnswer, now: Date): Settlement {
  switch (answer.kind) {
    case 'unavailable':
      return { kind: 'wait', reason: answer.reason };
    case 'rejected':
      return { kind: 'fail', code: answer.code, message: answer.message };
    case 'payment':
      switch (answer.status) {
        case 'DONE':
        case 'PARTIAL_CANCELED':
        case 'CANCELED':
          return {
            kind: 'approve',
            method: answer.method,
            approvedAt: answer.approvedAt ? new Date(answer.approvedAt) : now,
            refund: answer.status === 'CANCELED',
          };
        case 'ABORTED':
          return {
            kind: 'fail',
            code: answer.failure?.code ?? 'PAYMENT_ABORTED',
            message: answer.failure?.message ?? 'The PG aborted the payment',
          };
        case 'IN_PROGRESS':
          return { kind: 'wait', reason: 'the PG is still approving' };
        case 'READY':
          return { kind: 'confirm' };
      }
  }
}

/** Exponential backoff between PG checks: base × 2^(attempt − 1), at most max. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * Why an approval that came after its order or points charge was cancelled is refunded, in the
 * words the admin's payments page labels (`Order cancelled (PAYMENT_TIMEOUT)`, `Points charge …`).
 */
export function cancelledRefundReason(pgOrderNumber: string, cancelReason: string | null): string {
  const what = isPointChargeNumber(pgOrderNumber) ? 'Points charge' : 'Order';
  return `${what} cancelled (${cancelReason ?? 'at the PG'})`;
}
