import type { ChatClientFrame, ChatMessage, ChatServerFrame } from '@sagamart/contracts/http/chat';
import { LiveSocket, type LiveSocketOptions, type StreamStatus } from '../api/live-socket.ts';

// The client side of /ws/chat (protocol: docs/events.md, "Chat"). One socket per signed-in tab
// carries every conversation the user follows. After each (re)connect it resumes every followed
// conversation from the highest seq it holds without a gap, and sends again every message the
// server has not echoed yet, with the same clientMessageId, so the server stores it once. Messages
// are delivered to the page once each, whatever the replay sends twice. The unconfirmed messages are
// kept in the tab's storage too, so a reload (or a closed panel) before the echo loses none of them.
// Read marks go again after each (re)connect too: one made while the socket connects, or sent just
// before a drop, still reaches the server (which keeps the highest), so the unread badge clears.
// A message sent MAX_UNANSWERED_SENDS times without an answer is marked failed instead of being sent
// again: one that closes the socket each time would otherwise go after every reconnect, forever.

export type { StreamStatus } from '../api/live-socket.ts';

/** A message written here that the server has not confirmed (echoed with a seq) yet. */
export interface OutgoingMessage {
  conversationId: string;
  clientMessageId: string;
  text: string;
  /** Set when the server refused it (too long, rate-limited…): it is not sent again by itself. */
  error?: { code: string; message: string };
  /** How often it went out without an answer yet (kept with it, so a reload does not start over). */
  sends?: number;
}

/** Sends of one message without an echo or an error after which it waits for the user's retry. */
const MAX_UNANSWERED_SENDS = 3;
/** The error of a message given up on (its socket closed each time it went out). */
const UNANSWERED = {
  code: 'unanswered',
  message: 'The server did not answer this message; send it again or discard it',
};

/** Where unconfirmed messages outlive the stream (a reload): see sessionOutbox(). */
export interface OutboxStorage {
  load(): OutgoingMessage[];
  save(messages: readonly OutgoingMessage[]): void;
}

export interface ChatStreamOptions
  extends Pick<LiveSocketOptions, 'url' | 'token' | 'createSocket' | 'onBrowserOnline'> {
  /** Every server frame except pong, with messages deduplicated by seq. */
  onFrame(frame: ChatServerFrame): void;
  /** The set of unconfirmed messages changed (sent, confirmed, refused). */
  onOutgoing(outgoing: readonly OutgoingMessage[]): void;
  onStatus(status: StreamStatus): void;
  newClientMessageId?(): string;
  /** Unconfirmed messages of an earlier stream are sent again from here; this one's are kept there. */
  outbox?: OutboxStorage;
}

/**
 * Which seqs of one conversation were delivered: everything up to `watermark` (no gap), plus the
 * ones above it that came early. A resume asks for everything after the watermark.
 */
export class SeqTracker {
  private readonly early = new Set<number>();
  constructor(private mark = 0) {}

  get watermark(): number {
    return this.mark;
  }

  /** True the first time a seq is seen. */
  accept(seq: number): boolean {
    if (seq <= this.mark || this.early.has(seq)) return false;
    this.early.add(seq);
    this.advance();
    return true;
  }

  /** Everything up to `seq` is known (e.g. loaded through REST). */
  raise(seq: number): void {
    if (seq <= this.mark) return;
    this.mark = seq;
    for (const early of this.early) if (early <= seq) this.early.delete(early);
    this.advance();
  }

  private advance(): void {
    while (this.early.delete(this.mark + 1)) this.mark += 1;
  }
}

export class ChatStream {
  private readonly socket: LiveSocket;
  private readonly seqs = new Map<string, SeqTracker>();
  private readonly outgoing = new Map<string, OutgoingMessage>();
  /** The highest seq read here in each conversation: sent again after every (re)connect. */
  private readonly reads = new Map<string, number>();
  private connected = false;

  constructor(private readonly options: ChatStreamOptions) {
    this.socket = new LiveSocket({
      url: options.url,
      token: options.token,
      ...(options.createSocket && { createSocket: options.createSocket }),
      ...(options.onBrowserOnline && { onBrowserOnline: options.onBrowserOnline }),
      onOpen: (send) => this.resumeAll(send),
      onFrame: (frame) => this.receive(frame as ChatServerFrame),
      onStatus: (status) => {
        if (status !== 'online') this.connected = false;
        options.onStatus(status);
      },
      ping: { type: 'ping' } satisfies ChatClientFrame,
    });
    for (const message of options.outbox?.load() ?? []) this.outgoing.set(message.clientMessageId, message);
  }

  start(): void {
    if (this.outgoing.size) this.publishOutgoing();
    this.socket.start();
  }

  stop(): void {
    this.socket.stop();
  }

  /**
   * Follow a conversation whose messages up to `since` are already shown (its history was loaded):
   * the server sends what came after, and every new message from then on.
   */
  follow(conversationId: string, since: number): void {
    const tracker = this.tracker(conversationId);
    tracker.raise(since);
    this.sendFrame({ type: 'resume', conversationId, since: tracker.watermark });
  }

  /** The highest seq of the conversation delivered without a gap (0: none). */
  lastSeq(conversationId: string): number {
    return this.seqs.get(conversationId)?.watermark ?? 0;
  }

  /** Writes a message; it stays outgoing (and is sent again after a reconnect) until the server echoes it. */
  send(conversationId: string, text: string): OutgoingMessage {
    const clientMessageId = this.options.newClientMessageId?.() ?? crypto.randomUUID();
    const message: OutgoingMessage = { conversationId, clientMessageId, text };
    this.outgoing.set(clientMessageId, message);
    if (this.connected) this.transmit(message, (frame) => this.socket.send(frame));
    this.publishOutgoing();
    return message;
  }

  /** Sends a refused message again (e.g. after a rate limit), with its own clientMessageId. */
  retry(clientMessageId: string): void {
    const message = this.outgoing.get(clientMessageId);
    if (!message) return;
    const { error: _, sends: __, ...again } = message;
    this.outgoing.set(clientMessageId, again);
    if (this.connected) this.transmit(again, (frame) => this.socket.send(frame));
    this.publishOutgoing();
  }

  discard(clientMessageId: string): void {
    if (this.outgoing.delete(clientMessageId)) this.publishOutgoing();
  }

  typing(conversationId: string, typing: boolean): void {
    this.sendFrame({ type: 'typing', conversationId, typing });
  }

  /** This side has read up to `seq`: sent now if connected, and again after every (re)connect. */
  read(conversationId: string, seq: number): void {
    if (seq <= (this.reads.get(conversationId) ?? 0)) return;
    this.reads.set(conversationId, seq);
    this.sendFrame({ type: 'read', conversationId, seq });
  }

  /**
   * Frames sent while disconnected are dropped: resume, resend and the read marks after the reconnect
   * cover them (a typing indicator is not worth sending late).
   */
  private sendFrame(frame: ChatClientFrame): void {
    if (this.connected) this.socket.send(frame);
  }

  private resumeAll(send: (frame: ChatClientFrame) => void): void {
    this.connected = true;
    for (const [conversationId, tracker] of this.seqs) {
      send({ type: 'resume', conversationId, since: tracker.watermark });
    }
    let changed = false;
    for (const message of [...this.outgoing.values()]) {
      if (message.error) continue;
      changed = true;
      if ((message.sends ?? 0) >= MAX_UNANSWERED_SENDS)
        this.outgoing.set(message.clientMessageId, { ...message, error: UNANSWERED });
      else this.transmit(message, send);
    }
    if (changed) this.publishOutgoing();
    for (const [conversationId, seq] of this.reads) send({ type: 'read', conversationId, seq });
    this.socket.markHealthy();
  }

  /** Sends a message once more, counted (the caller publishes the outgoing set). */
  private transmit(message: OutgoingMessage, send: (frame: ChatClientFrame) => void): void {
    const { conversationId, clientMessageId, text } = message;
    this.outgoing.set(clientMessageId, { ...message, sends: (message.sends ?? 0) + 1 });
    send({ type: 'message', conversationId, clientMessageId, text });
  }

  private receive(frame: ChatServerFrame): void {
    switch (frame.type) {
      case 'pong':
        return;
      case 'message':
        this.confirm(frame);
        if (!this.tracker(frame.conversationId).accept(frame.seq)) return;
        break;
      case 'resumed':
        this.tracker(frame.conversationId);
        break;
      case 'error':
        if (frame.clientMessageId) this.refuse(frame.clientMessageId, frame);
        break;
    }
    this.options.onFrame(frame);
  }

  private confirm(message: ChatMessage): void {
    if (this.outgoing.delete(message.clientMessageId)) this.publishOutgoing();
  }

  private refuse(clientMessageId: string, error: { code: string; message: string }): void {
    const message = this.outgoing.get(clientMessageId);
    if (!message) return;
    this.outgoing.set(clientMessageId, { ...message, error: { code: error.code, message: error.message } });
    this.publishOutgoing();
  }

  private tracker(conversationId: string): SeqTracker {
    let tracker = this.seqs.get(conversationId);
    if (!tracker) {
      tracker = new SeqTracker();
      this.seqs.set(conversationId, tracker);
    }
    return tracker;
  }

  private publishOutgoing(): void {
    const outgoing = [...this.outgoing.values()];
    this.options.outbox?.save(outgoing);
    this.options.onOutgoing(outgoing);
  }
}
