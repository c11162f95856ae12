/**
 * The points ledger: every movement is a signed amount in won, recorded with the balance it left.
 * The balance can never go below zero (also enforced by a CHECK constraint).
 */
export const POINT_MOVEMENT_TYPES = ['CHARGE'] as const;
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

/** Why a top-up amount is refused, or undefined when it is fine. */
export function chargeProblem(amount: number, maxCharge: number): string | undefined {
  if (!Number.isSafeInteger(amount) || amount < 1)
    return 'The amount must be a positive whole number of won.';
  if (amount > maxCharge) return `The amount must be at most ${maxCharge} won.`;
  return undefined;
}
