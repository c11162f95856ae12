import { type Static, Type } from 'typebox';
import { defineEvent } from './define.ts';
import { OrderId, OrderNumber } from './ordering.ts';

// Shipping, purchase confirmation, returns and exchanges (shipping-service + mock-courier).
// See docs/events.md ("Shipping, returns and exchanges") for the state machines and the sequences.
//
// Ordering: no transport promises order, so every event carries the `version` of its aggregate (the
// shipment for `shipment.*`, the claim for `return.*` and `exchange.*`), growing by one with every
// change; a consumer keeps the highest version it applied and ignores anything not newer.
// Money is integer won; refunds are computed by shipping-service from the line shares of order.paid.

const Won = Type.Integer({ minimum: 0 });
const Version = Type.Integer({ minimum: 1 });
const Timestamp = Type.String({ format: 'date-time' });
const UserId = Type.String({ format: 'uuid' });
const Uuid = Type.String({ format: 'uuid' });
/** order-service's order line id (a bigint identity column). */
export const OrderItemId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const SkuId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const Quantity = Type.Integer({ minimum: 1, maximum: 10_000 });
const TrackingNumber = Type.String({ minLength: 1, maxLength: 40 });

/** READY (paid, waiting for or holding a waybill) → SHIPPING (in transit) → DELIVERED, or CANCELLED. */
export const SHIPMENT_STATUSES = ['READY', 'SHIPPING', 'DELIVERED', 'CANCELLED'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];
export const ShipmentStatus = Type.Enum(SHIPMENT_STATUSES);

/** A waybill's way at the courier, in order (CANCELLED, only from ACCEPTED, is outside it). */
export const COURIER_PROGRESSION = [
  'ACCEPTED',
  'PICKED_UP',
  'IN_TRANSIT',
  'AT_DESTINATION',
  'OUT_FOR_DELIVERY',
  'DELIVERED',
] as const;
/** The courier's own status of a waybill. */
export const COURIER_STATUSES = [...COURIER_PROGRESSION, 'CANCELLED'] as const;
export type CourierStatus = (typeof COURIER_STATUSES)[number];
export const CourierStatus = Type.Enum(COURIER_STATUSES);
/** A shipment's courier status: NOT_SENT until a waybill is issued, then the courier's. */
export const SHIPMENT_COURIER_STATUSES = ['NOT_SENT', ...COURIER_STATUSES] as const;
export type ShipmentCourierStatus = (typeof SHIPMENT_COURIER_STATUSES)[number];

/** ORIGINAL: the order's parcel; EXCHANGE: the new option sent for an exchange claim. */
export const SHIPMENT_KINDS = ['ORIGINAL', 'EXCHANGE'] as const;
export type ShipmentKind = (typeof SHIPMENT_KINDS)[number];
export const ShipmentKind = Type.Enum(SHIPMENT_KINDS);

export const CLAIM_TYPES = ['RETURN', 'EXCHANGE'] as const;
export type ClaimType = (typeof CLAIM_TYPES)[number];
export const ClaimType = Type.Enum(CLAIM_TYPES);

/** CHANGE_OF_MIND returns pay the return shipping fee (shipping.returnFee); the others are free. */
export const CLAIM_REASONS = ['CHANGE_OF_MIND', 'DEFECTIVE', 'WRONG_ITEM', 'DAMAGED_IN_TRANSIT'] as const;
export type ClaimReason = (typeof CLAIM_REASONS)[number];
export const ClaimReason = Type.Enum(CLAIM_REASONS);

/**
 * Return:   REQUESTED → APPROVED (pickup waybill issued) → COLLECTING (picked up) → COMPLETED (refunded).
 * Exchange: REQUESTED → APPROVED (new option reserved, pickup waybill) → COLLECTING → RESHIPPING
 *           (old option back in stock, the new one on its way) → EXCHANGED.
 * Both:     REQUESTED → REJECTED (with a reason). COMPLETED, EXCHANGED and REJECTED are final.
 *           APPROVED → REQUESTED when the courier cancels the pickup before collecting it.
 */
export const CLAIM_STATUSES = [
  'REQUESTED',
  'APPROVED',
  'COLLECTING',
  'RESHIPPING',
  'COMPLETED',
  'EXCHANGED',
  'REJECTED',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
export const ClaimStatus = Type.Enum(CLAIM_STATUSES);
export const FINAL_CLAIM_STATUSES: readonly ClaimStatus[] = ['COMPLETED', 'EXCHANGED', 'REJECTED'];

// ---- shipments ----

const shipmentRef = {
  shipmentId: Uuid,
  orderId: OrderId,
  orderNumber: OrderNumber,
  userId: UserId,
  kind: ShipmentKind,
  /** The exchange claim an EXCHANGE shipment sends the new option for; null for ORIGINAL. */
  claimId: Type.Union([Uuid, Type.Null()]),
  /** The shipment's version after this change. */
  version: Version,
};

/** A waybill was issued at the courier (the parcel waits for pickup). */
export const ShipmentDispatched = defineEvent(
  'shipment.dispatched',
  1,
  Type.Object(
    {
      ...shipmentRef,
      /** The courier's code (t_code), e.g. "99". */
      courier: Type.String({ minLength: 1, maxLength: 20 }),
      trackingNumber: TrackingNumber,
      dispatchedAt: Timestamp,
    },
    { additionalProperties: false },
  ),
);
export type ShipmentDispatchedPayload = Static<typeof ShipmentDispatched.schema>;

/** The courier reported IN_TRANSIT (or later, but not yet delivered): the shipment is SHIPPING. */
export const ShipmentInTransit = defineEvent(
  'shipment.in-transit',
  1,
  Type.Object(
    { ...shipmentRef, trackingNumber: TrackingNumber, at: Timestamp },
    { additionalProperties: false },
  ),
);
export type ShipmentInTransitPayload = Static<typeof ShipmentInTransit.schema>;

/** The courier delivered the parcel: the shipment is DELIVERED (the return window starts for ORIGINAL). */
export const ShipmentDelivered = defineEvent(
  'shipment.delivered',
  1,
  Type.Object(
    { ...shipmentRef, trackingNumber: TrackingNumber, deliveredAt: Timestamp },
    { additionalProperties: false },
  ),
);
export type ShipmentDeliveredPayload = Static<typeof ShipmentDelivered.schema>;

/** The shipment was cancelled before pickup (the order is being cancelled); any waybill was cancelled at the courier. */
export const ShipmentCancelled = defineEvent(
  'shipment.cancelled',
  1,
  Type.Object(
    {
      shipmentId: Uuid,
      orderId: OrderId,
      orderNumber: OrderNumber,
      userId: UserId,
      version: Version,
      cancelledAt: Timestamp,
    },
    { additionalProperties: false },
  ),
);
export type ShipmentCancelledPayload = Static<typeof ShipmentCancelled.schema>;

/**
 * 구매확정: the shopper confirmed the delivered order, or it confirmed itself shipping.autoConfirmDays
 * after delivery. Published once per order. `amountPaid` is what the PG kept (paid − refunded);
 * `pointsAwarded` is shipping.confirmPointsRate of it, rounded down (user-service credits it once).
 */
export const PurchaseConfirmed = defineEvent(
  'purchase.confirmed',
  1,
  Type.Object(
    {
      orderId: OrderId,
      orderNumber: OrderNumber,
      userId: UserId,
      amountPaid: Won,
      pointsAwarded: Won,
      auto: Type.Boolean(),
      confirmedAt: Timestamp,
    },
    { additionalProperties: false },
  ),
);
export type PurchaseConfirmedPayload = Static<typeof PurchaseConfirmed.schema>;

// ---- claims (returns and exchanges) ----

const claimRef = {
  claimId: Uuid,
  orderId: OrderId,
  orderNumber: OrderNumber,
  userId: UserId,
  /** The claim's version after this change (1 when requested). */
  version: Version,
};

const ReturnLine = Type.Object(
  { orderItemId: OrderItemId, skuId: SkuId, quantity: Quantity },
  { additionalProperties: false },
);
const ExchangeLine = Type.Object(
  { orderItemId: OrderItemId, skuId: SkuId, newSkuId: SkuId, quantity: Quantity },
  { additionalProperties: false },
);
const Detail = Type.Union([Type.String({ maxLength: 1000 }), Type.Null()]);

export const ReturnRequested = defineEvent(
  'return.requested',
  1,
  Type.Object(
    {
      ...claimRef,
      items: Type.Array(ReturnLine, { minItems: 1, maxItems: 100 }),
      reason: ClaimReason,
      detail: Detail,
      requestedAt: Timestamp,
    },
    { additionalProperties: false },
  ),
);
export type ReturnRequestedPayload = Static<typeof ReturnRequested.schema>;

export const ExchangeRequested = defineEvent(
  'exchange.requested',
  1,
  Type.Object(
    {
      ...claimRef,
      items: Type.Array(ExchangeLine, { minItems: 1, maxItems: 100 }),
      reason: ClaimReason,
      detail: Detail,
      requestedAt: Timestamp,
    },
    { additionalProperties: false },
  ),
);
export type ExchangeRequestedPayload = Static<typeof ExchangeRequested.schema>;

const approved = Type.Object(
  { ...claimRef, pickupTrackingNumber: TrackingNumber, approvedAt: Timestamp },
  { additionalProperties: false },
);
/** The admin approved; a pickup waybill was issued at the courier. */
export const ReturnApproved = defineEvent('return.approved', 1, approved);
export type ReturnApprovedPayload = Static<typeof ReturnApproved.schema>;
/** The admin approved; the new option is reserved (product-service, key claimId) and a pickup waybill issued. */
export const ExchangeApproved = defineEvent('exchange.approved', 1, approved);
export type ExchangeApprovedPayload = Static<typeof ExchangeApproved.schema>;

const rejected = Type.Object(
  { ...claimRef, rejectReason: Type.String({ minLength: 1, maxLength: 500 }), rejectedAt: Timestamp },
  { additionalProperties: false },
);
export const ReturnRejected = defineEvent('return.rejected', 1, rejected);
export type ReturnRejectedPayload = Static<typeof ReturnRejected.schema>;
export const ExchangeRejected = defineEvent('exchange.rejected', 1, rejected);
export type ExchangeRejectedPayload = Static<typeof ExchangeRejected.schema>;

const collecting = Type.Object(
  { ...claimRef, pickupTrackingNumber: TrackingNumber, pickedUpAt: Timestamp },
  { additionalProperties: false },
);
/** The courier picked the returned parcel up at the shopper's: the claim is COLLECTING. */
export const ReturnCollecting = defineEvent('return.collecting', 1, collecting);
export type ReturnCollectingPayload = Static<typeof ReturnCollecting.schema>;
export const ExchangeCollecting = defineEvent('exchange.collecting', 1, collecting);
export type ExchangeCollectingPayload = Static<typeof ExchangeCollecting.schema>;

const pickupCancelled = Type.Object(
  { ...claimRef, pickupTrackingNumber: TrackingNumber, cancelledAt: Timestamp },
  { additionalProperties: false },
);
/**
 * The courier cancelled the pickup before collecting anything: the claim is REQUESTED again, for the
 * admin to approve (a new pickup waybill) or reject. An exchange's new options stay reserved until then.
 */
export const ReturnPickupCancelled = defineEvent('return.pickup-cancelled', 1, pickupCancelled);
export type ReturnPickupCancelledPayload = Static<typeof ReturnPickupCancelled.schema>;
export const ExchangePickupCancelled = defineEvent('exchange.pickup-cancelled', 1, pickupCancelled);
export type ExchangePickupCancelledPayload = Static<typeof ExchangePickupCancelled.schema>;

/**
 * Why the shopper sent the units back (the claim's reason): product-service puts CHANGE_OF_MIND and
 * WRONG_ITEM units back on sale and holds DEFECTIVE and DAMAGED_IN_TRANSIT ones for inspection.
 * Optional only for the events published before shipping-service sent it: product-service holds
 * those units too (an admin releases a sound unit in one step; a broken one sold again reaches a shopper).
 */
const ReturnedReason = Type.Optional(ClaimReason);

/**
 * The returned parcel arrived: restock the items (product-service: RETURN moves for a sellable
 * `reason`, HOLD for inspection for DEFECTIVE and DAMAGED_IN_TRANSIT), refund
 * `refundAmount` through the PG as a partial cancel keyed by claimId (payment-service), give back
 * `pointsRefund` points (user-service, by claimId), and the coupon when `restoreCoupon`
 * (promotion-service). Per line: share × k ÷ n rounded down; the line's last unit takes the
 * remainder, so a whole order refunds exactly what was paid (less the fee).
 * `refundAmount` = Σ items.refundAmount − feeAmount (the fee never exceeds the lines' refund).
 */
export const ReturnCompleted = defineEvent(
  'return.completed',
  1,
  Type.Object(
    {
      ...claimRef,
      reason: ReturnedReason,
      items: Type.Array(
        Type.Object(
          {
            orderItemId: OrderItemId,
            skuId: SkuId,
            quantity: Quantity,
            /** This line's payable share for the units returned (before the fee). */
            refundAmount: Won,
            pointsRefund: Won,
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 100 },
      ),
      /** What the PG gives back: the lines' refund less the fee. */
      refundAmount: Won,
      pointsRefund: Won,
      /** The return shipping fee kept (CHANGE_OF_MIND), at most the lines' refund. */
      feeAmount: Won,
      /** The whole order has now been returned and it used a coupon: make the coupon usable again. */
      restoreCoupon: Type.Boolean(),
      couponId: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
      /** Every unit of every line has now been returned (this claim and earlier ones). */
      wholeOrder: Type.Boolean(),
      completedAt: Timestamp,
    },
    { additionalProperties: false },
  ),
);
export type ReturnCompletedPayload = Static<typeof ReturnCompleted.schema>;

/**
 * The old option arrived back: restock `skuId` (RETURN move, or HOLD for inspection as for a
 * return, by `reason`); the new option ships next.
 */
export const ExchangeCollected = defineEvent(
  'exchange.collected',
  1,
  Type.Object(
    {
      ...claimRef,
      reason: ReturnedReason,
      items: Type.Array(ExchangeLine, { minItems: 1, maxItems: 100 }),
      collectedAt: Timestamp,
    },
    { additionalProperties: false },
  ),
);
export type ExchangeCollectedPayload = Static<typeof ExchangeCollected.schema>;

/** The new option was delivered: the claim is EXCHANGED. */
export const ExchangeCompleted = defineEvent(
  'exchange.completed',
  1,
  Type.Object(
    { ...claimRef, trackingNumber: TrackingNumber, completedAt: Timestamp },
    { additionalProperties: false },
  ),
);
export type ExchangeCompletedPayload = Static<typeof ExchangeCompleted.schema>;

/** Everything shipping-service publishes. */
export const SHIPPING_EVENTS = [
  ShipmentDispatched,
  ShipmentInTransit,
  ShipmentDelivered,
  ShipmentCancelled,
  PurchaseConfirmed,
  ReturnRequested,
  ReturnApproved,
  ReturnRejected,
  ReturnCollecting,
  ReturnPickupCancelled,
  ReturnCompleted,
  ExchangeRequested,
  ExchangeApproved,
  ExchangeRejected,
  ExchangeCollecting,
  ExchangePickupCancelled,
  ExchangeCollected,
  ExchangeCompleted,
].map((e) => e.name);

// ---- shipping-service's internal HTTP API (never routed by the gateway) ----

/**
 * POST /internal/shipments/orders/{orderId}/cancel (order-service, before it cancels a paid order):
 * 200 {cancelled: true} when nothing was picked up (no shipment yet is remembered, so a later
 * order.paid creates none; an issued waybill is cancelled at the courier first), 409 problem with
 * type urn:sagamart:problem:picked-up once the courier has the parcel, 503 when the courier is down.
 */
export const ShipmentCancelAnswer = Type.Object({ cancelled: Type.Literal(true) });
export type ShipmentCancelAnswer = Static<typeof ShipmentCancelAnswer>;
export const PICKED_UP_PROBLEM = 'picked-up';
