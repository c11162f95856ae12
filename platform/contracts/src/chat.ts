import { type Static, Type } from 'typebox';
import { defineEvent } from './define.ts';

// chat-service's conversation state changes (Chatwoot's WAITING → OPEN → RESOLVED, and a customer's
// message reopening a RESOLVED one into the queue). Messages themselves are not events: they travel
// on chat-service's own `chat-message` fan-out channel.
//
// Ordering: every event carries the conversation's `version`, growing by one with every state change
// (a reopen is a new `chat.conversation-opened` with a higher version); a consumer keeps the highest
// version it applied and ignores anything not newer.

const Version = Type.Integer({ minimum: 1 });
const Timestamp = Type.String({ format: 'date-time' });
const UserId = Type.String({ format: 'uuid' });

const conversationRef = {
  conversationId: Type.String({ format: 'uuid' }),
  customerId: UserId,
  version: Version,
};

/** A conversation entered the queue (WAITING): opened by its customer, or reopened by their message. */
export const ChatConversationOpened = defineEvent(
  'chat.conversation-opened',
  1,
  Type.Object(
    {
      ...conversationRef,
      /** The order the customer asked about, if any. */
      orderId: Type.Union([Type.String({ maxLength: 100 }), Type.Null()]),
      queuedAt: Timestamp,
    },
    { additionalProperties: false },
  ),
);
export type ChatConversationOpenedPayload = Static<typeof ChatConversationOpened.schema>;

/** An agent (or admin) took the conversation, or it moved to another one (OPEN). */
export const ChatConversationAssigned = defineEvent(
  'chat.conversation-assigned',
  1,
  Type.Object(
    { ...conversationRef, assigneeId: UserId, assignedAt: Timestamp },
    { additionalProperties: false },
  ),
);
export type ChatConversationAssignedPayload = Static<typeof ChatConversationAssigned.schema>;

/** The conversation was resolved (RESOLVED), from the queue or from an agent's hands. */
export const ChatConversationResolved = defineEvent(
  'chat.conversation-resolved',
  1,
  Type.Object(
    {
      ...conversationRef,
      assigneeId: Type.Union([UserId, Type.Null()]),
      resolvedAt: Timestamp,
    },
    { additionalProperties: false },
  ),
);
export type ChatConversationResolvedPayload = Static<typeof ChatConversationResolved.schema>;

/** Everything chat-service publishes. */
export const CHAT_EVENTS = [ChatConversationOpened, ChatConversationAssigned, ChatConversationResolved].map(
  (e) => e.name,
);
