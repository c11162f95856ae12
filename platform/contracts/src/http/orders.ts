import { type Static, Type } from 'typebox';
import { Int32Id } from '../numbers.ts';
import { ORDER_CANCEL_REASONS } from '../ordering.ts';
import {
  ADDRESS_DETAIL_MAX_LENGTH,
  ADDRESS_MAX_LENGTH,
  ORDER_LINE_MAX_QUANTITY,
  ORDER_MAX_ITEMS,
  PHONE_PATTERN_SOURCE,
} from '../rules.ts';

// order-service's public HTTP shapes: its routes validate with them, the web imports their types.

/**
 * PENDING (reserving stock, coupon, points) → PAYMENT_PENDING (every reservation held) → PAID,
 * and CANCELLED from any of them until the courier picks the parcel up. A free order (nothing left to
 * pay) goes PENDING → PAID. Then shipping-service's state, as order-service's read copy of it:
 * PAID → SHIPPING (in transit) → DELIVERED → RETURNED (every unit returned). A partial return leaves
 * the order DELIVERED with its refundedAmount.
 */
export const ORDER_STATUSES = [
  'PENDING',
  'PAYMENT_PENDING',
  'PAID',
  'CANCELLED',
  'SHIPPING',
  'DELIVERED',
  'RETURNED',
] as const;
/** What an order's timeline records: its status changes and what the payment side reported. */
export const TIMELINE_EVENTS = [
  'ORDER_CREATED',
  'PAYMENT_PENDING',
  'PAYMENT_APPROVED',
  'PAID',
  'PAYMENT_FAILED',
  'CANCELLED',
  'RESERVATIONS_RELEASED',
  'PAYMENT_REFUNDED',
  // After payment (issue 10): what shipping-service reported.
  'SHIPMENT_DISPATCHED',
  'SHIPMENT_IN_TRANSIT',
  'SHIPMENT_DELIVERED',
  'SHIPMENT_CANCELLED',
  'PURCHASE_CONFIRMED',
  'RETURN_REQUESTED',
  'RETURN_APPROVED',
  'RETURN_REJECTED',
  'RETURN_COLLECTING',
  'RETURN_PICKUP_CANCELLED',
  'RETURN_COMPLETED',
  'EXCHANGE_REQUESTED',
  'EXCHANGE_APPROVED',
  'EXCHANGE_REJECTED',
  'EXCHANGE_COLLECTING',
  'EXCHANGE_PICKUP_CANCELLED',
  'EXCHANGE_COLLECTED',
  'EXCHANGE_COMPLETED',
] as const;
/** The place-order saga's participants, in workflow order. */
export const STEP_NAMES = ['stock', 'coupon', 'points'] as const;
/** RESERVING → AWAITING_PAYMENT → COMMITTING → COMPLETED; COMPENSATING → COMPENSATED on any cancel. */
export const SAGA_PHASES = [
  'RESERVING',
  'AWAITING_PAYMENT',
  'COMMITTING',
  'COMPENSATING',
  'COMPLETED',
  'COMPENSATED',
] as const;

const Won = Type.Integer({ minimum: 0 });
const Timestamp = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const OrderStatusSchema = Type.Enum(ORDER_STATUSES);
export const CancelReasonSchema = Type.Enum(ORDER_CANCEL_REASONS);

// ---- requests ----

/** Extra members (a client's prices or totals, say) are accepted and ignored: amounts are the server's. */
export const RequestItem = Type.Object({
  skuId: Type.Integer({ minimum: 1 }),
  quantity: Type.Integer({ minimum: 1, maximum: ORDER_LINE_MAX_QUANTITY }),
});
const Items = Type.Array(RequestItem, { minItems: 1, maxItems: ORDER_MAX_ITEMS });
const Money = {
  couponId: Type.Optional(
    Nullable(Int32Id({ description: 'The coupon (its id, as listed under my coupons) to use' })),
  ),
  pointsToUse: Type.Optional(
    Type.Integer({ minimum: 0, default: 0, description: 'Points to pay with (won)' }),
  ),
};

export const QuoteBody = Type.Object({ items: Items, ...Money });

export const Delivery = Type.Object({
  // Not blank: the order keeps it trimmed, and the courier needs a name.
  receiverName: Type.String({ minLength: 1, maxLength: 50, pattern: '\\S' }),
  // The same Korean mobile rule as signup and the browser.
  receiverPhone: Type.String({ pattern: PHONE_PATTERN_SOURCE, description: '010-1234-5678 or 01012345678' }),
  zipcode: Type.String({ pattern: '^[0-9]{5}$' }),
  // Together they fit the courier's one address line (rules.ts); not blank, as with the name.
  address: Type.String({ minLength: 1, maxLength: ADDRESS_MAX_LENGTH, pattern: '\\S' }),
  addressDetail: Type.Optional(Nullable(Type.String({ maxLength: ADDRESS_DETAIL_MAX_LENGTH }))),
  memo: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
});
export type Delivery = Static<typeof Delivery>;

export const PlaceOrderBody = Type.Object({ items: Items, delivery: Delivery, ...Money });
export type PlaceOrderBody = Static<typeof PlaceOrderBody>;

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ description: 'Required: the same key returns the same order' }),
  ),
});

export const OrderRef = Type.Object({
  id: Type.String({
    minLength: 1,
    maxLength: 64,
    // Ids are UUIDs and numbers ORD-…: anything else is refused before it reaches a URL or a query.
    pattern: '^[A-Za-z0-9-]+$',
    description: 'The order id, or its number (ORD-yyyyMMdd-XXXXXXXX)',
  }),
});

/** GET /api/orders/:id as a long poll: the answer waits while the order is still in `whileStatus`. */
export const OrderDetailQuery = Type.Object({
  whileStatus: Type.Optional(
    Type.Union([OrderStatusSchema], {
      description:
        'Long poll: while the order is in this status, the answer waits (up to waitMs) until it leaves it; ' +
        'an answer still in this status means the wait ran out',
    }),
  ),
  waitMs: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 4_000,
      description:
        'How long a whileStatus read may wait (default and at most 4000: under the gateway timeout)',
    }),
  ),
});

export const MyOrdersQuery = Type.Object({
  page: Type.Integer({ minimum: 0, default: 0 }),
  size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  status: Type.Optional(OrderStatusSchema),
});

export const AdminOrdersQuery = Type.Object({
  page: Type.Integer({ minimum: 0, default: 0 }),
  size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  status: Type.Optional(OrderStatusSchema),
  orderNumber: Type.Optional(Type.String({ maxLength: 30, description: 'Whole number or a part of it' })),
  userId: Type.Optional(Type.String({ format: 'uuid' })),
  buyer: Type.Optional(
    Type.String({ maxLength: 100, description: "(Part of) the buyer's e-mail or name, any case" }),
  ),
});

/** Why an admin cancels an order: told to the shopper with the order, so it is required. */
export const AdminCancelBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }) },
  { additionalProperties: false },
);
export type AdminCancelBody = Static<typeof AdminCancelBody>;

export const MemoBody = Type.Object({ memo: Type.String({ maxLength: 2000 }) });

// ---- answers ----

const PolicyDiscount = Type.Object({ policyId: Type.Integer(), name: Type.String(), amount: Won });

export const QuoteView = Type.Object({
  lines: Type.Array(
    Type.Object({
      skuId: Type.Integer(),
      productId: Type.Integer(),
      productName: Type.String(),
      skuCode: Type.String(),
      options: Type.Record(Type.String(), Type.String()),
      unitPrice: Won,
      quantity: Type.Integer(),
      lineTotal: Won,
      thumbnailUrl: Nullable(Type.String()),
      availableStock: Type.Integer(),
      inStock: Type.Boolean(),
    }),
  ),
  subtotal: Won,
  policyDiscounts: Type.Array(PolicyDiscount),
  couponId: Nullable(Type.Integer()),
  couponDiscount: Won,
  discountAmount: Won,
  pointsBalance: Won,
  maxUsablePoints: Won,
  /** The points asked for, lowered to what is left to pay after discounts (an order refuses those). */
  pointsUsed: Won,
  payableAmount: Won,
});
export type QuoteView = Static<typeof QuoteView>;

export const OrderSummary = Type.Object({
  orderId: Type.String(),
  orderNumber: Type.String(),
  status: OrderStatusSchema,
  cancelReason: Nullable(CancelReasonSchema),
  /** The admin's words when an admin cancelled (ADMIN_CANCELLED); null otherwise. */
  cancelNote: Nullable(Type.String()),
  /** The PG's label, in Korean ("티셔츠 외 2건"): pages word the name from the two fields below. */
  orderName: Type.String(),
  /** The first line's product name, so a page can say "티셔츠 and 2 more" in its own language. */
  firstProductName: Type.String(),
  itemCount: Type.Integer({ description: 'Lines' }),
  totalQuantity: Type.Integer(),
  thumbnailUrl: Nullable(Type.String()),
  subtotal: Won,
  discountAmount: Won,
  pointsUsed: Won,
  payableAmount: Won,
  /**
   * Everything the PG gave back so far, the same in the lists and the detail: return refunds, and what
   * a cancel refunded of a paid order (its payments' refunds, once however often payment.refunded is
   * delivered), so a page can say what the customer paid after refunds. Optional: an order-service
   * from before it sends none (read it as 0). The returns' part alone is the detail's
   * `returnsRefundedAmount`.
   */
  refundedAmount: Type.Optional(Won),
  /**
   * Points given back so far: by returns (each completed return's `pointsRefund`, which user-service
   * credits), or by a cancel of a paid order (all its points, once the saga has released them): beside
   * `refundedAmount`, what came back of each part the order was paid with. An order cancelled before it
   * was paid gave nothing back (its points were only held). Optional: an order-service from before it
   * sends none (what came back in points is then not known).
   */
  refundedPoints: Type.Optional(Won),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type OrderSummary = Static<typeof OrderSummary>;

/** Who placed an order, as user-service last announced them; null until order-service has heard. */
export const Buyer = Nullable(Type.Object({ name: Type.String(), email: Type.String() }));

export const AdminOrderSummary = Type.Object({
  ...OrderSummary.properties,
  userId: Type.String(),
  buyer: Buyer,
});
export type AdminOrderSummary = Static<typeof AdminOrderSummary>;

export const OrderItemView = Type.Object({
  /** The line's id: the `orderItemId` of returns and exchanges. */
  id: Type.Integer(),
  skuId: Type.Integer(),
  productId: Type.Integer(),
  productName: Type.String(),
  skuCode: Type.String(),
  options: Type.Record(Type.String(), Type.String()),
  unitPrice: Won,
  quantity: Type.Integer(),
  lineTotal: Won,
  thumbnailUrl: Nullable(Type.String()),
  /** "블랙 / L" (empty without options). */
  optionLabel: Type.String(),
  /** The line's share of the discounts and points, and what was paid for it (fixed at placement). */
  discountShare: Won,
  pointsShare: Won,
  payableShare: Won,
});

/**
 * What a timeline entry (or the saga log's payment entry) reports, as facts the reader's language words:
 * the service writes no sentence. Each field only where it applies; entries recorded before facts
 * existed have none (their `note` reads as it was written).
 */
export const TimelineFacts = Type.Object({
  /** Won paid (PAYMENT_APPROVED) or given back (PAYMENT_REFUNDED). */
  amount: Type.Optional(Won),
  /** The PG's payment method as the PG names it ('카드', '가상계좌', …): a code the web words. */
  method: Type.Optional(Type.String()),
  /** PAYMENT_FAILED: the PG's code (`REJECT_CARD_COMPANY`, …). */
  code: Type.Optional(Type.String()),
  /** RETURN_COMPLETED: won refunded, the return shipping fee kept from it, points given back. */
  refundAmount: Type.Optional(Won),
  feeAmount: Type.Optional(Won),
  pointsRefund: Type.Optional(Won),
  /** PURCHASE_CONFIRMED: points earned. */
  pointsAwarded: Type.Optional(Won),
  /** SHIPMENT_*: the parcel's waybill, and whether it is the order's parcel or an exchange's. */
  trackingNumber: Type.Optional(Type.String()),
  shipmentKind: Type.Optional(Type.Union([Type.Literal('ORIGINAL'), Type.Literal('EXCHANGE')])),
});
export type TimelineFacts = Static<typeof TimelineFacts>;

export const TimelineEntry = Type.Object({
  event: Type.Enum(TIMELINE_EVENTS),
  status: OrderStatusSchema,
  /**
   * A code (CANCELLED: the cancel reason) or a person's words (a rejected claim's reason); on entries
   * recorded before `facts`, the Korean note they were written with.
   */
  note: Nullable(Type.String()),
  facts: Type.Optional(TimelineFacts),
  at: Timestamp,
});

export const PaymentEntry = Type.Object({
  paymentId: Type.String(),
  paymentKey: Type.String(),
  status: Type.Union([Type.Literal('APPROVED'), Type.Literal('FAILED'), Type.Literal('REFUNDED')]),
  amount: Won,
  method: Nullable(Type.String()),
  code: Nullable(Type.String()),
  message: Nullable(Type.String()),
  approvedAt: Nullable(Timestamp),
  failedAt: Nullable(Timestamp),
  refundedAt: Nullable(Timestamp),
});

export const OrderDetail = Type.Object({
  ...OrderSummary.properties,
  items: Type.Array(OrderItemView),
  policyDiscounts: Type.Array(PolicyDiscount),
  policyDiscount: Won,
  couponId: Nullable(Type.Integer()),
  couponDiscount: Won,
  delivery: Type.Object({
    receiverName: Type.String(),
    receiverPhone: Type.String(),
    zipcode: Type.String(),
    address: Type.String(),
    addressDetail: Nullable(Type.String()),
    memo: Nullable(Type.String()),
  }),
  placedAt: Nullable(Timestamp),
  paidAt: Nullable(Timestamp),
  cancelledAt: Nullable(Timestamp),
  /** When an unpaid order will be cancelled (PAYMENT_PENDING only). */
  paymentDueAt: Nullable(Timestamp),
  cancellable: Type.Boolean(),
  /** The original parcel's waybill (null before one is issued). */
  trackingNumber: Nullable(Type.String()),
  deliveredAt: Nullable(Timestamp),
  /** 구매확정 (by the shopper or automatically); null until then. */
  confirmedAt: Nullable(Timestamp),
  /** Everything the PG gave back so far, returns and a cancel alike (as in OrderSummary). */
  refundedAmount: Won,
  /** Every point given back so far, by returns and by a cancel (as in OrderSummary). */
  refundedPoints: Type.Optional(Won),
  /**
   * The part of `refundedAmount` returns got back (payment.refunded of a claim): what the order's
   * approved payment gave back in part, so a page can say whether that payment is partly or wholly
   * refunded (a cancel's refund is the payment's own REFUNDED entry). Optional: an order-service from
   * before it sends none, and its `refundedAmount` in the detail was the returns' alone.
   */
  returnsRefundedAmount: Type.Optional(Won),
  /** The return or exchange under way (not yet COMPLETED, EXCHANGED or REJECTED), if any. */
  openClaim: Nullable(
    Type.Object({
      claimId: Type.String(),
      type: Type.Union([Type.Literal('RETURN'), Type.Literal('EXCHANGE')]),
      status: Type.String(),
    }),
  ),
  timeline: Type.Array(TimelineEntry),
  payments: Type.Array(PaymentEntry),
});
export type OrderDetail = Static<typeof OrderDetail>;

/** Steps of the saga's log: the participants' steps, and the payment (its outcome and refund, by event). */
export const SAGA_LOG_STEPS = [...STEP_NAMES, 'payment'] as const;
export const SAGA_LOG_ACTIONS = ['reserve', 'commit', 'compensate', 'pay'] as const;

const SagaLogEntry = Type.Object({
  /** `pay`: the PG's answer (payment step); a payment refund is its `compensate`. */
  action: Type.Enum(SAGA_LOG_ACTIONS),
  step: Type.Enum(SAGA_LOG_STEPS),
  outcome: Type.Union([Type.Literal('DONE'), Type.Literal('REFUSED'), Type.Literal('FAILED')]),
  attempt: Type.Integer(),
  /** The participant's answer when it was not a plain success; a payment's failure (its PG message). */
  detail: Nullable(Type.String()),
  /** Payment entries: the amount and method paid or refunded, the failure's code (older entries: `detail` only). */
  facts: Type.Optional(TimelineFacts),
  /** How long the participant call took (none for payment entries: they arrive as events). */
  durationMs: Nullable(Type.Integer({ minimum: 0 })),
  /** The trace the call or event belongs to (none when tracing was off). */
  traceId: Nullable(Type.String()),
  at: Timestamp,
});
export type SagaLogEntry = Static<typeof SagaLogEntry>;

export const SagaView = Type.Object({
  phase: Type.Enum(SAGA_PHASES),
  steps: Type.Array(Type.Enum(STEP_NAMES)),
  compensations: Type.Array(Type.Enum(STEP_NAMES)),
  /** The participant call the saga makes next, if any. */
  current: Nullable(Type.Object({ kind: Type.String(), step: Type.Enum(STEP_NAMES) })),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  nextAttemptAt: Timestamp,
  phaseSince: Timestamp,
  log: Type.Array(SagaLogEntry),
});

export const AdminOrderDetail = Type.Object({
  ...OrderDetail.properties,
  userId: Type.String(),
  buyer: Buyer,
  adminMemo: Nullable(Type.String()),
  saga: SagaView,
});
export type AdminOrderDetail = Static<typeof AdminOrderDetail>;

export const StuckSaga = Type.Object({
  orderId: Type.String(),
  orderNumber: Type.String(),
  status: OrderStatusSchema,
  phase: Type.Enum(SAGA_PHASES),
  current: Nullable(Type.Object({ kind: Type.String(), step: Type.Enum(STEP_NAMES) })),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  phaseSince: Timestamp,
  nextAttemptAt: Timestamp,
  stuckForSeconds: Type.Integer(),
});
export type StuckSaga = Static<typeof StuckSaga>;
