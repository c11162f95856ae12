import {
  CHAT_CLIENT_FRAME_MAX_BYTES,
  CHAT_ERROR_CODES,
  CHAT_SOCKET_CLOSE,
  CHAT_TEXT_CONTROL_CHARACTERS,
  CHAT_TEXT_MAX_CODE_POINTS,
  ChatClientFrame,
  type ChatErrorCode,
  type ChatMessage,
  type ChatServerFrame,
  ClientMessageId,
  ConversationId,
} from '@sagamart/contracts/http/chat';
import {
  type Identity,
  type LiveConnection,
  LiveSockets,
  type Periodic,
  Problem,
  repeatEvery,
} from '@sagamart/kit';
import type { Logger } from 'pino';
import { Compile } from 'typebox/compile';
import type WebSocket from 'ws';
import { canRead, isAgent } from '../domain/conversation.ts';
import type { ConversationStore } from '../infra/conversation-store.ts';
import type { Chat } from './chat.ts';
import type { ChatEvent, ConversationRef } from './chat-events.ts';

export interface HubSettings {
  pingMs: number;
  maxBufferedBytes: number;
  replayBatch: number;
  sweepMs: number;
}

/** What the hub reports to /metrics. */
export interface HubMetrics {
  /** A typing frame dropped by its socket's throttle. */
  typingDropped(): void;
}

const clientFrame = Compile(ChatClientFrame);
const conversationIdSchema = Compile(ConversationId);
const clientMessageIdSchema = Compile(ClientMessageId);
const CONTROL_CHARACTER = new RegExp(`[${CHAT_TEXT_CONTROL_CHARACTERS}]`, 'u');
const ERROR_CODES = new Set<string>(CHAT_ERROR_CODES);

/** Frames of one socket handled at once (frames about one conversation always one after the other). */
const FRAMES_AT_ONCE = 4;
/** Frames of one socket waiting to be handled beyond which new ones are refused: a flood, not a client. */
const MAX_PENDING_FRAMES = 256;

/** A token bucket: `capacity` at once, `perSecond` after that. */
class Bucket {
  private tokens: number;
  private at = Date.now();
  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
  ) {
    this.tokens = capacity;
  }

  /** Full again: as good as a new one. */
  full(now = Date.now()): boolean {
    return this.tokens + ((now - this.at) / 1_000) * this.perSecond >= this.capacity;
  }

  /** A token is there to take (nothing taken). */
  ready(now = Date.now()): boolean {
    return this.tokens + ((now - this.at) / 1_000) * this.perSecond >= 1;
  }

  take(now = Date.now()): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) / 1_000) * this.perSecond);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Conversations one socket's typing frames are paced in at most (a customer types in one, an agent a few). */
const MAX_TYPING_CONVERSATIONS = 32;

/**
 * Which typing frames of a socket are passed on: about one a second per conversation (a start and
 * its stop pass together) and a few a second in all; the rest are dropped before any database work.
 * The socket's overall budget is checked first, so a flood (of made-up conversation ids too) is
 * dropped without anything kept per id, and at most MAX_TYPING_CONVERSATIONS are kept.
 */
class TypingThrottle {
  private readonly conversations = new Map<string, Bucket>();
  private readonly all = new Bucket(6, 3);

  /** Conversations paced now. */
  get size(): number {
    return this.conversations.size;
  }

  allow(conversationId: string): boolean {
    const now = Date.now();
    if (!this.all.ready(now)) return false;
    let bucket = this.conversations.get(conversationId);
    if (!bucket) {
      if (this.conversations.size >= MAX_TYPING_CONVERSATIONS) this.makeRoom(now);
      bucket = new Bucket(2, 1);
      this.conversations.set(conversationId, bucket);
    }
    return bucket.take(now) && this.all.take(now);
  }

  /** Forgets the buckets full again (as good as new), or else the oldest one. */
  private makeRoom(now: number): void {
    for (const [id, bucket] of this.conversations) if (bucket.full(now)) this.conversations.delete(id);
    if (this.conversations.size < MAX_TYPING_CONVERSATIONS) return;
    const oldest = this.conversations.keys().next().value;
    if (oldest !== undefined) this.conversations.delete(oldest);
  }
}

/** At most `limit` tasks at once; the others wait their turn in order. */
class Slots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.limit) this.running += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiting task, or is given back.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

/** The ids an error frame carries back from the frame it refuses (the web marks that message failed). */
type FrameIds = { conversationId?: string; clientMessageId?: string };

function idsOf(frame: ChatClientFrame): FrameIds {
  return {
    ...('conversationId' in frame ? { conversationId: frame.conversationId } : {}),
    ...('clientMessageId' in frame ? { clientMessageId: frame.clientMessageId } : {}),
  };
}

/** A client frame as read: one of the protocol, or why it is refused (`refused`). */
type ReceivedFrame =
  | { frame: ChatClientFrame; ids: FrameIds }
  | { frame?: undefined; refused: string; ids: FrameIds };

/** One open /ws/chat socket of one user. */
class Subscriber implements LiveConnection {
  /** Per conversation, the highest seq sent on this socket: later ones are sent once, in order. */
  readonly lastSent = new Map<string, number>();
  /** Conversations the socket resumed (an agent or admin looking at one that is not theirs). */
  readonly watching = new Set<string>();
  readonly pumping = new Set<string>();
  readonly again = new Set<string>();
  alive = true;
  closed = false;
  /**
   * Per conversation, the frames still being handled: one after the other, so a conversation's
   * messages are stored (and numbered) in the order sent; different conversations go in parallel.
   */
  readonly handling = new Map<string, Promise<void>>();
  /** Frames received and not yet handled; and how many run at once. */
  pending = 0;
  readonly slots = new Slots(FRAMES_AT_ONCE);
  readonly typing = new TypingThrottle();

  constructor(
    readonly identity: Identity,
    readonly socket: WebSocket,
  ) {}

  get userId(): string {
    return this.identity.userId;
  }

  get agent(): boolean {
    return isAgent(this.identity.role);
  }
}

/**
 * This instance's chat sockets. A message reaches a socket in seq order and once: the next one is
 * sent directly, a gap is read from the database (a fan-out that arrived late or never: the sweep).
 * Everything else (typing, read marks, assignment, status, queue) is a plain notice.
 */
export class ChatHub {
  private readonly sockets: LiveSockets<Subscriber>;
  private sweeper: Periodic | undefined;
  private queueTimer: NodeJS.Timeout | undefined;
  private readonly newlyQueued = new Set<string>();

  constructor(
    private readonly chat: Chat,
    private readonly store: ConversationStore,
    private readonly settings: () => HubSettings,
    private readonly log: Logger,
    /** An agent's first socket here opened or its last one closed. */
    private readonly onAgentsChanged: () => void,
    private readonly metrics: HubMetrics = { typingDropped: () => {} },
  ) {
    this.sockets = new LiveSockets<Subscriber>({
      overflowCode: CHAT_SOCKET_CLOSE.overflow,
      onDetach: (sub, remaining) => {
        if (sub.agent && ![...remaining].some((s) => s.agent)) this.onAgentsChanged();
      },
    });
  }

  get connections(): number {
    return this.sockets.size;
  }

  /** The conversations the sockets here pace typing frames of (each socket holds a bounded number). */
  typingConversations(): number {
    return this.sockets.all().reduce((sum, sub) => sum + sub.typing.size, 0);
  }

  /** The agents (and admins) holding a socket here, with how many each. */
  agentConnections(): Map<string, number> {
    const agents = new Map<string, number>();
    for (const userId of this.sockets.users()) {
      const n = [...this.sockets.of(userId)].filter((s) => s.agent).length;
      if (n) agents.set(userId, n);
    }
    return agents;
  }

  start(): void {
    this.sockets.startHeartbeat(() => this.settings().pingMs);
    this.sweeper = repeatEvery(
      () => this.settings().sweepMs,
      () => this.sweep().catch((error) => this.log.warn({ err: error }, 'chat sweep failed')),
    );
  }

  /** Closes every socket with 1001: clients reconnect (to another instance) and resume. */
  stop(): void {
    clearTimeout(this.queueTimer);
    void this.sweeper?.stop();
    this.sockets.stop(CHAT_SOCKET_CLOSE.goingAway, 'server restarting');
  }

  /**
   * What a user may already hold of their conversations (an agent's OPEN ones, a customer's own): the
   * newest seq of each. Read before their socket opens, so that every message stored after it opened
   * is newer and reaches it live; one stored between this read and the opening arrives too, once.
   */
  async held(identity: Identity): Promise<Map<string, number>> {
    const rows = await this.store.participating(identity.userId, isAgent(identity.role));
    return new Map(rows.map((row) => [row.id, row.last_seq]));
  }

  /** Takes an opened socket; `heldAtOpen` is what `held()` read before it opened. */
  async attach(
    identity: Identity,
    socket: WebSocket,
    heldAtOpen: ReadonlyMap<string, number>,
  ): Promise<void> {
    const sub = new Subscriber(identity, socket);
    for (const [id, seq] of heldAtOpen) sub.lastSent.set(id, seq);
    const firstAgentSocket = sub.agent && ![...this.sockets.of(identity.userId)].some((s) => s.agent);
    this.sockets.add(sub);
    socket.on('message', (data, isBinary) => {
      const received = readFrame(data, isBinary);
      const { frame, ids } = received;
      if (frame?.type === 'typing' && !sub.typing.allow(frame.conversationId)) {
        this.metrics.typingDropped();
        return;
      }
      if (sub.pending >= MAX_PENDING_FRAMES) {
        this.write(sub, {
          type: 'error',
          code: 'rate-limited',
          message: 'Too many frames at once; send it again in a moment',
          ...ids,
        });
        return;
      }
      sub.pending += 1;
      const key = ids.conversationId ?? '';
      const next = (sub.handling.get(key) ?? Promise.resolve()).then(() =>
        sub.slots
          .run(() => this.onFrame(sub, received))
          .catch((error) => {
            this.log.warn({ err: error, userId: identity.userId }, 'chat frame failed');
            this.write(sub, {
              type: 'error',
              code: 'internal',
              message: 'Something went wrong; try again',
              ...ids,
            });
          })
          .finally(() => {
            sub.pending -= 1;
          }),
      );
      sub.handling.set(key, next);
      void next.then(() => {
        if (sub.handling.get(key) === next) sub.handling.delete(key);
      });
    });
    await this.chat.seen(identity);
    // Messages stored after `heldAtOpen` was read and fanned out before the socket was here.
    await this.catchUp([sub]);
    if (firstAgentSocket) this.onAgentsChanged();
    if (!sub.agent) await this.sendQueuePositions([sub]);
  }

  // ---- client frames ----

  private async onFrame(sub: Subscriber, received: ReceivedFrame): Promise<void> {
    const { frame, ids } = received;
    if (!frame) {
      this.write(sub, { type: 'error', code: 'bad-frame', message: received.refused, ...ids });
      return;
    }
    const { identity } = sub;
    try {
      switch (frame.type) {
        case 'ping':
          this.write(sub, { type: 'pong' });
          return;
        case 'message': {
          const sent = await this.chat.send(
            identity,
            frame.conversationId,
            frame.clientMessageId,
            frame.text,
          );
          // A resend is answered with the stored message, even if this socket had it already.
          if (sent.duplicate) this.write(sub, { type: 'message', ...sent.message });
          else this.deliver(sub, frame.conversationId, sent.message.seq, sent.message);
          return;
        }
        case 'typing':
          await this.chat.typing(identity, frame.conversationId, frame.typing);
          return;
        case 'read':
          await this.chat.markRead(identity, frame.conversationId, frame.seq);
          return;
        case 'resume':
          await this.resume(sub, frame.conversationId, frame.since);
          return;
      }
    } catch (error) {
      if (!(error instanceof Problem)) throw error;
      const code = (ERROR_CODES.has(error.code) ? error.code : 'internal') as ChatErrorCode;
      this.write(sub, { type: 'error', code, message: error.message, ...ids });
    }
  }

  /** Everything after `since`, in order, then `resumed`; later messages follow live. */
  private async resume(sub: Subscriber, conversationId: string, since: number): Promise<void> {
    const { replayBatch } = this.settings();
    const batches = await this.chat.replay(sub.identity, conversationId, since, replayBatch);
    sub.watching.add(conversationId);
    sub.pumping.add(conversationId);
    let last = since;
    try {
      for await (const batch of batches) {
        for (const message of batch) {
          if (!this.write(sub, { type: 'message', ...message })) return;
          last = message.seq;
        }
      }
      sub.lastSent.set(conversationId, last);
    } finally {
      sub.pumping.delete(conversationId);
    }
    this.write(sub, { type: 'resumed', conversationId, last });
    // Anything committed after the replay's last read.
    await this.pump(sub, conversationId);
  }

  // ---- events (this instance's and the other instances') ----

  apply(events: readonly ChatEvent[]): void {
    for (const event of events) {
      switch (event.kind) {
        case 'message':
          for (const sub of this.readers(event.conversation))
            this.deliver(sub, event.conversation.id, event.seq, event.message);
          break;
        case 'typing':
          for (const sub of this.readers(event.conversation))
            if (sub.agent !== (event.by === 'AGENT'))
              this.write(sub, {
                type: 'typing',
                conversationId: event.conversation.id,
                typing: event.typing,
                by: event.by,
              });
          break;
        case 'read':
          for (const sub of this.readers(event.conversation))
            this.write(sub, {
              type: 'read',
              conversationId: event.conversation.id,
              seq: event.seq,
              by: event.by,
            });
          break;
        case 'assigned':
          this.assigned(event);
          break;
        case 'status':
          // Every change of assignee or status comes with one: who lost the conversation stops following it.
          this.recheckFollowers(event.conversation);
          for (const sub of this.readers(event.conversation, true))
            this.write(sub, {
              type: 'status',
              conversationId: event.conversation.id,
              status: event.conversation.status,
            });
          break;
        case 'queued':
          this.newlyQueued.add(event.conversation.id);
          this.queueChanged();
          break;
        case 'queue':
          this.queueChanged();
          break;
      }
    }
  }

  /** The customer and every agent socket hear of it; the new assignee's sockets follow its messages from now on. */
  private assigned(event: Extract<ChatEvent, { kind: 'assigned' }>): void {
    const { conversation } = event;
    const frame: ChatServerFrame = {
      type: 'assigned',
      conversationId: conversation.id,
      agentName: event.agentName,
      agentId: event.agentId,
    };
    for (const sub of this.sockets.of(event.agentId))
      if (!sub.lastSent.has(conversation.id)) sub.lastSent.set(conversation.id, event.lastSeq);
    this.recheckFollowers(conversation);
    for (const sub of this.readers(conversation, true)) this.write(sub, frame);
  }

  /**
   * The sockets following a conversation that, as the event has it, may not read it any more are
   * checked against the database (events of different changes may arrive out of order) and stop
   * following it if they may not.
   */
  private recheckFollowers(conversation: ConversationRef): void {
    const lost = this.sockets
      .all()
      .filter(
        (sub) =>
          (sub.lastSent.has(conversation.id) || sub.watching.has(conversation.id)) &&
          !canRead(sub.identity, conversation),
      );
    if (lost.length)
      this.catchUp(lost, [conversation.id]).catch((error) =>
        this.log.warn({ err: error }, 'chat follower check failed'),
      );
  }

  /** The socket stops following a conversation it may no longer read. */
  private forget(sub: Subscriber, conversationId: string): void {
    sub.lastSent.delete(conversationId);
    sub.watching.delete(conversationId);
    sub.again.delete(conversationId);
  }

  /**
   * The sockets that may see a conversation's frames: its customer's, its assignee's, and those that
   * resumed it and may still read it; with `allAgents`, every agent socket that may read it.
   */
  private readers(conversation: ConversationRef, allAgents = false): Subscriber[] {
    const found = new Set<Subscriber>();
    const add = (userId: string | null) => {
      if (userId) for (const sub of this.sockets.of(userId)) found.add(sub);
    };
    add(conversation.customerId);
    add(conversation.assigneeId);
    for (const sub of this.sockets.all())
      if (sub.watching.has(conversation.id) || (allAgents && sub.agent)) found.add(sub);
    return [...found].filter((sub) => canRead(sub.identity, conversation) || (allAgents && sub.agent));
  }

  private deliver(sub: Subscriber, conversationId: string, seq: number, message?: ChatMessage): void {
    const last = sub.lastSent.get(conversationId) ?? seq - 1;
    if (!sub.lastSent.has(conversationId)) sub.lastSent.set(conversationId, last);
    if (seq <= last) return;
    if (message && seq === last + 1 && !sub.pumping.has(conversationId)) {
      if (this.write(sub, { type: 'message', ...message })) sub.lastSent.set(conversationId, seq);
      return;
    }
    this.pump(sub, conversationId).catch((error) => {
      this.log.warn({ err: error, userId: sub.identity.userId }, 'chat catch-up failed');
      this.close(sub, 1011, 'internal error');
    });
  }

  /** Sends everything after the socket's last seq of the conversation from the database; one pump per conversation at a time. */
  private async pump(sub: Subscriber, conversationId: string): Promise<void> {
    if (sub.pumping.has(conversationId)) {
      sub.again.add(conversationId);
      return;
    }
    sub.pumping.add(conversationId);
    try {
      const { replayBatch } = this.settings();
      do {
        sub.again.delete(conversationId);
        for (;;) {
          const last = sub.lastSent.get(conversationId);
          if (sub.closed || last === undefined) return;
          const { messages: batch, access } = await this.store.afterWithAccess(
            conversationId,
            last,
            replayBatch,
          );
          // Who the conversation belongs to as these messages were read: a former reader gets none.
          if (access && !canRead(sub.identity, access)) {
            this.forget(sub, conversationId);
            return;
          }
          for (const message of batch) {
            if (message.seq <= (sub.lastSent.get(conversationId) ?? 0)) continue;
            if (!this.write(sub, { type: 'message', ...message })) return;
            sub.lastSent.set(conversationId, message.seq);
          }
          if (batch.length < replayBatch) break;
        }
      } while (sub.again.has(conversationId));
    } finally {
      sub.pumping.delete(conversationId);
    }
  }

  /** Queue positions move for every waiting customer; coalesced so a burst costs one query. */
  private queueChanged(): void {
    if (this.queueTimer) return;
    this.queueTimer = setTimeout(() => {
      this.queueTimer = undefined;
      const customers = this.sockets.all().filter((s) => !s.agent);
      this.sendQueuePositions(customers).catch((error) =>
        this.log.warn({ err: error }, 'chat queue positions failed'),
      );
    }, 50);
    this.queueTimer.unref();
  }

  private async sendQueuePositions(customers: Subscriber[]): Promise<void> {
    const queued = [...this.newlyQueued];
    this.newlyQueued.clear();
    const agents = queued.length ? this.sockets.all().filter((s) => s.agent) : [];
    if (customers.length === 0 && agents.length === 0) return;
    const state = await this.chat.queueState();
    const frameOf = (conversationId: string, position: number): ChatServerFrame => ({
      type: 'queue',
      conversationId,
      position,
      estimatedWaitSeconds: state.estimate(position),
      agentsOnline: state.agentsOnline,
    });
    if (customers.length) {
      const mine = new Map<string, Array<[string, number]>>();
      for (const [id, { position, customerId }] of state.positions)
        mine.set(customerId, [...(mine.get(customerId) ?? []), [id, position]]);
      for (const sub of customers)
        for (const [id, position] of mine.get(sub.identity.userId) ?? [])
          this.write(sub, frameOf(id, position));
    }
    for (const id of queued) {
      const entry = state.positions.get(id);
      if (entry) for (const sub of agents) this.write(sub, frameOf(id, entry.position));
    }
  }

  private write(sub: Subscriber, frame: ChatServerFrame): boolean {
    return this.sockets.write(sub, frame, this.settings().maxBufferedBytes);
  }

  private close(sub: Subscriber, code: number, reason: string): void {
    this.sockets.close(sub, code, reason);
  }

  /** Catches up every socket behind a conversation's newest seq (a fan-out message that never arrived). */
  sweep(): Promise<void> {
    return this.catchUp(this.sockets.all());
  }

  /**
   * Sends what the sockets miss of the conversations they follow (all of them, or `only`), and
   * stops them following those their user may no longer read.
   */
  private async catchUp(subs: readonly Subscriber[], only?: readonly string[]): Promise<void> {
    const ids = only ?? [...new Set(subs.flatMap((s) => [...s.lastSent.keys(), ...s.watching]))];
    for (let i = 0; i < ids.length; i += 1_000) {
      const last = await this.store.lastSeqs(ids.slice(i, i + 1_000));
      for (const sub of subs)
        for (const [id, { lastSeq, access }] of last) {
          const sent = sub.lastSent.get(id);
          if (sent === undefined && !sub.watching.has(id)) continue;
          if (!canRead(sub.identity, access)) this.forget(sub, id);
          else if (sent !== undefined && lastSeq > sent) this.deliver(sub, id, lastSeq);
        }
    }
  }
}

const NOT_A_FRAME = 'Expected a message, typing, read, resume or ping frame (docs/events.md)';

/**
 * A client frame of the protocol, or why not. A refused frame that names a conversation or a message
 * has them echoed in its error frame, so that its client marks that message failed instead of sending
 * it again (a closed socket would have it resent after every reconnect).
 */
function readFrame(data: WebSocket.RawData, isBinary: boolean): ReceivedFrame {
  if (isBinary) return { refused: NOT_A_FRAME, ids: {} };
  const bytes = Array.isArray(data) ? data.reduce((sum, part) => sum + part.length, 0) : data.byteLength;
  let value: unknown;
  try {
    value = JSON.parse(data.toString());
  } catch {
    return { refused: NOT_A_FRAME, ids: {} };
  }
  if (bytes > CHAT_CLIENT_FRAME_MAX_BYTES)
    return {
      refused: `A frame is at most ${CHAT_CLIENT_FRAME_MAX_BYTES} bytes (a message at most ${CHAT_TEXT_MAX_CODE_POINTS} characters)`,
      ids: claimedIds(value),
    };
  if (clientFrame.Check(value)) return { frame: value, ids: idsOf(value) };
  const text = (value as { text?: unknown } | null)?.text;
  return {
    refused:
      typeof text === 'string' && CONTROL_CHARACTER.test(text)
        ? 'A message may not hold control characters (line breaks and tabs are fine)'
        : NOT_A_FRAME,
    ids: claimedIds(value),
  };
}

/** The well-formed ids a refused frame names. */
function claimedIds(value: unknown): FrameIds {
  if (typeof value !== 'object' || value === null) return {};
  const { conversationId, clientMessageId } = value as Record<string, unknown>;
  return {
    ...(conversationIdSchema.Check(conversationId) ? { conversationId } : {}),
    ...(clientMessageIdSchema.Check(clientMessageId) ? { clientMessageId } : {}),
  };
}
