import { type Static, Type } from 'typebox';
import { OrderCancelReason } from './ordering.ts';

// Notifications (notification-service): what a user is told about their orders, over REST and over
// the WebSocket at /ws/notifications. See docs/events.md ("Notifications") for the socket protocol.

/** What a notification is about. The ADMIN_ kinds go to every active admin, each in their own list. */
export const NOTIFICATION_KINDS = [
  'ORDER_PLACED',
  'ORDER_PAID',
  'PAYMENT_FAILED',
  'ORDER_CANCELLED',
  'PAYMENT_REFUNDED',
  'SHIPMENT_DISPATCHED',
  'SHIPMENT_DELIVERED',
  'RETURN_APPROVED',
  'RETURN_REJECTED',
  'RETURN_PICKUP_CANCELLED',
  'RETURN_COMPLETED',
  'EXCHANGE_APPROVED',
  'EXCHANGE_REJECTED',
  'EXCHANGE_PICKUP_CANCELLED',
  'EXCHANGE_COMPLETED',
  'ADMIN_ORDER_PAID',
  'ADMIN_CLAIM_REQUESTED',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const NotificationKind = Type.Enum(NOTIFICATION_KINDS);

/**
 * What a notification's words are made of, so that a client can word it in its reader's language
 * (the service writes `title` and `body` in Korean, the shop's first language). Null on a notification
 * recorded before facts were kept: a client then shows `title` and `body`.
 */
export const NotificationFacts = Type.Object({
  /** Won: to pay (ORDER_PLACED), paid (ORDER_PAID, ADMIN_ORDER_PAID), refunded (ORDER_CANCELLED, PAYMENT_REFUNDED, RETURN_COMPLETED). */
  amount: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Points given back (ORDER_CANCELLED, PAYMENT_FAILED, RETURN_COMPLETED). */
  points: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Why an order was cancelled (ORDER_CANCELLED); absent for a refund without a cancel reason. */
  cancelReason: Type.Optional(OrderCancelReason),
  /** The admin's reason (RETURN_REJECTED, EXCHANGE_REJECTED): their words, shown as written. */
  rejectReason: Type.Optional(Type.String()),
  /** Which claim (ADMIN_CLAIM_REQUESTED). */
  claim: Type.Optional(Type.Union([Type.Literal('RETURN'), Type.Literal('EXCHANGE')])),
  /** The parcel is an exchange's new option (SHIPMENT_DISPATCHED). */
  exchange: Type.Optional(Type.Boolean()),
});
export type NotificationFacts = Static<typeof NotificationFacts>;

/** One notification as its owner sees it. `seq` grows by one with every notification of that user. */
export const NotificationView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  seq: Type.Integer({ minimum: 1 }),
  kind: NotificationKind,
  title: Type.String(),
  body: Type.String(),
  /** A path of the web app, e.g. /me/orders/{orderId}. */
  link: Type.String(),
  orderId: Type.Optional(Type.String()),
  orderNumber: Type.Optional(Type.String()),
  facts: Type.Union([NotificationFacts, Type.Null()]),
  read: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type NotificationView = Static<typeof NotificationView>;

/** GET /api/notifications/unread-count */
export const UnreadCount = Type.Object({ count: Type.Integer({ minimum: 0 }) });
export type UnreadCount = Static<typeof UnreadCount>;

/** POST /api/notifications/{id}/read: the id. */
export const NotificationIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

// ---- The socket protocol (JSON text frames) ----

/** Largest `since` a client may send (seq is a PostgreSQL bigint, kept within JavaScript's safe range). */
export const MAX_SEQ = Number.MAX_SAFE_INTEGER;

/**
 * Client → server. `resume` first (since: the highest seq the client holds, 0 the first time); the
 * server answers with everything after it, in order, before any live notification. `ping` is answered
 * with `pong` (browsers cannot send protocol pings).
 */
export const NotificationClientMessage = Type.Union([
  Type.Object(
    { type: Type.Literal('resume'), since: Type.Integer({ minimum: 0, maximum: MAX_SEQ }) },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('ping') }, { additionalProperties: false }),
]);
export type NotificationClientMessage = Static<typeof NotificationClientMessage>;

/**
 * Server → client, to every socket of the user (any tab or device, on any instance): some of their
 * notifications were marked read. `id`: that one; `upTo`: every one with seq ≤ upTo (read-all). Sent
 * only when a mark changed, and not replayed on resume: a client that reconnects reads the list again.
 */
export const NotificationReadMessage = Type.Union([
  Type.Object(
    { type: Type.Literal('read'), id: Type.String({ format: 'uuid' }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal('read'), upTo: Type.Integer({ minimum: 1, maximum: MAX_SEQ }) },
    { additionalProperties: false },
  ),
]);
export type NotificationReadMessage = Static<typeof NotificationReadMessage>;

/**
 * Server → client: a notification (in seq order, never twice on one connection); `reset` when `since`
 * is older than what is kept (reload through REST, then resume from the newest seq); `resumed` once
 * the replay is complete (`last`: the newest seq sent); `read` marks; `pong`.
 */
export const NotificationServerMessage = Type.Union([
  Type.Object({ type: Type.Literal('notification'), ...NotificationView.properties }),
  Type.Object({ type: Type.Literal('reset'), last: Type.Integer({ minimum: 0 }) }),
  Type.Object({ type: Type.Literal('resumed'), last: Type.Integer({ minimum: 0 }) }),
  ...NotificationReadMessage.anyOf,
  Type.Object({ type: Type.Literal('pong') }),
]);
export type NotificationServerMessage = Static<typeof NotificationServerMessage>;

/** Close codes of /ws/notifications (and, for 4001, of every WebSocket route of the gateway). */
export const SOCKET_CLOSE = {
  /** The server is shutting down or restarting: reconnect (to another instance) and resume. */
  goingAway: 1001,
  /** A message that is not JSON or not in the protocol. */
  protocolError: 1008,
  /** The access token expired during the connection: refresh it, then reconnect and resume. */
  tokenExpired: 4001,
  /** The client read too slowly and its buffer overflowed: reconnect and resume from the last seq. */
  overflow: 4008,
  /** No resume within the handshake deadline. */
  resumeTimeout: 4009,
} as const;
