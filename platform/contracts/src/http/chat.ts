import { type Static, Type } from 'typebox';
import { Int32Id } from '../numbers.ts';
import { OrderRef, OrderSummary } from './orders.ts';

// chat-service's public shapes: the customer's REST API (/api/chat), the agent console's
// (/api/agent), and the frames of the WebSocket at /ws/chat. The protocol is in docs/events.md
// ("Chat"). Chatwoot's model: a conversation has a customer, an assignee, messages numbered by a
// per-conversation `seq`, and a read marker per side.

/** WAITING (queued, no agent) → OPEN (assigned) → RESOLVED; a customer's new message reopens a RESOLVED one. */
export const CONVERSATION_STATUSES = ['WAITING', 'OPEN', 'RESOLVED'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
export const ConversationStatusSchema = Type.Enum(CONVERSATION_STATUSES);

/** Which side wrote a message (an admin answering is an AGENT here). */
export const SENDER_ROLES = ['CUSTOMER', 'AGENT'] as const;
export type SenderRole = (typeof SENDER_ROLES)[number];
export const SenderRoleSchema = Type.Enum(SENDER_ROLES);

/** Largest message, in Unicode code points (the server counts code points, not UTF-16 units). */
export const CHAT_TEXT_MAX_CODE_POINTS = 2_000;
/**
 * The largest client frame of the protocol: a message of the longest text with every UTF-16 unit
 * JSON-escaped (`\u0001`, or `\ud83d\ude00` for one emoji: six bytes a unit), and its envelope.
 * chat-service answers a larger one with `bad-frame`.
 */
export const CHAT_CLIENT_FRAME_MAX_BYTES = 2 * CHAT_TEXT_MAX_CODE_POINTS * 6 + 1_024;
/** Largest `seq` a client may send (a PostgreSQL integer). */
export const CHAT_MAX_SEQ = 2_147_483_647;

const Timestamp = Type.String({ format: 'date-time' });
const Seq = Type.Integer({ minimum: 0, maximum: CHAT_MAX_SEQ });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const ConversationId = Type.String({ format: 'uuid' });
/** The client's own id of a message: the same id twice (a resend) stores and sends it once. */
export const ClientMessageId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
/**
 * The control characters a message may not hold (all but tab, line feed and carriage return): they
 * show nothing, and JSON writes each as a six-byte escape. A character class body, for RegExp.
 */
export const CHAT_TEXT_CONTROL_CHARACTERS = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f';
/** What every message text matches, REST and socket alike. */
const CHAT_TEXT_PATTERN = `^[^${CHAT_TEXT_CONTROL_CHARACTERS}]*$`;

/**
 * Up to CHAT_TEXT_MAX_CODE_POINTS code points (checked by the server; the schema's limit counts as
 * JSON Schema does), not blank, without control characters. Shown as text, never as HTML.
 */
export const ChatText = Type.String({
  minLength: 1,
  maxLength: CHAT_TEXT_MAX_CODE_POINTS,
  pattern: CHAT_TEXT_PATTERN,
});

// ---- views ----

/** One message. `seq` grows by one with every message of the conversation, from 1. */
export const ChatMessage = Type.Object({
  conversationId: ConversationId,
  seq: Type.Integer({ minimum: 1 }),
  clientMessageId: Type.String(),
  senderRole: SenderRoleSchema,
  text: Type.String(),
  at: Timestamp,
});
export type ChatMessage = Static<typeof ChatMessage>;

/**
 * A conversation as the caller sees it. `unreadCount`: messages of the other side after the caller's
 * side's read marker. `queuePosition` (1 = next) and `estimatedWaitSeconds` are set while WAITING;
 * the estimate is null when no agent is online (`agentsOnline` false: messages wait for the next one).
 */
export const ConversationView = Type.Object({
  id: ConversationId,
  status: ConversationStatusSchema,
  orderId: Nullable(Type.String()),
  orderNumber: Nullable(Type.String()),
  customerId: Type.String({ format: 'uuid' }),
  customerName: Type.String(),
  assigneeId: Nullable(Type.String({ format: 'uuid' })),
  assigneeName: Nullable(Type.String()),
  queuePosition: Nullable(Type.Integer({ minimum: 1 })),
  estimatedWaitSeconds: Nullable(Type.Integer({ minimum: 0 })),
  agentsOnline: Type.Boolean(),
  /** The newest message's seq (0: none yet). */
  lastSeq: Type.Integer({ minimum: 0 }),
  lastMessage: Nullable(ChatMessage),
  /** The highest seq each side has read. */
  customerReadSeq: Type.Integer({ minimum: 0 }),
  agentReadSeq: Type.Integer({ minimum: 0 }),
  unreadCount: Type.Integer({ minimum: 0 }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  resolvedAt: Nullable(Timestamp),
});
export type ConversationView = Static<typeof ConversationView>;

// ---- the customer's REST API (/api/chat) ----

/** POST /api/chat/conversations: 201 with a new one, or 200 with the customer's active one. */
export const OpenConversationBody = Type.Object({
  /** One of the customer's own orders: the conversation is "about this order". */
  orderId: Type.Optional(OrderRef.properties.id),
});
export type OpenConversationBody = Static<typeof OpenConversationBody>;

export const ConversationParams = Type.Object({ id: ConversationId });

/** The transcript's own words (labels, fallback names, times); the messages stay as written. */
export const TRANSCRIPT_LANGUAGES = ['ko', 'en'] as const;
export type TranscriptLanguage = (typeof TRANSCRIPT_LANGUAGES)[number];
/** GET /api/chat/conversations/{id}/transcript: `lang` defaults to Korean, the shop's first language. */
export const TranscriptQuery = Type.Object({
  lang: Type.Optional(Type.Enum(TRANSCRIPT_LANGUAGES)),
});

/** GET /api/chat/conversations/mine: newest first, the active one (if any) first of all. */
export const MyConversations = Type.Object({ content: Type.Array(ConversationView) });
export type MyConversations = Static<typeof MyConversations>;

/** GET /api/chat/conversations/{id}/messages?before={seq}&limit=50 */
export const MessagesQuery = Type.Object({
  /** Messages with a smaller seq (unset: the newest page). */
  before: Type.Optional(Type.Integer({ minimum: 1, maximum: CHAT_MAX_SEQ })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
});
export type MessagesQuery = Static<typeof MessagesQuery>;

/** One page of history, ascending by seq; `hasMore`: older messages exist (ask with before = messages[0].seq). */
export const MessagePage = Type.Object({
  messages: Type.Array(ChatMessage),
  hasMore: Type.Boolean(),
  customerReadSeq: Type.Integer({ minimum: 0 }),
  agentReadSeq: Type.Integer({ minimum: 0 }),
});
export type MessagePage = Static<typeof MessagePage>;

/** POST /api/chat/conversations/{id}/messages: the socket's `message` over HTTP (same rules, same id). */
export const SendMessageBody = Type.Object({ clientMessageId: ClientMessageId, text: ChatText });
export type SendMessageBody = Static<typeof SendMessageBody>;

/** POST /api/chat/conversations/{id}/read: the caller's side has read up to seq (markers never go back). */
export const ReadBody = Type.Object({ seq: Seq });
export type ReadBody = Static<typeof ReadBody>;

// GET /api/chat/conversations/{id}/transcript: text/plain; charset=utf-8, every message in order.

// ---- the agent console's REST API (/api/agent, AGENT or ADMIN) ----

/** GET /api/agent/conversations?status=: WAITING is the whole queue (oldest first); OPEN and RESOLVED
 * are the caller's own (an admin's: everyone's), newest first. */
export const AgentConversationsQuery = Type.Object({
  status: ConversationStatusSchema,
  page: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
  size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type AgentConversationsQuery = Static<typeof AgentConversationsQuery>;

/**
 * POST /api/agent/conversations/{id}/assign: an empty body takes it (the cap applies only to automatic
 * assignment); `{agentId}` assigns it to that agent. POST …/transfer `{agentId}` moves an OPEN one:
 * an agent transfers their own; an admin may reassign any.
 */
export const AssignBody = Type.Object({ agentId: Type.Optional(Type.String({ format: 'uuid' })) });
export type AssignBody = Static<typeof AssignBody>;
export const TransferBody = Type.Object({ agentId: Type.String({ format: 'uuid' }) });
export type TransferBody = Static<typeof TransferBody>;

/** GET /api/agent/agents: every agent and admin, for the transfer picker. */
export const AgentView = Type.Object({
  agentId: Type.String({ format: 'uuid' }),
  name: Type.String(),
  role: Type.Enum(['AGENT', 'ADMIN'] as const),
  online: Type.Boolean(),
  openConversations: Type.Integer({ minimum: 0 }),
});
export type AgentView = Static<typeof AgentView>;
export const AgentList = Type.Object({ content: Type.Array(AgentView) });
export type AgentList = Static<typeof AgentList>;

/** Canned answers (Chatwoot's canned responses): the console's menu lists them by `/shortCode` and inserts `content`. */
export const CannedAnswer = Type.Object({
  id: Int32Id(),
  shortCode: Type.String(),
  content: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type CannedAnswer = Static<typeof CannedAnswer>;
export const CannedAnswerList = Type.Object({ content: Type.Array(CannedAnswer) });
export type CannedAnswerList = Static<typeof CannedAnswerList>;
/** POST /api/agent/canned-answers, PUT /api/agent/canned-answers/{id}; the short code is unique. */
export const CannedAnswerBody = Type.Object({
  shortCode: Type.String({ minLength: 1, maxLength: 40, pattern: '^[0-9A-Za-z가-힣_-]+$' }),
  content: ChatText,
});
export type CannedAnswerBody = Static<typeof CannedAnswerBody>;
export const CannedAnswerParams = Type.Object({ id: Int32Id() });

/**
 * GET /api/agent/customers/{userId}/orders?page=&size=: read-only, the customer's orders newest first.
 * An agent may read them only while a conversation of that customer is assigned to them (else 404);
 * an admin always.
 */
export const CustomerParams = Type.Object({ userId: Type.String({ format: 'uuid' }) });
export const CustomerOrdersQuery = Type.Object({
  page: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
  size: Type.Integer({ minimum: 1, maximum: 50, default: 10 }),
});
export type CustomerOrdersQuery = Static<typeof CustomerOrdersQuery>;
export { OrderSummary as CustomerOrder };

// ---- the socket protocol (/ws/chat, JSON text frames) ----

/**
 * Client → server. One socket carries all of the user's conversations: a customer's, or an agent's
 * assigned ones plus queue changes. `resume` (after a (re)connect) sends every message after `since`,
 * in order, then `resumed`; it also subscribes the socket to that conversation (an agent or admin
 * looking at one not assigned to them). `typing` and `read` go to the other side. `ping` → `pong`.
 */
export const ChatClientFrame = Type.Union([
  Type.Object(
    {
      type: Type.Literal('message'),
      conversationId: ConversationId,
      clientMessageId: ClientMessageId,
      text: Type.String({ maxLength: 2 * CHAT_TEXT_MAX_CODE_POINTS, pattern: CHAT_TEXT_PATTERN }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal('typing'), conversationId: ConversationId, typing: Type.Boolean() },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal('read'), conversationId: ConversationId, seq: Seq },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal('resume'), conversationId: ConversationId, since: Seq },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('ping') }, { additionalProperties: false }),
]);
export type ChatClientFrame = Static<typeof ChatClientFrame>;

/** Why a client frame was refused (the socket stays open). */
export const CHAT_ERROR_CODES = [
  /**
   * Not JSON, not a frame of the protocol (a message's text with control characters too), or larger
   * than any frame of the protocol.
   */
  'bad-frame',
  /** Empty, or more than CHAT_TEXT_MAX_CODE_POINTS code points. */
  'text-too-long',
  'text-empty',
  /** More messages than the per-user limit allows: wait and resend (same clientMessageId). */
  'rate-limited',
  /** No such conversation, or not the caller's (the same answer for both). */
  'not-found',
  /** The conversation does not take this (e.g. a new message in a RESOLVED one while another is active). */
  'conflict',
  'internal',
] as const;
export type ChatErrorCode = (typeof CHAT_ERROR_CODES)[number];

/** Server → client frames, as TypeBox schemas (the server validates what it sends in tests). */
export const ChatServerFrame = Type.Union([
  Type.Object({ type: Type.Literal('message'), ...ChatMessage.properties }),
  Type.Object({
    type: Type.Literal('typing'),
    conversationId: ConversationId,
    typing: Type.Boolean(),
    /** Who is typing. */
    by: SenderRoleSchema,
  }),
  Type.Object({
    type: Type.Literal('read'),
    conversationId: ConversationId,
    seq: Type.Integer({ minimum: 0 }),
    /** Whose marker moved. */
    by: SenderRoleSchema,
  }),
  Type.Object({
    type: Type.Literal('assigned'),
    conversationId: ConversationId,
    agentName: Type.String(),
    /** For the console: whether it is now the receiver's (the customer ignores it). */
    agentId: Type.String({ format: 'uuid' }),
  }),
  Type.Object({
    type: Type.Literal('queue'),
    conversationId: ConversationId,
    position: Type.Integer({ minimum: 1 }),
    estimatedWaitSeconds: Nullable(Type.Integer({ minimum: 0 })),
    /** False: no agent is online; messages wait for the next one. */
    agentsOnline: Type.Boolean(),
  }),
  Type.Object({
    type: Type.Literal('status'),
    conversationId: ConversationId,
    status: ConversationStatusSchema,
  }),
  Type.Object({
    type: Type.Literal('error'),
    code: Type.Enum(CHAT_ERROR_CODES),
    message: Type.String(),
    /** The refused frame's, when it named them (so a client can mark that message failed). */
    conversationId: Type.Optional(Type.String()),
    clientMessageId: Type.Optional(Type.String()),
  }),
  Type.Object({
    type: Type.Literal('resumed'),
    conversationId: ConversationId,
    last: Type.Integer({ minimum: 0 }),
  }),
  Type.Object({ type: Type.Literal('pong') }),
]);
export type ChatServerFrame = Static<typeof ChatServerFrame>;

/** Close codes of /ws/chat (4001, token expired, is the gateway's, as for every socket route). */
export const CHAT_SOCKET_CLOSE = {
  /** The server is shutting down: reconnect (another instance answers) and resume each conversation. */
  goingAway: 1001,
  /** The access token expired: refresh, reconnect, resume. */
  tokenExpired: 4001,
  /** The client read too slowly: reconnect and resume. */
  overflow: 4008,
} as const;

/** The transport broadcast channel every chat-service instance listens on (docs/events.md). */
export const CHAT_FANOUT_CHANNEL = 'chat-message';
