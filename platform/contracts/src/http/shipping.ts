import { type Static, Type } from 'typebox';
import { Int32Id } from '../numbers.ts';
import {
  ClaimReason,
  ClaimStatus,
  ClaimType,
  CourierStatus,
  OrderItemId,
  SHIPMENT_COURIER_STATUSES,
  ShipmentKind,
  ShipmentStatus,
} from '../shipping.ts';

// shipping-service's public HTTP shapes (shopper and admin): its routes validate with them, the web
// imports their types. The shopper's routes under /api/orders/{id}/… reach shipping-service through
// the gateway (confirm, returns, exchanges, claims); the order itself stays order-service's.

const Won = Type.Integer({ minimum: 0 });
const Timestamp = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const ShipmentCourierStatus = Type.Enum(SHIPMENT_COURIER_STATUSES);

// ---- params and queries ----

/** An order: its id, or its number (ORD-yyyyMMdd-XXXXXXXX). */
export const ShippingOrderParams = Type.Object({
  orderId: Type.String({ minLength: 1, maxLength: 64, description: 'The order id, or its number' }),
});
/** /api/orders/{id}/… (the order routes' own parameter name). */
export const OrderClaimParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, description: 'The order id, or its number' }),
});
export const ClaimIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
/** /api/admin/shipping/{id}/…: a shipment. */
export const ShipmentIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const AdminShipmentsQuery = Type.Object({
  page: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
  size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  status: Type.Optional(ShipmentStatus),
  courierStatus: Type.Optional(ShipmentCourierStatus),
  kind: Type.Optional(ShipmentKind),
  orderNumber: Type.Optional(Type.String({ maxLength: 30, description: 'Whole number or a part of it' })),
  trackingNumber: Type.Optional(Type.String({ maxLength: 40 })),
});
export type AdminShipmentsQuery = Static<typeof AdminShipmentsQuery>;

export const AdminClaimsQuery = Type.Object({
  page: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
  size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  status: Type.Optional(ClaimStatus),
  orderNumber: Type.Optional(Type.String({ maxLength: 30, description: 'Whole number or a part of it' })),
});
export type AdminClaimsQuery = Static<typeof AdminClaimsQuery>;

// ---- requests ----

const ClaimQuantity = Type.Integer({ minimum: 1, maximum: 999 });
const ClaimDetail = Type.Optional(Nullable(Type.String({ maxLength: 1000 })));

/** POST /api/orders/{id}/returns */
export const ReturnRequestBody = Type.Object(
  {
    items: Type.Array(Type.Object({ orderItemId: OrderItemId, quantity: ClaimQuantity }), {
      minItems: 1,
      maxItems: 50,
    }),
    reason: ClaimReason,
    detail: ClaimDetail,
  },
  { additionalProperties: false },
);
export type ReturnRequestBody = Static<typeof ReturnRequestBody>;

/** POST /api/orders/{id}/exchanges: the same product in another option, at the same price. */
export const ExchangeRequestBody = Type.Object(
  {
    items: Type.Array(
      Type.Object({ orderItemId: OrderItemId, quantity: ClaimQuantity, newSkuId: Int32Id() }),
      { minItems: 1, maxItems: 50 },
    ),
    reason: ClaimReason,
    detail: ClaimDetail,
  },
  { additionalProperties: false },
);
export type ExchangeRequestBody = Static<typeof ExchangeRequestBody>;

/** POST /api/admin/shipping/{returns|exchanges}/{id}/reject: the reason the shopper sees. */
export const RejectClaimBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }) },
  { additionalProperties: false },
);
export type RejectClaimBody = Static<typeof RejectClaimBody>;

/** POST /api/admin/shipping/waybills: issue waybills for READY shipments (one or many). */
export const IssueWaybillsBody = Type.Object(
  { shipmentIds: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 100 }) },
  { additionalProperties: false },
);
export type IssueWaybillsBody = Static<typeof IssueWaybillsBody>;

// ---- answers ----

/** One courier event of a shipment's history, recorded once. */
export const TrackingEventView = Type.Object({
  status: CourierStatus,
  where: Type.String(),
  remark: Type.String(),
  at: Timestamp,
});
export type TrackingEventView = Static<typeof TrackingEventView>;

export const ShipmentView = Type.Object({
  id: Type.String(),
  orderId: Type.String(),
  orderNumber: Type.String(),
  kind: ShipmentKind,
  claimId: Nullable(Type.String()),
  status: ShipmentStatus,
  courierStatus: ShipmentCourierStatus,
  /** The courier's name as people read it (e.g. "사가택배"); null before a waybill exists. */
  courierName: Nullable(Type.String()),
  trackingNumber: Nullable(Type.String()),
  receiverName: Type.String(),
  /** A short label of what is in the parcel, e.g. "티셔츠 외 1건". */
  goodsName: Type.String(),
  history: Type.Array(TrackingEventView),
  createdAt: Timestamp,
  dispatchedAt: Nullable(Timestamp),
  deliveredAt: Nullable(Timestamp),
  cancelledAt: Nullable(Timestamp),
});
export type ShipmentView = Static<typeof ShipmentView>;

/** GET /api/shipping/orders/{orderId}: the original shipment, then any exchange re-ship. */
export const OrderShippingView = Type.Object({
  orderId: Type.String(),
  orderNumber: Type.String(),
  shipments: Type.Array(ShipmentView),
  deliveredAt: Nullable(Timestamp),
  /** 구매확정 time; null until confirmed. */
  confirmedAt: Nullable(Timestamp),
  autoConfirmed: Type.Boolean(),
  /** The shopper may confirm now (delivered, not confirmed, no open claim). */
  confirmable: Type.Boolean(),
  /** Returns and exchanges may be requested until then (null before delivery or after confirmation). */
  claimableUntil: Nullable(Timestamp),
});
export type OrderShippingView = Static<typeof OrderShippingView>;

export const ClaimItemView = Type.Object({
  orderItemId: Type.Integer(),
  skuId: Type.Integer(),
  /** The option sent instead (exchanges). */
  newSkuId: Nullable(Type.Integer()),
  productName: Type.String(),
  optionLabel: Type.String(),
  quantity: Type.Integer(),
  /** This line's PG refund for the units returned (before the fee); 0 for exchanges. */
  refundAmount: Won,
  pointsRefund: Won,
});
export type ClaimItemView = Static<typeof ClaimItemView>;

export const ClaimView = Type.Object({
  id: Type.String(),
  orderId: Type.String(),
  orderNumber: Type.String(),
  type: ClaimType,
  status: ClaimStatus,
  reason: ClaimReason,
  detail: Nullable(Type.String()),
  items: Type.Array(ClaimItemView),
  /** What the PG refunds (lines less the fee): an estimate until COMPLETED; 0 for exchanges. */
  refundAmount: Won,
  pointsRefund: Won,
  feeAmount: Won,
  /** The latest pickup waybill (a cancelled one until the claim is approved again). */
  pickupTrackingNumber: Nullable(Type.String()),
  pickupCourierStatus: Nullable(CourierStatus),
  /** When the courier last cancelled the pickup; the claim went back to REQUESTED then. */
  pickupCancelledAt: Nullable(Timestamp),
  /** The exchange re-ship's waybill. */
  reshipTrackingNumber: Nullable(Type.String()),
  rejectReason: Nullable(Type.String()),
  createdAt: Timestamp,
  approvedAt: Nullable(Timestamp),
  rejectedAt: Nullable(Timestamp),
  collectedAt: Nullable(Timestamp),
  completedAt: Nullable(Timestamp),
});
export type ClaimView = Static<typeof ClaimView>;

/** GET /api/orders/{id}/claims: newest first. */
export const OrderClaimsView = Type.Object({
  orderId: Type.String(),
  orderNumber: Type.String(),
  claims: Type.Array(ClaimView),
});
export type OrderClaimsView = Static<typeof OrderClaimsView>;

/** An admin's queue row: the claim with its shopper. */
export const AdminClaimView = Type.Object({
  ...ClaimView.properties,
  userId: Type.String(),
  /**
   * The courier is already collecting a pickup booked for this claim by an approval whose answer was
   * lost, so it could not be cancelled (by a reject or the pickup sweep): its waybill, the courier's
   * status then, and when. Approving adopts it. Null otherwise.
   */
  pickupUnderWay: Nullable(
    Type.Object({ trackingNumber: Type.String(), courierStatus: Nullable(CourierStatus), seenAt: Timestamp }),
  ),
});
export type AdminClaimView = Static<typeof AdminClaimView>;

export const AdminShipmentView = Type.Object({
  ...ShipmentView.properties,
  userId: Type.String(),
  receiverPhone: Type.String(),
  address: Type.String(),
  /**
   * The courier refused this parcel for good (a 4xx but 408 and 429: e.g. an address it does not
   * take), with its code and message; or, code `STOCK_REFUSED`, product-service refused for good to
   * sell the stock of an exchange's parcel, with its message. The dispatcher leaves it until an admin
   * issues its waybill again. Null otherwise.
   */
  dispatchFailure: Nullable(
    Type.Object({ code: Type.String(), message: Type.String(), failedAt: Timestamp }),
  ),
  /**
   * The courier said it does not know this parcel's waybill (`NOT_FOUND_WAYBILL`), with its code and
   * message, since `failedAt`: the waybill is asked about again only every
   * shipping.tracking.refusedRecheckMs (a poll that succeeds clears this), or at once by
   * POST /api/admin/shipping/{id}/tracking/resume. A refusal of the whole request (our account key or
   * courier code) marks nothing. Null otherwise.
   */
  trackingFailure: Nullable(
    Type.Object({ code: Type.String(), message: Type.String(), failedAt: Timestamp }),
  ),
});
export type AdminShipmentView = Static<typeof AdminShipmentView>;

/** POST /api/orders/{id}/confirm answer. */
export const PurchaseConfirmationView = Type.Object({
  orderId: Type.String(),
  orderNumber: Type.String(),
  confirmedAt: Timestamp,
  auto: Type.Boolean(),
  amountPaid: Won,
  pointsAwarded: Won,
});
export type PurchaseConfirmationView = Static<typeof PurchaseConfirmationView>;

/** POST /api/admin/shipping/waybills answer: one result per shipment id, in order. */
export const IssueWaybillsResult = Type.Object({
  results: Type.Array(
    Type.Object({
      shipmentId: Type.String(),
      trackingNumber: Nullable(Type.String()),
      /**
       * Why no waybill: NOT_FOUND, NOT_READY (already issued, cancelled), UNAVAILABLE (the courier or
       * product-service cannot be reached), STOCK_REFUSED (product-service refused to sell an
       * exchange's stock), EXCHANGE_OUT_OF_STOCK (an exchange's options could not be reserved again:
       * sold out or no longer on sale), or the courier's code. The message may name internal ids: a
       * page shows the code in words.
       */
      error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
    }),
  ),
  summary: Type.Object({ total: Type.Integer(), issued: Type.Integer(), failed: Type.Integer() }),
});
export type IssueWaybillsResult = Static<typeof IssueWaybillsResult>;
