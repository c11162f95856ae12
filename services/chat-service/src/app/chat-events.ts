import type { ChatMessage, ConversationStatus, SenderRole } from '@sagamart/contracts/http/chat';

/** What every instance needs to know of a conversation to route a frame (and re-check who may see it). */
export interface ConversationRef {
  id: string;
  customerId: string;
  assigneeId: string | null;
  status: ConversationStatus;
}

/**
 * What happened, after commit: applied to this instance's sockets and broadcast on the transport's
 * `chat-message` channel to the others. A message travels without its text when it would not fit a
 * broadcast (PostgreSQL's NOTIFY takes 8000 bytes): receivers read it from the database.
 */
export type ChatEvent =
  | { kind: 'message'; conversation: ConversationRef; seq: number; message?: ChatMessage | undefined }
  | { kind: 'typing'; conversation: ConversationRef; by: SenderRole; typing: boolean }
  | { kind: 'read'; conversation: ConversationRef; seq: number; by: SenderRole }
  | { kind: 'assigned'; conversation: ConversationRef; agentId: string; agentName: string; lastSeq: number }
  | { kind: 'status'; conversation: ConversationRef }
  /** A conversation entered the queue: agents are told its position. */
  | { kind: 'queued'; conversation: ConversationRef }
  /** The queue changed: waiting customers get their new positions. */
  | { kind: 'queue' };

/** One broadcast: the events of one change, and the instance they come from (which ignores its own). */
export interface FanoutMessage {
  origin: string;
  events: ChatEvent[];
}

/** Broadcast payloads stay below this many bytes (NOTIFY's limit is 8000). */
export const MAX_FANOUT_BYTES = 7_000;
