import type { TestCard } from '@sagamart/contracts';

// The mock PG's payment, after Toss Payments: READY once the shopper submitted the checkout page,
// then the merchant's confirm decides by the test card:
//   approve → DONE, decline / insufficient → ABORTED (with a failure), slow → IN_PROGRESS, DONE later.
// A DONE payment can be cancelled (refunded) in full → CANCELED, or in part (a `cancelAmount` below
// the balance) → PARTIAL_CANCELED, and again until nothing is left (→ CANCELED). Confirm and cancel
// are idempotent: repeating them (a cancel: with the same Idempotency-Key) answers the same and
// changes nothing.

export type PgStatus = 'READY' | 'IN_PROGRESS' | 'DONE' | 'ABORTED' | 'CANCELED' | 'PARTIAL_CANCELED';

export interface PgFailure {
  code: string;
  message: string;
}

export type ConfirmEffect =
  | { status: 'DONE' }
  | { status: 'IN_PROGRESS' }
  | { status: 'ABORTED'; failure: PgFailure };

export const CARD_FAILURES: Record<'decline' | 'insufficient', PgFailure> = {
  decline: { code: 'REJECT_CARD_COMPANY', message: '카드사에서 결제를 거절했습니다.' },
  insufficient: { code: 'NOT_ENOUGH_BALANCE', message: '잔액이 부족합니다.' },
};

/** What the first confirm of a READY payment does, by its test card. */
export function confirmEffect(card: TestCard): ConfirmEffect {
  switch (card) {
    case 'approve':
      return { status: 'DONE' };
    case 'slow':
      return { status: 'IN_PROGRESS' };
    case 'decline':
    case 'insufficient':
      return { status: 'ABORTED', failure: CARD_FAILURES[card] };
  }
}

export interface ConfirmRequestCheck {
  payment: { orderNumber: string; amount: number };
  orderId: string;
  amount: number;
}

/** A confirm must name the payment's order and amount exactly (the PG never charges another amount). */
export function confirmRequestProblem(check: ConfirmRequestCheck): PgFailure | undefined {
  if (check.orderId !== check.payment.orderNumber) {
    return { code: 'INVALID_ORDER_ID', message: 'orderId does not match the payment' };
  }
  if (check.amount !== check.payment.amount) {
    return {
      code: 'INVALID_AMOUNT',
      message: `amount ${check.amount} does not match the payment amount ${check.payment.amount}`,
    };
  }
  return undefined;
}

export type CancelDecision =
  | { kind: 'cancel'; amount: number }
  | { kind: 'repeat' }
  | { kind: 'refuse'; failure: PgFailure };

/**
 * A cancel of `cancelAmount` (or of the whole balance when absent) from a DONE or PARTIAL_CANCELED
 * payment with `balance` left; a CANCELED payment answers again (nothing is left to give back).
 */
export function cancelDecision(
  status: PgStatus,
  balance: number,
  cancelAmount: number | undefined,
): CancelDecision {
  // Nothing left: a repeat of the cancel that emptied it (Toss answers the payment again).
  if (status === 'CANCELED') return { kind: 'repeat' };
  if (status !== 'DONE' && status !== 'PARTIAL_CANCELED') {
    return {
      kind: 'refuse',
      failure: { code: 'NOT_CANCELABLE_PAYMENT', message: `A ${status} payment cannot be cancelled` },
    };
  }
  const amount = cancelAmount ?? balance;
  if (amount > balance || amount <= 0) {
    return {
      kind: 'refuse',
      failure: {
        code: 'NOT_CANCELABLE_AMOUNT',
        message: `취소 가능한 금액을 초과했습니다. (cancel ${amount}, balance ${balance})`,
      },
    };
  }
  return { kind: 'cancel', amount };
}

/** A slow payment has finished when its settle time has come. */
export function isSettled(status: PgStatus, settlesAt: Date | null, now: Date): boolean {
  return status === 'IN_PROGRESS' && settlesAt !== null && settlesAt.getTime() <= now.getTime();
}

/** Only http(s) URLs may be redirected to (no javascript: or data: targets). */
export function isRedirectUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Appends query parameters to a merchant URL, keeping the ones it already has. */
export function withParams(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

export interface CheckoutRequest {
  orderNumber: string;
  amount: number;
  orderName: string;
  successUrl: string;
  failUrl: string;
}

/** Toss's orderId rule: 6–64 letters, digits, '-' or '_'. */
const ORDER_ID = /^[A-Za-z0-9_-]{6,64}$/;

/** Reads the checkout parameters (query or form), or says what is wrong with them. */
export function parseCheckout(
  input: Record<string, unknown>,
): { ok: true; request: CheckoutRequest } | { ok: false; message: string } {
  const text = (name: string) => (typeof input[name] === 'string' ? (input[name] as string).trim() : '');
  const orderNumber = text('orderNumber');
  const orderName = text('orderName');
  const amountText = text('amount');
  const successUrl = text('successUrl');
  const failUrl = text('failUrl');
  if (!ORDER_ID.test(orderNumber))
    return { ok: false, message: 'orderNumber must be 6–64 letters, digits, - or _' };
  if (!/^[1-9][0-9]{0,11}$/.test(amountText))
    return { ok: false, message: 'amount must be a positive whole number of won' };
  if (orderName.length < 1 || orderName.length > 100)
    return { ok: false, message: 'orderName must be 1–100 characters' };
  if (!isRedirectUrl(successUrl)) return { ok: false, message: 'successUrl must be an http(s) URL' };
  if (!isRedirectUrl(failUrl)) return { ok: false, message: 'failUrl must be an http(s) URL' };
  return { ok: true, request: { orderNumber, amount: Number(amountText), orderName, successUrl, failUrl } };
}
