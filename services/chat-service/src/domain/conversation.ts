import {
  CHAT_TEXT_MAX_CODE_POINTS,
  type ChatErrorCode,
  type ConversationStatus,
  type SenderRole,
} from '@sagamart/contracts/http/chat';
import type { Role } from '@sagamart/kit/pure';

/** Who is looking: the signed-in user and their role (USER = a customer; AGENT and ADMIN answer). */
export interface Viewer {
  userId: string;
  role: Role;
}

/** What authorization needs to know of a conversation. */
export interface ConversationFacts {
  customerId: string;
  assigneeId: string | null;
  status: ConversationStatus;
}

/** Which side a user writes on: customers as CUSTOMER, agents and admins as AGENT. */
export function sideOf(role: Role): SenderRole {
  return role === 'USER' ? 'CUSTOMER' : 'AGENT';
}

export function isAgent(role: Role): boolean {
  return role === 'AGENT' || role === 'ADMIN';
}

/**
 * A customer reads only their own conversations; an agent those in the queue and those assigned to
 * them (resolved ones included); an admin all. Anything else is "not found", never "forbidden".
 */
export function canRead(viewer: Viewer, conversation: ConversationFacts): boolean {
  if (viewer.role === 'ADMIN') return true;
  if (viewer.role === 'AGENT')
    return conversation.status === 'WAITING' || conversation.assigneeId === viewer.userId;
  return conversation.customerId === viewer.userId;
}

export type Refusal = { code: ChatErrorCode; message: string };

/** Characters that show nothing (zero-width spaces and joiners, word joiners, byte-order marks). */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;

/** The text a message may carry: something to see, at most CHAT_TEXT_MAX_CODE_POINTS code points. */
export function checkText(text: string): Refusal | undefined {
  if (text.replace(INVISIBLE, '').trim() === '')
    return { code: 'text-empty', message: '메시지를 입력해 주세요.' };
  let codePoints = 0;
  for (const _ of text) codePoints += 1;
  if (codePoints > CHAT_TEXT_MAX_CODE_POINTS)
    return {
      code: 'text-too-long',
      message: `메시지는 ${CHAT_TEXT_MAX_CODE_POINTS.toLocaleString('ko-KR')}자까지 보낼 수 있습니다.`,
    };
  return undefined;
}

/**
 * What a new message does to its conversation: a customer's appends (and reopens a RESOLVED one,
 * back into the queue); an agent writes only to an OPEN one they hold (an admin to any OPEN one).
 */
export function planMessage(
  viewer: Viewer,
  conversation: ConversationFacts,
): { kind: 'append' } | { kind: 'reopen' } | ({ kind: 'refuse' } & Refusal) {
  if (!canRead(viewer, conversation)) return notFound;
  if (viewer.role === 'USER')
    return conversation.status === 'RESOLVED' ? { kind: 'reopen' } : { kind: 'append' };
  if (conversation.status === 'WAITING')
    return {
      kind: 'refuse',
      code: 'conflict',
      message: '대기 중인 상담은 먼저 배정받아야 답할 수 있습니다.',
    };
  if (conversation.status === 'RESOLVED')
    return { kind: 'refuse', code: 'conflict', message: '종료된 상담입니다.' };
  if (viewer.role === 'AGENT' && conversation.assigneeId !== viewer.userId) return notFound;
  return { kind: 'append' };
}

const notFound = { kind: 'refuse', code: 'not-found', message: '상담을 찾을 수 없습니다.' } as const;

/** A read marker moves forward only, and never past the newest message. */
export function nextReadMarker(current: number, seq: number, lastSeq: number): number {
  return Math.max(current, Math.min(seq, lastSeq));
}

/**
 * Who takes part in a conversation (sends typing and read marks): the customer in their own; an
 * agent in one they hold; an admin in any they read.
 */
export function takesPart(viewer: Viewer, conversation: ConversationFacts): boolean {
  if (!canRead(viewer, conversation)) return false;
  if (viewer.role === 'AGENT') return conversation.assigneeId === viewer.userId;
  return true;
}

/**
 * Whether a viewer's read moves their side's marker (the other side's read receipt and unread count):
 * the customer's always; the agent side's only the assignee's. An admin looking in on another's
 * conversation has read nothing for the agent who answers it.
 */
export function movesReadMarker(viewer: Viewer, conversation: ConversationFacts): boolean {
  if (!takesPart(viewer, conversation)) return false;
  return viewer.role === 'USER' || conversation.assigneeId === viewer.userId;
}

/**
 * Manual assignment: an agent takes a WAITING one (or assigns it to a colleague), or transfers an OPEN
 * one they hold; an admin may (re)assign any that is not RESOLVED. The cap does not apply.
 */
export function mayAssign(viewer: Viewer, conversation: ConversationFacts): Refusal | undefined {
  if (!canRead(viewer, conversation)) return { code: 'not-found', message: 'No such conversation' };
  if (conversation.status === 'RESOLVED')
    return { code: 'conflict', message: 'The conversation is resolved' };
  if (viewer.role === 'ADMIN' || conversation.status === 'WAITING') return undefined;
  if (conversation.assigneeId === viewer.userId) return undefined;
  return { code: 'not-found', message: 'No such conversation' };
}

/** Resolving: the assignee (or an admin) resolves an OPEN one; a WAITING one may be closed by any agent. */
export function mayResolve(viewer: Viewer, conversation: ConversationFacts): Refusal | undefined {
  if (!canRead(viewer, conversation)) return { code: 'not-found', message: 'No such conversation' };
  if (conversation.status === 'RESOLVED')
    return { code: 'conflict', message: 'The conversation is already resolved' };
  return undefined;
}
