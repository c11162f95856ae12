import { type Static, Type } from 'typebox';
import { defineEvent } from './define.ts';
import { Int32Id } from './numbers.ts';

// Ordering: the order saga (order-service), payments (payment-service + mock PG) and the promotion
// quote and coupon reservations (promotion-service). See docs/adr/0004-order-saga.md.
//
// Money is integer won. Every event names the order by both `orderId` (the saga's key, also the key
// of every reservation) and `orderNumber` (what people and the PG see: ORD-yyyyMMdd-XXXXXXXX).
// Ordering: no transport promises order, so events carry a `version` that grows with every state
// change of their aggregate (the order for `order.*`, the payment for `payment.*`); a consumer keeps
// the highest version it applied and ignores anything not newer. Each service publishes only its own
// state changes and never re-announces an event it consumed, so events cannot cycle.

const Won = Type.Integer({ minimum: 0 });
const Version = Type.Integer({ minimum: 1 });
const Timestamp = Type.String({ format: 'date-time' });
const UserId = Type.String({ format: 'uuid' });

/** The saga key; an opaque string chosen by order-service (same limits as the stock reservation). */
export const OrderId = Type.String({ minLength: 1, maxLength: 64 });
export const ORDER_NUMBER_PATTERN_SOURCE = '^ORD-[0-9]{8}-[0-9A-Z]{8}$';
export const ORDER_NUMBER_PATTERN = new RegExp(ORDER_NUMBER_PATTERN_SOURCE);
/** ORD-yyyyMMdd-XXXXXXXX (X: digits and upper-case letters). */
export const OrderNumber = Type.String({ pattern: ORDER_NUMBER_PATTERN_SOURCE });

/** A points charge's PG order number: PNT-yyyyMMdd-XXXXXXXX, paid like an order (see points.ts). */
export const POINT_CHARGE_NUMBER_PATTERN_SOURCE = '^PNT-[0-9]{8}-[0-9A-Z]{8}$';
/** What the PG and payment-service charge for: an order or a points charge. */
export const PgOrderNumber = Type.String({ pattern: '^(ORD|PNT)-[0-9]{8}-[0-9A-Z]{8}$' });
export const isPointChargeNumber = (pgOrderNumber: string) => pgOrderNumber.startsWith('PNT-');

const PG_ORDER_NUMBER_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const SEOUL_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Seoul',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** yyyyMMdd of the instant in Asia/Seoul (the shop's calendar, whatever the server's zone). */
export function seoulDate(at: Date): string {
  return SEOUL_DATE.format(at).replaceAll('-', '');
}

/**
 * ORD- or PNT-yyyyMMdd-XXXXXXXX: the Seoul date and 8 random digits or upper-case letters (36⁸ per
 * day). `pick(bound)` is a random integer below bound (node:crypto's randomInt on servers).
 */
export function pgOrderNumber(kind: 'ORD' | 'PNT', at: Date, pick: (bound: number) => number): string {
  let suffix = '';
  for (let i = 0; i < 8; i++) suffix += PG_ORDER_NUMBER_ALPHABET[pick(PG_ORDER_NUMBER_ALPHABET.length)];
  return `${kind}-${seoulDate(at)}-${suffix}`;
}

/** Why an order ended CANCELLED. */
export const ORDER_CANCEL_REASONS = [
  'OUT_OF_STOCK',
  'COUPON_UNAVAILABLE',
  'POINTS_INSUFFICIENT',
  'PAYMENT_FAILED',
  'PAYMENT_TIMEOUT',
  'USER_CANCELLED',
  'ADMIN_CANCELLED',
] as const;
export type OrderCancelReason = (typeof ORDER_CANCEL_REASONS)[number];
export const OrderCancelReason = Type.Enum(ORDER_CANCEL_REASONS);

const orderRef = {
  orderId: OrderId,
  orderNumber: OrderNumber,
  userId: UserId,
  /** The order's version after this change (per order). */
  version: Version,
};

/**
 * All reservations held (stock, coupon, points): the order is PAYMENT_PENDING and may be paid.
 * payment-service keeps `payableAmount` from it and accepts exactly that amount.
 */
export const OrderPlaced = defineEvent(
  'order.placed',
  1,
  Type.Object(
    {
      ...orderRef,
      /** Sum of unit price × quantity, before discounts. */
      subtotal: Won,
      /** Policy and coupon discounts, from promotion-service's quote. */
      discountAmount: Won,
      pointsUsed: Won,
      /** subtotal − discountAmount − pointsUsed: what the shopper pays through the PG. */
      payableAmount: Won,
      /** A short label for the PG window, e.g. "티셔츠 외 2건". */
      orderName: Type.String({ minLength: 1, maxLength: 100 }),
      placedAt: Timestamp,
    },
    { additionalProperties: false },
  ),
);
export type OrderPlacedPayload = Static<typeof OrderPlaced.schema>;

/**
 * One order line as paid: its price and its share of the order's discounts and points, fixed when the
 * order was placed. discountShare = the line's own item discount (PRODUCT and CATEGORY policies, from
 * the quote's `lines`) + its share of the whole-order discounts (ORDER policies, coupon), spread by
 * what each line has left after its item discount; pointsShare spreads the points by what each line has
 * left after its discountShare. Each spread rounds down with the remainder on the last line (never more
 * than a line holds). lineAmount − discountShare − pointsShare = payableShare; over the order, the
 * shares add up exactly to discountAmount, pointsUsed and payableAmount. Refunds of returned units are
 * computed from them. (Orders placed before item discounts stayed on their lines keep the shares they
 * were stored with: the whole discount spread by line amount.)
 */
export const OrderPaidItem = Type.Object(
  {
    /** order-service's id of the line (the `id` of an order view's item). */
    orderItemId: Type.Integer({ minimum: 1 }),
    skuId: Type.Integer({ minimum: 1 }),
    productId: Type.Integer({ minimum: 1 }),
    productName: Type.String({ minLength: 1, maxLength: 200 }),
    skuCode: Type.String({ maxLength: 100 }),
    /** The option values in the product's order, e.g. "블랙 / L"; empty for a product without options. */
    optionLabel: Type.String({ maxLength: 200 }),
    quantity: Type.Integer({ minimum: 1 }),
    unitPrice: Won,
    /** unitPrice × quantity. */
    lineAmount: Won,
    discountShare: Won,
    pointsShare: Won,
    payableShare: Won,
  },
  { additionalProperties: false },
);
export type OrderPaidItem = Static<typeof OrderPaidItem>;

/** Where the order goes (the delivery the shopper gave at checkout). */
export const OrderReceiver = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 50 }),
    phone: Type.String({ minLength: 1, maxLength: 20 }),
    zipCode: Type.String({ minLength: 1, maxLength: 10 }),
    address: Type.String({ minLength: 1, maxLength: 200 }),
    addressDetail: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]),
    memo: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]),
  },
  { additionalProperties: false },
);
export type OrderReceiver = Static<typeof OrderReceiver>;

/**
 * The payment was approved and every reservation committed (stock sold, coupon USED, points spent).
 * Also published for a free order (nothing to pay at the PG): its `paymentId` is null. Carries what
 * shipping needs (the lines with their shares, the receiver), so nobody reads order-service's tables.
 */
export const OrderPaid = defineEvent(
  'order.paid',
  1,
  Type.Object(
    {
      ...orderRef,
      payableAmount: Won,
      paymentId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
      paidAt: Timestamp,
      /** Sum of the lines' amounts, before discounts. */
      subtotal: Won,
      discountAmount: Won,
      pointsUsed: Won,
      couponId: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
      items: Type.Array(OrderPaidItem, { minItems: 1, maxItems: 100 }),
      receiver: OrderReceiver,
    },
    { additionalProperties: false },
  ),
);
export type OrderPaidPayload = Static<typeof OrderPaid.schema>;

/**
 * The order ended CANCELLED and its reservations were released (or are being released: compensations
 * are retried until they succeed). `wasPaid`: it was PAID before, so payment-service refunds it.
 * payment-service also refunds an approval that raced the cancel, whatever `wasPaid` says;
 * user-service gives `pointsRefund` back through the saga's points release, not by this event.
 */
export const OrderCancelled = defineEvent(
  'order.cancelled',
  1,
  Type.Object(
    {
      ...orderRef,
      reason: OrderCancelReason,
      payableAmount: Won,
      wasPaid: Type.Boolean(),
      /**
       * The points this cancel gives back: the order's points once its saga took them (or may have: a
       * reservation in flight), 0 when it never got to them. Optional: a cancel published before it
       * was carried says nothing of points.
       */
      pointsRefund: Type.Optional(Won),
      cancelledAt: Timestamp,
    },
    { additionalProperties: false },
  ),
);
export type OrderCancelledPayload = Static<typeof OrderCancelled.schema>;

// Payment events name what was paid: an order (ORD-…) or a points charge (PNT-…, orderId = chargeId).
const paymentRef = {
  paymentId: Type.String({ format: 'uuid' }),
  orderId: OrderId,
  orderNumber: PgOrderNumber,
  userId: UserId,
  /** The PG's key for this payment. */
  paymentKey: Type.String({ minLength: 1, maxLength: 200 }),
  /** The payment's version after this change (per payment: 1 when created, +1 per status change). */
  version: Version,
};

/** The PG approved (charged) the payment. */
export const PaymentApproved = defineEvent(
  'payment.approved',
  1,
  Type.Object(
    { ...paymentRef, amount: Won, method: Type.String(), approvedAt: Timestamp },
    { additionalProperties: false },
  ),
);
export type PaymentApprovedPayload = Static<typeof PaymentApproved.schema>;

/**
 * The payment failed and nothing was charged: declined, insufficient funds, an amount that differs
 * from the order's payable amount (`AMOUNT_MISMATCH`), an unknown paymentKey, or an order cancelled
 * before the PG confirmed (`ORDER_CANCELLED`).
 */
export const PaymentFailed = defineEvent(
  'payment.failed',
  1,
  Type.Object(
    {
      ...paymentRef,
      /** The amount the confirm asked for. */
      amount: Won,
      code: Type.String({ minLength: 1 }),
      message: Type.String(),
      failedAt: Timestamp,
    },
    { additionalProperties: false },
  ),
);
export type PaymentFailedPayload = Static<typeof PaymentFailed.schema>;

/**
 * An approved payment was refunded through the PG: in full after `order.cancelled` (`claimId` null),
 * or in part for a completed return (`claimId` the return's claim; once per claim). `amount` is this
 * refund; `refundedTotal` every refund of this payment so far (never more than what was paid).
 */
export const PaymentRefunded = defineEvent(
  'payment.refunded',
  1,
  Type.Object(
    {
      ...paymentRef,
      amount: Won,
      reason: Type.String(),
      refundedAt: Timestamp,
      claimId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
      refundedTotal: Won,
    },
    { additionalProperties: false },
  ),
);
export type PaymentRefundedPayload = Static<typeof PaymentRefunded.schema>;

/** What payment-service consumes (its topology entry). */
export const PAYMENT_SERVICE_EVENTS = [
  OrderPlaced.name,
  OrderCancelled.name,
  'point.charge.requested',
  'point.charge.cancelled',
  'return.completed',
];

// ---- promotion-service's internal HTTP API (never routed by the gateway) ----

/** A problem `type` of 409 answers when a coupon cannot be used (quote and reservation alike). */
export const COUPON_UNAVAILABLE = 'COUPON_UNAVAILABLE';
/** Why a coupon is unavailable: the `reason` member of a COUPON_UNAVAILABLE problem. */
export const COUPON_UNAVAILABLE_REASONS = [
  'NOT_OWNED',
  'INACTIVE',
  'NOT_YET_VALID',
  'EXPIRED',
  'RESERVED',
  'USED',
  'MIN_ORDER_AMOUNT',
] as const;
export type CouponUnavailableReason = (typeof COUPON_UNAVAILABLE_REASONS)[number];

/**
 * POST /internal/quotes: the single source of pricing truth. `categoryIds` of an item: its leaf
 * categories and all their ancestors (a CATEGORY policy applies to its category and everything below).
 * `couponId` is the coupon's id (a user holds at most one of each coupon). `orderId`, when given, lets
 * a coupon already RESERVED for that very order be quoted again (saga recovery).
 */
export const PromotionQuoteRequest = Type.Object(
  {
    userId: UserId,
    items: Type.Array(
      Type.Object(
        {
          skuId: Type.Integer({ minimum: 1 }),
          productId: Type.Integer({ minimum: 1 }),
          categoryIds: Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 50 }),
          unitPrice: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
          quantity: Type.Integer({ minimum: 1, maximum: 10_000 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
    couponId: Type.Optional(Int32Id()),
    orderId: Type.Optional(OrderId),
  },
  { additionalProperties: false },
);
export type PromotionQuoteRequest = Static<typeof PromotionQuoteRequest>;

/**
 * The quote. `couponId` is the coupon asked for when it takes something off, and null when it takes
 * nothing (the policies left nothing to pay, say): an order placed from the quote then does not use
 * that coupon up. `lines` are the request's items in the same order, each with its own item discount: what
 * the PRODUCT and CATEGORY policies took off that line (0 for a line none of them targets). The rest of
 * `totalDiscount` (ORDER policies and the coupon) is the whole order's; order-service spreads it over
 * the lines by what each has left (see OrderPaidItem).
 */
export const PromotionQuote = Type.Object({
  subtotal: Won,
  policyDiscounts: Type.Array(Type.Object({ policyId: Type.Integer(), name: Type.String(), amount: Won })),
  couponDiscount: Won,
  couponId: Type.Union([Type.Integer(), Type.Null()]),
  totalDiscount: Won,
  payable: Won,
  // Optional only so that an order-service can run beside a promotion-service of the release before
  // (a rolling deploy): without it, the whole discount is spread over the lines as it was then.
  lines: Type.Optional(
    Type.Array(
      Type.Object(
        { skuId: Type.Integer({ minimum: 1 }), itemDiscount: Won },
        { additionalProperties: false },
      ),
      { maxItems: 100 },
    ),
  ),
});
export type PromotionQuote = Static<typeof PromotionQuote>;

/**
 * POST /internal/coupons/reservations: ISSUED (or RESTORED) → RESERVED, idempotent by orderId.
 * `orderAmount` is the order's subtotal (before discounts), checked against the coupon's minimum.
 * Then POST /internal/coupons/reservations/{orderId}/commit (RESERVED → USED) and
 * POST /internal/coupons/reservations/{orderId}/release (RESERVED → ISSUED, or USED → RESTORED).
 */
export const CouponReservationRequest = Type.Object(
  {
    orderId: OrderId,
    userId: UserId,
    couponId: Int32Id(),
    orderAmount: Won,
  },
  { additionalProperties: false },
);
export type CouponReservationRequest = Static<typeof CouponReservationRequest>;

export const COUPON_RESERVATION_STATES = ['RESERVED', 'COMMITTED', 'RELEASED'] as const;
export type CouponReservationState = (typeof COUPON_RESERVATION_STATES)[number];
export const USER_COUPON_STATUSES = ['ISSUED', 'RESERVED', 'USED', 'RESTORED'] as const;
export type UserCouponStatus = (typeof USER_COUPON_STATUSES)[number];

export const CouponReservation = Type.Object({
  orderId: Type.String(),
  /** RESERVED → COMMITTED (paid) → RELEASED (cancelled after payment), or RESERVED → RELEASED. */
  state: Type.Enum(COUPON_RESERVATION_STATES),
  /** Null for a release that arrived before (or without) any reservation: a tombstone. */
  couponId: Type.Union([Type.Integer(), Type.Null()]),
  userId: Type.Union([Type.String(), Type.Null()]),
  /** The user's coupon after this step; null for a tombstone. */
  couponStatus: Type.Union([Type.Enum(USER_COUPON_STATUSES), Type.Null()]),
});
export type CouponReservation = Static<typeof CouponReservation>;

// ---- payment-service and the mock PG ----

/** Test cards of the mock PG's checkout page (and of auto-pay). `slow` answers confirm late. */
export const TEST_CARDS = ['approve', 'decline', 'insufficient', 'slow'] as const;
export type TestCard = (typeof TEST_CARDS)[number];
export const TestCard = Type.Enum(TEST_CARDS);

/** POST /internal/payments/auto-pay (payment-service, load tests): checkout at the PG, then the confirm path. */
export const AutoPayRequest = Type.Object(
  { orderNumber: PgOrderNumber, card: Type.Optional(TestCard) },
  { additionalProperties: false },
);
export type AutoPayRequest = Static<typeof AutoPayRequest>;

export const PAYMENT_STATUSES = ['PENDING', 'APPROVED', 'FAILED', 'REFUNDED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** A payment as payment-service shows it (confirm answers, owner and admin reads). */
export const PaymentView = Type.Object({
  paymentId: Type.String(),
  orderId: Type.String(),
  orderNumber: Type.String(),
  userId: Type.String(),
  paymentKey: Type.String(),
  amount: Won,
  status: Type.Enum(PAYMENT_STATUSES),
  method: Type.Union([Type.String(), Type.Null()]),
  failureCode: Type.Union([Type.String(), Type.Null()]),
  failureMessage: Type.Union([Type.String(), Type.Null()]),
  /** A refund was asked for (order cancelled) and is being carried out. */
  refundRequested: Type.Boolean(),
  refundReason: Type.Union([Type.String(), Type.Null()]),
  version: Version,
  createdAt: Timestamp,
  approvedAt: Type.Union([Timestamp, Type.Null()]),
  failedAt: Type.Union([Timestamp, Type.Null()]),
  refundedAt: Type.Union([Timestamp, Type.Null()]),
  /** What the PG gave back so far: a full refund, or the partial refunds of returns. */
  refundedAmount: Won,
  /** Partial refunds of returns (one per claim), oldest first; PENDING while the PG is being asked. */
  refunds: Type.Array(
    Type.Object({
      claimId: Type.String(),
      amount: Won,
      reason: Type.String(),
      status: Type.Union([Type.Literal('PENDING'), Type.Literal('DONE')]),
      requestedAt: Timestamp,
      refundedAt: Type.Union([Timestamp, Type.Null()]),
    }),
  ),
});
export type PaymentView = Static<typeof PaymentView>;
export type PaymentRefundView = PaymentView['refunds'][number];

// ---- order-service's additions: user-service's points reservations (the saga's third step) ----

/**
 * POST /internal/points/reservations (user-service): takes `amount` points off the user's balance for
 * an order, idempotent by orderId; 409 `POINTS_INSUFFICIENT` when the balance is smaller (the balance
 * never goes negative). Then POST /internal/points/reservations/{orderId}/commit (the order was paid:
 * RESERVED → COMMITTED) and POST /internal/points/reservations/{orderId}/release (RESERVED or
 * COMMITTED → RELEASED, the points go back; a tombstone when nothing was reserved). Each step that
 * changes something writes one ledger row (RESERVE −amount, COMMIT 0, RELEASE +amount).
 */
export const POINTS_INSUFFICIENT = 'POINTS_INSUFFICIENT';

export const PointsReservationRequest = Type.Object(
  {
    orderId: OrderId,
    userId: UserId,
    amount: Type.Integer({ minimum: 1 }),
    /** Shown in the ledger's reason. */
    orderNumber: Type.Optional(OrderNumber),
  },
  { additionalProperties: false },
);
export type PointsReservationRequest = Static<typeof PointsReservationRequest>;

export const POINTS_RESERVATION_STATES = ['RESERVED', 'COMMITTED', 'RELEASED'] as const;
export type PointsReservationState = (typeof POINTS_RESERVATION_STATES)[number];

export const PointsReservation = Type.Object({
  orderId: Type.String(),
  state: Type.Enum(POINTS_RESERVATION_STATES),
  /** Null for a tombstone (a release that came before, or without, any reservation). */
  userId: Type.Union([Type.String(), Type.Null()]),
  amount: Won,
  /** The user's balance after this step; null for a tombstone. */
  balance: Type.Union([Won, Type.Null()]),
});
export type PointsReservation = Static<typeof PointsReservation>;

/** GET /internal/points/balances/{userId} (user-service): the balance order-service checks points against. */
export const PointsBalance = Type.Object({ userId: Type.String(), balance: Won });
export type PointsBalance = Static<typeof PointsBalance>;

/** What order-service consumes (its topology entry). */
export const ORDER_SERVICE_EVENTS = [PaymentApproved, PaymentFailed, PaymentRefunded].map((e) => e.name);
