import type { CouponReservationState, CouponUnavailableReason, UserCouponStatus } from '@sagamart/contracts';
import type { PromotionStatus } from './discount-rules.ts';

// The life of a user's coupon and of the per-order reservation that moves it.
//
//   ISSUED ──reserve──▶ RESERVED ──commit──▶ USED ──release──▶ RESTORED ──reserve──▶ RESERVED …
//      ▲                   │
//      └─────release───────┘
//
// RESTORED (given back after a paid order was cancelled) is usable again, exactly like ISSUED.
// EXPIRED is not stored: a usable coupon past its validTo is shown as EXPIRED.

export type CouponDisplayStatus = UserCouponStatus | 'EXPIRED';
export type CouponStep = 'reserve' | 'commit' | 'release';

export function isUsable(status: UserCouponStatus): boolean {
  return status === 'ISSUED' || status === 'RESTORED';
}

/** The status a shopper sees: EXPIRED for a usable coupon past its validity. */
export function displayStatus(status: UserCouponStatus, validTo: Date, now: Date): CouponDisplayStatus {
  return isUsable(status) && now.getTime() > validTo.getTime() ? 'EXPIRED' : status;
}

export type CouponTransition = { ok: true; to: UserCouponStatus } | { ok: false; message: string };

/** The user coupon's next status for a step, or why the step is not allowed from here. */
export function nextCouponStatus(from: UserCouponStatus, step: CouponStep): CouponTransition {
  switch (step) {
    case 'reserve':
      return isUsable(from)
        ? { ok: true, to: 'RESERVED' }
        : { ok: false, message: `a ${from} coupon cannot be reserved` };
    case 'commit':
      return from === 'RESERVED'
        ? { ok: true, to: 'USED' }
        : { ok: false, message: `a ${from} coupon cannot be used` };
    case 'release':
      if (from === 'RESERVED') return { ok: true, to: 'ISSUED' };
      if (from === 'USED') return { ok: true, to: 'RESTORED' };
      return { ok: false, message: `a ${from} coupon cannot be released` };
  }
}

export interface CouponFacts {
  status: PromotionStatus;
  validFrom: Date;
  validTo: Date;
  minOrderAmount: number;
}

/**
 * Why a user may not use a coupon now, or undefined when they may. `heldByOrder`: the coupon is
 * RESERVED for the order being priced, which does not make it unavailable to that order.
 */
export function couponUnavailability(
  coupon: CouponFacts,
  userCoupon: { status: UserCouponStatus; orderId: string | null } | undefined,
  now: Date,
  options: { orderAmount?: number; orderId?: string | undefined } = {},
): CouponUnavailableReason | undefined {
  if (!userCoupon) return 'NOT_OWNED';
  const heldByOrder =
    userCoupon.status === 'RESERVED' &&
    options.orderId !== undefined &&
    userCoupon.orderId === options.orderId;
  if (!heldByOrder) {
    if (userCoupon.status === 'USED') return 'USED';
    if (userCoupon.status === 'RESERVED') return 'RESERVED';
  }
  if (coupon.status !== 'ACTIVE') return 'INACTIVE';
  if (now.getTime() < coupon.validFrom.getTime()) return 'NOT_YET_VALID';
  if (now.getTime() > coupon.validTo.getTime()) return 'EXPIRED';
  if (options.orderAmount !== undefined && options.orderAmount < coupon.minOrderAmount)
    return 'MIN_ORDER_AMOUNT';
  return undefined;
}

export const UNAVAILABLE_MESSAGES: Record<CouponUnavailableReason, string> = {
  NOT_OWNED: 'You do not hold this coupon',
  INACTIVE: 'This coupon has been deactivated',
  NOT_YET_VALID: 'This coupon is not valid yet',
  EXPIRED: 'This coupon has expired',
  RESERVED: 'This coupon is held by another order',
  USED: 'This coupon has already been used',
  MIN_ORDER_AMOUNT: 'The order does not reach the minimum amount for this coupon',
};

/** What a reservation step does, given the order's reservation (if any). */
export type ReservationStep =
  | { kind: 'apply'; next: CouponReservationState; couponStep: CouponStep | null }
  /** Already done: answer with the reservation as it is (idempotent repeat). */
  | { kind: 'repeat' }
  | { kind: 'missing' }
  | { kind: 'conflict'; message: string };

/**
 * The reservation of one order: RESERVED → COMMITTED → RELEASED, or RESERVED → RELEASED. Every step is
 * idempotent: repeating it answers the same. A release before any reservation leaves a RELEASED
 * tombstone so that a late reserve (a request overtaken by its own compensation) reserves nothing.
 */
export function reservationStep(
  current: CouponReservationState | undefined,
  step: CouponStep,
): ReservationStep {
  switch (step) {
    case 'reserve':
      return current === undefined
        ? { kind: 'apply', next: 'RESERVED', couponStep: 'reserve' }
        : { kind: 'repeat' };
    case 'commit':
      if (current === undefined) return { kind: 'missing' };
      if (current === 'RESERVED') return { kind: 'apply', next: 'COMMITTED', couponStep: 'commit' };
      if (current === 'COMMITTED') return { kind: 'repeat' };
      return { kind: 'conflict', message: 'The reservation was released; it cannot be committed' };
    case 'release':
      if (current === undefined) return { kind: 'apply', next: 'RELEASED', couponStep: null };
      if (current === 'RELEASED') return { kind: 'repeat' };
      return { kind: 'apply', next: 'RELEASED', couponStep: 'release' };
  }
}
