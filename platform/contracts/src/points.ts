import { type Static, Type } from 'typebox';
import { defineEvent } from './define.ts';
import { POINT_CHARGE_NUMBER_PATTERN_SOURCE } from './ordering.ts';

// Points charges (포인트 충전): points are bought through the PG like an order. user-service creates a
// charge with its own PG order number (PNT-yyyyMMdd-XXXXXXXX) and announces it; payment-service keeps
// it as something it may be asked to charge, and the shopper pays it through the same hosted checkout
// and the same confirm (with its amount check) as an order. user-service credits the points on
// payment.approved (once, by charge id), and on a refund asks payment-service to refund the payment.
//
//   PENDING ──payment.approved──▶ PAID ──refund asked (points debited)──▶ REFUND_REQUESTED ──payment.refunded──▶ REFUNDED
//      ├──payment.failed──▶ FAILED   (final: a late approval is refunded by payment-service)
//      ├──not paid within points.chargeTimeoutSeconds──▶ EXPIRED   (final, likewise)
//      └──the shopper cancelled it (closed the PG window)──▶ CANCELLED   (final, likewise)

export const POINT_CHARGE_STATUSES = [
  'PENDING',
  'PAID',
  'FAILED',
  'EXPIRED',
  'CANCELLED',
  'REFUND_REQUESTED',
  'REFUNDED',
] as const;
export type PointChargeStatus = (typeof POINT_CHARGE_STATUSES)[number];

export const PointChargeNumber = Type.String({ pattern: POINT_CHARGE_NUMBER_PATTERN_SOURCE });

const chargeRef = {
  /** Also the `orderId` of the charge's payments. */
  chargeId: Type.String({ format: 'uuid' }),
  chargeNumber: PointChargeNumber,
  userId: Type.String({ format: 'uuid' }),
  /** Won paid through the PG = points credited. */
  amount: Type.Integer({ minimum: 1 }),
  /** The charge's version after this change (1 when created, +1 per status change). */
  version: Type.Integer({ minimum: 1 }),
};

/** A charge was created and waits for payment: payment-service accepts exactly `amount` for it. */
export const PointChargeRequested = defineEvent(
  'point.charge.requested',
  1,
  Type.Object(
    {
      ...chargeRef,
      /** The PG window's label, e.g. "포인트 10,000원 충전". */
      orderName: Type.String({ minLength: 1, maxLength: 100 }),
      requestedAt: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
);
export type PointChargeRequestedPayload = Static<typeof PointChargeRequested.schema>;

/**
 * The charge can no longer be paid: its payment failed, it was not paid in time, the shopper cancelled
 * it unpaid (USER_CANCELLED), or the shopper asked for a refund (the points are already debited).
 * payment-service refuses further confirms and refunds any approved payment.
 */
export const PointChargeCancelled = defineEvent(
  'point.charge.cancelled',
  1,
  Type.Object(
    {
      ...chargeRef,
      reason: Type.Enum(['PAYMENT_FAILED', 'PAYMENT_TIMEOUT', 'USER_CANCELLED', 'REFUND_REQUESTED']),
      cancelledAt: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
);
export type PointChargeCancelledPayload = Static<typeof PointChargeCancelled.schema>;
