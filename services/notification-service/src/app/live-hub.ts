import {
  NotificationClientMessage,
  type NotificationKind,
  type NotificationReadMessage,
  type NotificationServerMessage,
  type NotificationView,
  SOCKET_CLOSE,
} from '@sagamart/contracts';
import { type LiveConnection, LiveSockets, type Periodic, repeatEvery } from '@sagamart/kit';
import type { Logger } from 'pino';
import { Compile } from 'typebox/compile';
import type WebSocket from 'ws';
import { planResume } from '../domain/resume.ts';
import type { NotificationStore } from '../infra/notification-store.ts';

export interface HubSettings {
  resumeTimeoutMs: number;
  pingMs: number;
  maxBufferedBytes: number;
  replayBatch: number;
  sweepMs: number;
}

const clientMessage = Compile(NotificationClientMessage);

/** What the hub reports to /metrics (see module.ts). */
export interface HubMetrics {
  /** The server closed a socket with this code (4008 overflow, 4009 no resume, 1001 restart, …). */
  closedByServer(code: number): void;
}

/** One open socket of one user. */
class Subscriber implements LiveConnection {
  /** The highest seq sent on this socket; every later one is sent exactly once, in order. */
  lastSent = 0;
  resumeRequested = false;
  resumed = false;
  /** A replay from the database is running; `again` asks it for one more pass. */
  pumping = false;
  again = false;
  alive = true;
  closed = false;
  resumeTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly userId: string,
    /** Kinds this socket's reader may not see (see domain/visibility.ts): skipped, never sent. */
    readonly hidden: ReadonlySet<NotificationKind>,
    readonly socket: WebSocket,
  ) {}
}

/**
 * The live sockets of this instance. Every notification a socket gets comes from the user's history
 * in seq order: a live one is sent directly when it is the next seq, otherwise the gap is read from
 * the database. So a notification is never sent twice on a socket and never skipped, whichever
 * instance consumed its event and however the fan-out message travelled (or got lost: the sweep).
 */
export class LiveHub {
  private readonly sockets: LiveSockets<Subscriber>;
  private sweeper: Periodic | undefined;

  constructor(
    private readonly store: NotificationStore,
    private readonly settings: () => HubSettings,
    private readonly log: Logger,
    metrics: HubMetrics = { closedByServer: () => {} },
  ) {
    this.sockets = new LiveSockets<Subscriber>({
      overflowCode: SOCKET_CLOSE.overflow,
      onDetach: (sub) => clearTimeout(sub.resumeTimer),
      onServerClose: (code) => metrics.closedByServer(code),
    });
  }

  get connections(): number {
    return this.sockets.size;
  }

  start(): void {
    this.sockets.startHeartbeat(() => this.settings().pingMs);
    this.sweeper = repeatEvery(
      () => this.settings().sweepMs,
      () => this.sweep().catch((error) => this.log.warn({ err: error }, 'sweep failed')),
    );
  }

  /** Closes every socket with 1001: clients reconnect (to another instance) and resume. */
  stop(): void {
    void this.sweeper?.stop();
    this.sockets.stop(SOCKET_CLOSE.goingAway, 'server restarting');
  }

  attach(userId: string, hidden: readonly NotificationKind[], socket: WebSocket): void {
    const sub = new Subscriber(userId, new Set(hidden), socket);
    this.sockets.add(sub);
    sub.resumeTimer = setTimeout(
      () => this.close(sub, SOCKET_CLOSE.resumeTimeout, 'send resume first'),
      this.settings().resumeTimeoutMs,
    );
    socket.on('message', (data, isBinary) => {
      void this.onMessage(sub, isBinary ? null : data.toString()).catch((error) => {
        this.log.warn({ err: error, userId }, 'notification socket failed');
        this.close(sub, 1011, 'internal error');
      });
    });
  }

  /** A notification was committed (here or on another instance). */
  deliver(userId: string, notification: NotificationView): void {
    for (const sub of this.sockets.of(userId)) {
      if (!sub.resumed || notification.seq <= sub.lastSent) continue;
      if (!sub.pumping && notification.seq === sub.lastSent + 1) this.send(sub, notification);
      else this.catchUp(sub);
    }
  }

  /**
   * Some of the user's notifications were marked read (here or on another instance). Every socket of
   * the user gets it at once, resumed or not: it is not ordered by seq and never replayed.
   */
  deliverRead(userId: string, read: NotificationReadMessage): void {
    for (const sub of this.sockets.of(userId)) this.write(sub, read);
  }

  private catchUp(sub: Subscriber): void {
    this.pump(sub).catch((error) => {
      this.log.warn({ err: error, userId: sub.userId }, 'notification catch-up failed');
      this.close(sub, 1011, 'internal error');
    });
  }

  private async onMessage(sub: Subscriber, text: string | null): Promise<void> {
    let message: unknown;
    try {
      message = text === null ? undefined : JSON.parse(text);
    } catch {
      message = undefined;
    }
    if (!clientMessage.Check(message)) {
      this.close(
        sub,
        SOCKET_CLOSE.protocolError,
        'expected {"type":"resume","since":<seq>} or {"type":"ping"}',
      );
      return;
    }
    if (message.type === 'ping') {
      this.write(sub, { type: 'pong' });
      return;
    }
    if (sub.resumeRequested) {
      this.close(sub, SOCKET_CLOSE.protocolError, 'resume only once per connection');
      return;
    }
    sub.resumeRequested = true;
    clearTimeout(sub.resumeTimer);
    const plan = planResume(message.since, await this.store.keptRange(sub.userId));
    if (plan.type === 'reset') {
      sub.lastSent = plan.last;
      this.write(sub, { type: 'reset', last: plan.last });
    } else {
      sub.lastSent = plan.after;
    }
    await this.pump(sub);
    sub.resumed = true;
    this.write(sub, { type: 'resumed', last: sub.lastSent });
    // Anything committed while the replay ran but after its last read.
    await this.pump(sub);
  }

  /** Sends everything after `lastSent` from the database; one pump per socket at a time. */
  private async pump(sub: Subscriber): Promise<void> {
    if (sub.pumping) {
      sub.again = true;
      return;
    }
    sub.pumping = true;
    try {
      const { replayBatch } = this.settings();
      do {
        sub.again = false;
        for (;;) {
          if (sub.closed) return;
          const batch = await this.store.after(sub.userId, sub.lastSent, replayBatch);
          for (const notification of batch) if (!this.send(sub, notification)) return;
          if (batch.length < replayBatch) break;
        }
      } while (sub.again);
    } finally {
      sub.pumping = false;
    }
  }

  private send(sub: Subscriber, notification: NotificationView): boolean {
    if (notification.seq <= sub.lastSent) return true;
    // A hidden one is passed over like a sent one, so the socket goes on with the next seq.
    const shown = !sub.hidden.has(notification.kind);
    if (shown && !this.write(sub, { type: 'notification', ...notification })) return false;
    sub.lastSent = notification.seq;
    return true;
  }

  private write(sub: Subscriber, message: NotificationServerMessage): boolean {
    return this.sockets.write(sub, message, this.settings().maxBufferedBytes);
  }

  private close(sub: Subscriber, code: number, reason: string): void {
    this.sockets.close(sub, code, reason);
  }

  /** Catches up any socket behind its user's newest seq (a fan-out message that never arrived). */
  async sweep(): Promise<void> {
    const users = this.sockets.users();
    for (let i = 0; i < users.length; i += 1_000) {
      const last = await this.store.lastSeqs(users.slice(i, i + 1_000));
      for (const [userId, seq] of last) {
        for (const sub of this.sockets.of(userId)) if (sub.resumed && seq > sub.lastSent) this.catchUp(sub);
      }
    }
  }
}
