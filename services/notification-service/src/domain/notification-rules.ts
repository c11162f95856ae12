import type {
  NotificationFacts,
  NotificationKind,
  OrderCancelReason,
  ShipmentKind,
} from '@sagamart/contracts';

/**
 * Which notification an event makes, keyed by event name. Several events may describe one change the
 * user cares about (a cancel and the refund it causes): they share a `dedupeKey`, and the first to
 * arrive makes the notification; a redelivery under a new message id makes nothing either. Pure: no I/O.
 */
export interface NotificationDraft {
  /** The event's user, or every active admin (each gets their own copy). */
  audience: 'owner' | 'admins';
  kind: NotificationKind;
  /** One notification per recipient and key, whichever event brings it first. */
  dedupeKey: string;
  /** Korean, the shop's first language; `facts` let a client word it in another. */
  title: string;
  body: string;
  facts: NotificationFacts;
  link: string;
  orderId?: string;
  orderNumber?: string;
}

/** The fields every order-related event carries (order, payment, shipping, return and exchange events). */
export interface OrderEventFacts {
  orderId: string;
  orderNumber?: string;
  userId: string;
  /** order.cancelled (and its `pointsRefund`, below) */
  reason?: string;
  wasPaid?: boolean;
  payableAmount?: number;
  /** payment.* */
  amount?: number;
  /** return.* / exchange.*: the claim's id (shipment.*: the exchange claim an EXCHANGE shipment sends). */
  claimId?: string | number | null;
  /** return.rejected / exchange.rejected */
  rejectReason?: string;
  /** return.* / exchange.*: the pickup waybill (approved, collecting, pickup-cancelled). */
  pickupTrackingNumber?: string;
  /** return.completed: what the PG gives back; it and order.cancelled: the points given back. */
  refundAmount?: number;
  pointsRefund?: number;
  /** shipment.*: the shipment, and whether it is the order's parcel or an exchange's new option. */
  shipmentId?: string;
  kind?: ShipmentKind;
  /** The version of the order, payment, shipment or claim after this change (see step-order.ts). */
  version?: number;
}

type Rule = (event: OrderEventFacts) => NotificationDraft[];

export function won(amount: number): string {
  return `${amount.toLocaleString('ko-KR')}원`;
}

/** Points are never won: "1,500P", as the shop writes them everywhere. */
function points(amount: number): string {
  return `${amount.toLocaleString('ko-KR')}P`;
}

/** " 사용하신 포인트 1,500P도 돌려드립니다." when the event gives points back; nothing otherwise. */
const pointsBack = (e: OrderEventFacts) =>
  e.pointsRefund ? ` 사용하신 포인트 ${points(e.pointsRefund)}도 돌려드립니다.` : '';

const orderLink = (e: OrderEventFacts) => `/me/orders/${encodeURIComponent(e.orderId)}`;
const adminOrderLink = (e: OrderEventFacts) => `/admin/orders/${encodeURIComponent(e.orderId)}`;
/** "ORD-20261204-AB12CD34 주문" or "주문" when the event has no number. */
const orderLabel = (e: OrderEventFacts) => (e.orderNumber ? `${e.orderNumber} 주문` : '주문');
const orderRef = (e: OrderEventFacts) => ({
  orderId: e.orderId,
  ...(e.orderNumber ? { orderNumber: e.orderNumber } : {}),
});

/** Only the facts that are there: an absent one is left out, not sent as undefined. */
function factsOf(facts: NotificationFacts): NotificationFacts {
  return Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined && value !== ''));
}

function toOwner(
  kind: NotificationKind,
  key: string,
  title: string,
  body: (e: OrderEventFacts) => string,
  facts: (e: OrderEventFacts) => NotificationFacts = () => ({}),
): Rule {
  return (e) => [
    {
      audience: 'owner',
      kind,
      dedupeKey: `${key}:${e.orderId}`,
      title,
      body: body(e),
      facts: factsOf(facts(e)),
      link: orderLink(e),
      ...orderRef(e),
    },
  ];
}

const CANCEL_REASONS: Record<OrderCancelReason, string> = {
  OUT_OF_STOCK: '재고가 부족하여',
  COUPON_UNAVAILABLE: '쿠폰을 사용할 수 없어',
  POINTS_INSUFFICIENT: '포인트가 부족하여',
  PAYMENT_FAILED: '결제가 완료되지 않아',
  PAYMENT_TIMEOUT: '결제 시간이 지나',
  USER_CANCELLED: '요청하신 대로',
  ADMIN_CANCELLED: '판매자 사정으로',
};

const isCancelReason = (reason: string | undefined): reason is OrderCancelReason =>
  reason !== undefined && Object.hasOwn(CANCEL_REASONS, reason);

/** A payment failure ends the order: one notification for the failure and the cancel it causes. */
const ORDER_CLOSED = 'ORDER_CLOSED';
/**
 * A paid order's cancel says its payment will be refunded, so the refund itself is told only when no
 * cancel said so: an approval that raced the cancel (charged, then refunded) is told by its refund.
 */
const ORDER_REFUND = 'ORDER_REFUND';

const paidAmount = (e: OrderEventFacts) => e.amount ?? e.payableAmount;

const paid: Rule = toOwner(
  'ORDER_PAID',
  'ORDER_PAID',
  '결제가 완료되었습니다',
  (e) => {
    const amount = paidAmount(e);
    return `${orderLabel(e)}의 결제${amount ? `(${won(amount)})` : ''}가 완료되었습니다. 상품을 준비할게요.`;
  },
  (e) => ({ amount: paidAmount(e) || undefined }),
);

const cancelled: Rule = (e) => {
  if (e.reason === 'PAYMENT_FAILED') {
    return toOwner(
      'PAYMENT_FAILED',
      ORDER_CLOSED,
      '결제에 실패했습니다',
      (o) => `${orderLabel(o)}의 결제가 완료되지 않아 주문이 취소되었습니다.${pointsBack(o)}`,
      (o) => ({ cancelReason: 'PAYMENT_FAILED', points: o.pointsRefund || undefined }),
    )(e);
  }
  const cancelReason = isCancelReason(e.reason) ? e.reason : undefined;
  const why = cancelReason ? CANCEL_REASONS[cancelReason] : '';
  const refunded = e.wasPaid && e.payableAmount ? e.payableAmount : undefined;
  const refund = refunded ? ` 결제하신 ${won(refunded)}은 환불됩니다.` : '';
  return toOwner(
    'ORDER_CANCELLED',
    refunded ? ORDER_REFUND : ORDER_CLOSED,
    '주문이 취소되었습니다',
    (o) => `${why ? `${why} ` : ''}${orderLabel(o)}이 취소되었습니다.${refund}${pointsBack(o)}`,
    (o) => ({ cancelReason, amount: refunded, points: o.pointsRefund || undefined }),
  )(e);
};

const claimRequested =
  (claim: '반품' | '교환'): Rule =>
  (e) => [
    {
      audience: 'admins',
      kind: 'ADMIN_CLAIM_REQUESTED',
      dedupeKey: `ADMIN_CLAIM_REQUESTED:${claim}:${e.claimId ?? e.orderId}`,
      title: `${claim} 요청이 접수되었습니다`,
      body: `${orderLabel(e)}에 ${claim} 요청이 들어왔습니다. 확인해 주세요.`,
      facts: { claim: claim === '반품' ? 'RETURN' : 'EXCHANGE' },
      link: adminOrderLink(e),
      ...orderRef(e),
    },
  ];

/** An owner's rule keyed by one thing of the order (a claim, a shipment), not by the order alone. */
const keyedBy =
  (thing: (e: OrderEventFacts) => string | number | null | undefined) =>
  (
    kind: NotificationKind,
    title: string,
    body: (e: OrderEventFacts) => string,
    facts?: (e: OrderEventFacts) => NotificationFacts,
  ): Rule =>
  (e) =>
    toOwner(kind, `${kind}:${thing(e) ?? ''}`, title, body, facts)(e);

const claimStep = keyedBy((e) => e.claimId);
/** One notification per shipment (an exchange sends a second parcel of the same order). */
const shipmentStep = keyedBy((e) => e.shipmentId);
/**
 * One per pickup of a claim: approved again after the courier cancelled the pickup, a claim gets a new
 * pickup waybill and the shopper, told "다시 안내해 드릴게요", is told again; a redelivery has the same waybill.
 */
const pickupStep = keyedBy((e) => `${e.claimId ?? ''}:${e.pickupTrackingNumber ?? ''}`);

/** One per cancelled pickup: a claim approved again may see its new pickup cancelled too. */
const pickupCancelled = (kind: NotificationKind, claim: '반품' | '교환'): Rule =>
  keyedBy((e) => e.pickupTrackingNumber)(
    kind,
    `${claim} 회수가 취소되었습니다`,
    (e) =>
      `택배사 사정으로 ${orderLabel(e)}의 ${claim} 상품 회수가 취소되었습니다. 확인 후 다시 안내해 드릴게요.`,
  );

const claimRejected = (kind: NotificationKind, claim: '반품' | '교환'): Rule =>
  claimStep(
    kind,
    `${claim}이 거절되었습니다`,
    (e) => `${orderLabel(e)}의 ${claim}이 거절되었습니다.${e.rejectReason ? ` 사유: ${e.rejectReason}` : ''}`,
    (e) => ({ rejectReason: e.rejectReason }),
  );

const shipmentDispatched: Rule = (e) =>
  shipmentStep(
    'SHIPMENT_DISPATCHED',
    '배송이 시작되었습니다',
    (o) =>
      o.kind === 'EXCHANGE'
        ? `${orderLabel(o)}의 교환 상품이 출발했습니다.`
        : `${orderLabel(o)}의 상품이 출발했습니다.`,
    (o) => (o.kind === 'EXCHANGE' ? { exchange: true } : {}),
  )(e);

/** " 12,000원이 환불됩니다.", and the points given back; nothing when neither was paid. */
function refundText(e: OrderEventFacts): string {
  const money = e.refundAmount ? ` ${won(e.refundAmount)}이 환불됩니다.` : '';
  return money + pointsBack(e);
}

/** Payment events also describe points charges (PNT-… numbers): only an order's payment notifies here. */
const ofOrders =
  (rule: Rule): Rule =>
  (e) =>
    e.orderNumber && !e.orderNumber.startsWith('ORD-') ? [] : rule(e);

/**
 * Event name → notifications. shipment.in-transit, shipment.cancelled (the order's cancel tells it),
 * return/exchange.collecting, exchange.collected and purchase.confirmed make none.
 */
export const NOTIFICATION_RULES: Readonly<Record<string, Rule>> = {
  'order.placed': toOwner(
    'ORDER_PLACED',
    'ORDER_PLACED',
    '주문이 접수되었습니다',
    (e) =>
      `${orderLabel(e)}이 접수되었습니다.${e.payableAmount ? ` 결제하실 금액은 ${won(e.payableAmount)}입니다.` : ''}`,
    (e) => ({ amount: e.payableAmount || undefined }),
  ),
  'order.paid': (e) => [
    ...paid(e),
    {
      audience: 'admins',
      kind: 'ADMIN_ORDER_PAID',
      dedupeKey: `ADMIN_ORDER_PAID:${e.orderId}`,
      title: '새 주문이 결제되었습니다',
      body: `${orderLabel(e)}이 결제되었습니다${e.payableAmount ? ` (${won(e.payableAmount)})` : ''}. 발송을 준비해 주세요.`,
      facts: factsOf({ amount: e.payableAmount || undefined }),
      link: adminOrderLink(e),
      ...orderRef(e),
    },
  ],
  // payment.approved is not mapped: the payment is told by order.paid, which comes once the order is
  // PAID, so the notification never runs ahead of the order page (and an approval that raced a cancel
  // is told as the cancel with its refund).
  'order.cancelled': cancelled,
  // A refund follows the cancel that caused it: when that cancel's notification said it would be
  // refunded, they share ORDER_REFUND and the first tells both. A return's partial refund (claimId set)
  // is no cancel: return.completed tells the shopper of it.
  'payment.refunded': ofOrders((e) =>
    e.claimId
      ? []
      : toOwner(
          'PAYMENT_REFUNDED',
          ORDER_REFUND,
          '결제가 환불되었습니다',
          (o) => `${orderLabel(o)}이 취소되어 결제하신 ${won(o.amount ?? 0)}이 환불되었습니다.`,
          (o) => ({ amount: o.amount }),
        )(e),
  ),
  'shipment.dispatched': shipmentDispatched,
  // An exchange's new option arriving is told once, by exchange.completed (EXCHANGE_COMPLETED).
  'shipment.delivered': (e) =>
    e.kind === 'EXCHANGE'
      ? []
      : shipmentStep(
          'SHIPMENT_DELIVERED',
          '배송이 완료되었습니다',
          (o) => `${orderLabel(o)}의 상품이 도착했습니다.`,
        )(e),
  'return.requested': claimRequested('반품'),
  'exchange.requested': claimRequested('교환'),
  'return.approved': pickupStep(
    'RETURN_APPROVED',
    '반품이 승인되었습니다',
    (e) => `${orderLabel(e)}의 반품이 승인되었습니다. 상품을 회수하러 갈게요.`,
  ),
  'return.rejected': claimRejected('RETURN_REJECTED', '반품'),
  'return.pickup-cancelled': pickupCancelled('RETURN_PICKUP_CANCELLED', '반품'),
  'return.completed': claimStep(
    'RETURN_COMPLETED',
    '반품이 완료되었습니다',
    (e) => `${orderLabel(e)}의 반품이 완료되었습니다.${refundText(e)}`,
    (e) => ({ amount: e.refundAmount || undefined, points: e.pointsRefund || undefined }),
  ),
  'exchange.approved': pickupStep(
    'EXCHANGE_APPROVED',
    '교환이 승인되었습니다',
    (e) => `${orderLabel(e)}의 교환이 승인되었습니다. 상품을 회수하러 갈게요.`,
  ),
  'exchange.rejected': claimRejected('EXCHANGE_REJECTED', '교환'),
  'exchange.pickup-cancelled': pickupCancelled('EXCHANGE_PICKUP_CANCELLED', '교환'),
  'exchange.completed': claimStep(
    'EXCHANGE_COMPLETED',
    '교환이 완료되었습니다',
    (e) => `${orderLabel(e)}의 교환 상품이 도착했습니다. 교환이 완료되었습니다.`,
  ),
};

/** The notifications an event makes (none for an event no rule knows). */
export function draftsFor(eventName: string, event: OrderEventFacts): NotificationDraft[] {
  return NOTIFICATION_RULES[eventName]?.(event) ?? [];
}
