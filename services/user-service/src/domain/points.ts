/**
 * The points ledger: every movement is a signed amount in won, recorded with the balance it left.
 * The balance can never go below zero (also enforced by a CHECK constraint).
 */
/**
 * CHARGE (+, a paid charge) and REFUND (−, a refunded one); RESERVE, COMMIT, RELEASE for orders;
 * RETURN (+, points paid for returned lines, keyed by the claim) and EARN (+, 구매확정, keyed by the order).
 */
export const POINT_MOVEMENT_TYPES = [
  'CHARGE',
  'REFUND',
  'RESERVE',
  'COMMIT',
  'RELEASE',
  'RETURN',
  'EARN',
] as const;
export type PointMovementType = (typeof POINT_MOVEMENT_TYPES)[number];

export class InsufficientPoints extends Error {
  override name = 'InsufficientPoints';
  constructor(
    readonly balance: number,
    readonly amount: number,
  ) {
    super(`Insufficient points: balance ${balance}, movement ${amount}`);
  }
}

/** The balance after a movement; throws when it would be negative. */
export function balanceAfter(balance: number, amount: number): number {
  if (!Number.isSafeInteger(amount) || amount === 0)
    throw new RangeError(`A movement must be a non-zero whole amount: ${amount}`);
  const next = balance + amount;
  if (next < 0) throw new InsufficientPoints(balance, amount);
  if (!Number.isSafeInteger(next)) throw new RangeError('Balance out of range');
  return next;
}

// ---- cash-backed points ----
//
// Points come from two sources: charges paid at the PG (CHARGE) and the shop's rewards (EARN, 구매확정).
// Only points paid for may go back to the card (a charge's refund), so beside its balance the account
// keeps `cashBacked`, the part of the balance paid for; the rest is earned. An order spends the
// earned points first: they are a reward with no money behind them, so the shopper's own money stays
// refundable as long as there is some, and spending a reward never blocks a refund. What an order
// took from the paid-for part goes back to it when the order is cancelled (RELEASE) or returned
// (RETURN, paid-for points first, never more than the order took from them); the rest comes back earned.

export interface PointsAccount {
  balance: number;
  /** The part of `balance` paid for through the PG: at most the balance. */
  cashBacked: number;
}

/**
 * The account as stored. A pod of the release before paid-for points knew only `balance`: while it
 * ran beside this one (a rolling update), its debits could leave `cash_backed` above the balance, so
 * the paid-for part is never more than the balance (the next movement stores it so). Its credits
 * count as earned: the safe side.
 */
export function storedAccount(row: { balance: number; cash_backed: number }): PointsAccount {
  return { balance: row.balance, cashBacked: Math.min(row.cash_backed, row.balance) };
}

/** The part of spending `amount` that comes from paid-for points: what the earned points do not cover. */
export function cashBackedSpend(account: PointsAccount, amount: number): number {
  const earned = account.balance - account.cashBacked;
  return Math.min(account.cashBacked, Math.max(0, amount - earned));
}

/**
 * The part of `points` given back for an order that is paid-for again, when `cashBackedSpent` of the
 * order's points (not given back yet) came from paid-for points.
 */
export function cashBackedReturn(points: number, cashBackedSpent: number): number {
  return Math.max(0, Math.min(points, cashBackedSpent));
}

/**
 * The account after a movement of `amount` (signed) of which `cashBacked` (signed alike, never more)
 * is paid-for points; throws InsufficientPoints when the balance would go negative.
 */
export function accountAfter(account: PointsAccount, amount: number, cashBacked: number): PointsAccount {
  const balance = balanceAfter(account.balance, amount);
  const paid = account.cashBacked + cashBacked;
  if (!Number.isSafeInteger(cashBacked) || paid < 0 || paid > balance)
    throw new RangeError(`Paid-for points out of range: ${paid} of a balance of ${balance}`);
  return { balance, cashBacked: paid };
}

/** The problem code of a charge above `points.maxCharge` (the answer names the limit as `maxCharge`). */
export const CHARGE_ABOVE_MAX = 'charge-above-max';

/** Why a top-up amount is refused, or undefined when it is fine. */
export function chargeProblem(amount: number, maxCharge: number): string | undefined {
  if (!Number.isSafeInteger(amount) || amount < 1)
    return 'The amount must be a positive whole number of won.';
  if (amount > maxCharge) return `The amount must be at most ${maxCharge} won.`;
  return undefined;
}

// ---- points reservations for the order saga (idempotent by order id) ----

export type PointsReservationState = 'RESERVED' | 'COMMITTED' | 'RELEASED';
export type ReservationAction = 'reserve' | 'commit' | 'release';

/**
 * What one saga call does to an order's reservation, given where it stands (undefined: nothing yet):
 * - `apply`: write the movement (reserve −amount, commit 0, release +amount);
 * - `tombstone`: a release before any reserve; remember it so a late reserve takes nothing;
 * - `same`: already there (a repeat, or a reserve that lost the race to its release): answer as is;
 * - `missing` / `conflict`: a commit of nothing, or of a released reservation.
 */
export type ReservationStep =
  | { kind: 'apply'; ledger: PointMovementType; sign: -1 | 0 | 1; next: PointsReservationState }
  | { kind: 'tombstone' | 'same' | 'missing' | 'conflict' };

export function reservationStep(
  current: PointsReservationState | undefined,
  action: ReservationAction,
): ReservationStep {
  switch (action) {
    case 'reserve':
      return current === undefined
        ? { kind: 'apply', ledger: 'RESERVE', sign: -1, next: 'RESERVED' }
        : { kind: 'same' };
    case 'commit':
      if (current === undefined) return { kind: 'missing' };
      if (current === 'RESERVED') return { kind: 'apply', ledger: 'COMMIT', sign: 0, next: 'COMMITTED' };
      return current === 'COMMITTED' ? { kind: 'same' } : { kind: 'conflict' };
    case 'release':
      if (current === undefined) return { kind: 'tombstone' };
      if (current === 'RELEASED') return { kind: 'same' };
      // Reserved points go back; so do committed ones (an order cancelled after payment).
      return { kind: 'apply', ledger: 'RELEASE', sign: 1, next: 'RELEASED' };
  }
}
