import type WebSocket from 'ws';

/** What became of a frame: sent, dropped (the socket is not open), or refused because the client reads too slowly. */
export type FrameOutcome = 'sent' | 'closed' | 'overflow';

/**
 * Sends one JSON text frame, unless more than `maxBufferedBytes` already wait for this client: then
 * 'overflow', and the caller closes it (the client reconnects and resumes) rather than buffer without end.
 */
export function sendJsonFrame(socket: WebSocket, frame: unknown, maxBufferedBytes: number): FrameOutcome {
  if (socket.readyState !== socket.OPEN) return 'closed';
  if (socket.bufferedAmount > maxBufferedBytes) return 'overflow';
  socket.send(JSON.stringify(frame));
  return 'sent';
}

/** A server-side connection that answers protocol pings (`alive` is set again by its 'pong'). */
export interface PingedConnection {
  readonly socket: WebSocket;
  alive: boolean;
}

/**
 * One round of protocol pings: a connection that did not answer the previous one is dead (a vanished
 * client or proxy) and goes to `dead` (terminate and forget it); the others are pinged.
 */
export function pingConnections<C extends PingedConnection>(
  connections: Iterable<C>,
  dead: (c: C) => void,
): void {
  for (const connection of [...connections]) {
    if (!connection.alive) {
      dead(connection);
      continue;
    }
    connection.alive = false;
    connection.socket.ping();
  }
}

/** One open socket of one user, as `LiveSockets` keeps it. */
export interface LiveConnection extends PingedConnection {
  readonly userId: string;
  /** Set once the connection left the registry (closed by either side, errored or reaped). */
  closed: boolean;
}

export interface LiveSocketsOptions<C extends LiveConnection> {
  /** The close code for a client that reads too slowly (it reconnects and resumes). */
  overflowCode: number;
  /** Once per connection that leaves; `remaining` are its user's other connections here. */
  onDetach?: (connection: C, remaining: ReadonlySet<C>) => void;
  /** The server closed a connection with this code (for metrics). */
  onServerClose?: (code: number) => void;
}

/** Heartbeat rounds are cut into this many ticks, each pinging its share of the connections. */
const HEARTBEAT_TICKS = 25;

/**
 * The live sockets of one instance, by user: registration, writes bounded per client, closes, and a
 * protocol heartbeat spread over its interval (thousands of pings at once would stall this process,
 * and the gateway answering their pongs, for every message in flight).
 */
export class LiveSockets<C extends LiveConnection> {
  private readonly byUser = new Map<string, Set<C>>();
  private heartbeat: NodeJS.Timeout | undefined;
  /** Set while the heartbeat is started: schedules its next tick. */
  private scheduleHeartbeat: (() => void) | undefined;
  /** Each connection's tick of the heartbeat round: pinged exactly once per interval. */
  private readonly heartbeatTick = new WeakMap<C, number>();
  private added = 0;

  constructor(private readonly options: LiveSocketsOptions<C>) {}

  get size(): number {
    let n = 0;
    for (const set of this.byUser.values()) n += set.size;
    return n;
  }

  /** The users with a connection here. */
  users(): string[] {
    return [...this.byUser.keys()];
  }

  /** A user's connections here (empty when none). */
  of(userId: string): ReadonlySet<C> {
    return this.byUser.get(userId) ?? new Set();
  }

  all(): C[] {
    return [...this.byUser.values()].flatMap((set) => [...set]);
  }

  /** Registers a connection: a pong marks it alive, its close or error removes it. */
  add(connection: C): void {
    const set = this.byUser.get(connection.userId) ?? new Set();
    this.byUser.set(connection.userId, set);
    set.add(connection);
    this.heartbeatTick.set(connection, this.added++ % HEARTBEAT_TICKS);
    if (!this.heartbeat) this.scheduleHeartbeat?.();
    connection.socket.on('pong', () => {
      connection.alive = true;
    });
    connection.socket.on('close', () => this.detach(connection));
    connection.socket.on('error', () => this.detach(connection));
  }

  /** Writes one JSON frame; a client that lets too much pile up is closed (it resumes). True when sent. */
  write(connection: C, frame: unknown, maxBufferedBytes: number): boolean {
    if (connection.closed) return false;
    const outcome = sendJsonFrame(connection.socket, frame, maxBufferedBytes);
    if (outcome === 'overflow')
      this.close(connection, this.options.overflowCode, 'too slow: reconnect and resume');
    return outcome === 'sent';
  }

  /** Closes a connection with a code (once) and forgets it. */
  close(connection: C, code: number, reason: string): void {
    if (!connection.closed) {
      connection.socket.close(code, reason);
      this.options.onServerClose?.(code);
    }
    this.detach(connection);
  }

  /** Forgets a connection; a second call does nothing. */
  detach(connection: C): void {
    connection.closed = true;
    const set = this.byUser.get(connection.userId);
    if (!set?.delete(connection)) return;
    if (set.size === 0) this.byUser.delete(connection.userId);
    this.options.onDetach?.(connection, set);
  }

  /**
   * Pings every connection once per `intervalMs()`, a share per tick; one that did not answer its
   * previous ping is dead (a vanished client or proxy) and is terminated.
   */
  startHeartbeat(intervalMs: () => number): void {
    let tick = 0;
    const run = () => {
      // With no connection the round pauses (an idle instance is not woken every second); add() resumes it.
      if (this.size === 0) {
        this.heartbeat = undefined;
        return;
      }
      tick = (tick + 1) % HEARTBEAT_TICKS;
      pingConnections(
        this.all().filter((c) => this.heartbeatTick.get(c) === tick),
        (dead) => {
          dead.socket.terminate();
          this.detach(dead);
        },
      );
      this.scheduleHeartbeat?.();
    };
    this.scheduleHeartbeat = () => {
      this.heartbeat = setTimeout(run, intervalMs() / HEARTBEAT_TICKS);
      this.heartbeat.unref();
    };
    this.scheduleHeartbeat();
  }

  /** Stops the heartbeat and closes every connection (1001: clients reconnect elsewhere and resume). */
  stop(code: number, reason: string): void {
    clearTimeout(this.heartbeat);
    this.heartbeat = undefined;
    this.scheduleHeartbeat = undefined;
    for (const connection of this.all()) this.close(connection, code, reason);
  }
}
