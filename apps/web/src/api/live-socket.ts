// One reconnecting WebSocket through the gateway, shared by the live streams (notifications, chat):
// the token as a subprotocol, a reconnect with backoff and jitter after every drop, an immediate one
// when the token expired (close 4001) or the browser comes back online, and an optional heartbeat
// that closes a connection gone silent. What travels over it is the stream's business.

export type StreamStatus = 'connecting' | 'online' | 'offline';

/** The part of the browser's WebSocket a live socket uses (tests pass a fake). */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface LiveSocketOptions {
  /** ws(s)://host/ws/… */
  url: string;
  /** A usable access token (refreshed when about to expire); null when signed out. */
  token(): Promise<string | null>;
  /** Work to do before each connection (e.g. load a baseline); a failure counts as a failed attempt. */
  prepare?(): Promise<void>;
  onOpen(send: (frame: unknown) => void): void;
  onFrame(frame: unknown): void;
  /** Reported as `offline` on every drop; the stream reports `online` itself once it is in sync. */
  onStatus(status: StreamStatus): void;
  /** A frame to send every PING_EVERY_MS, for protocols with an application-level ping. */
  ping?: unknown;
  /** Defaults to the browser's WebSocket. */
  createSocket?(url: string, protocols: string[]): SocketLike;
  /** Defaults to the browser window's `online` event. */
  onBrowserOnline?(listener: () => void): () => void;
}

/** Close codes of the gateway's sockets (SOCKET_CLOSE in @sagamart/contracts). */
const TOKEN_EXPIRED = 4001;
const OPEN = 1;
const PING_EVERY_MS = 20_000;
/** No frame (not even a pong) for this long: the connection is dead even if the browser has not noticed. */
const SILENCE_LIMIT_MS = 45_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;

export class LiveSocket {
  private socket: SocketLike | undefined;
  private attempts = 0;
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private lastHeard = 0;
  private removeOnlineListener: (() => void) | undefined;
  private readonly reconnectNow = () => {
    if (this.socket || this.stopped) return;
    clearTimeout(this.retryTimer);
    void this.connect();
  };

  constructor(private readonly options: LiveSocketOptions) {}

  start(): void {
    const listen =
      this.options.onBrowserOnline ??
      ((listener: () => void) => {
        window.addEventListener('online', listener);
        return () => window.removeEventListener('online', listener);
      });
    this.removeOnlineListener = listen(this.reconnectNow);
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.removeOnlineListener?.();
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeat);
    this.socket?.close(1000);
    this.socket = undefined;
  }

  /** Sends a frame if connected; answers whether it went out. */
  send(frame: unknown): boolean {
    if (!this.socket || this.socket.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** The stream is in sync: the next drop starts the backoff from its shortest delay again. */
  markHealthy(): void {
    this.attempts = 0;
    this.options.onStatus('online');
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.options.onStatus(this.attempts === 0 ? 'connecting' : 'offline');
    let token: string | null;
    try {
      token = await this.options.token();
      await this.options.prepare?.();
    } catch {
      this.retry();
      return;
    }
    if (!token || this.stopped) return;
    // The token rides as a subprotocol, so it never appears in a URL or a log.
    const create =
      this.options.createSocket ??
      ((url, protocols) => new WebSocket(url, protocols) as unknown as SocketLike);
    const socket = create(this.options.url, ['bearer', token]);
    this.socket = socket;
    socket.onopen = () => {
      this.lastHeard = Date.now();
      this.options.onOpen((frame) => socket.send(JSON.stringify(frame)));
      clearInterval(this.heartbeat);
      if (this.options.ping !== undefined)
        this.heartbeat = setInterval(() => this.beat(socket), PING_EVERY_MS);
    };
    socket.onmessage = (event) => {
      this.lastHeard = Date.now();
      let frame: unknown;
      try {
        frame = JSON.parse(String(event.data));
      } catch {
        return;
      }
      this.options.onFrame(frame);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      clearInterval(this.heartbeat);
      if (this.stopped) return;
      // An expired token: the next token() call refreshes it; reconnect at once.
      if (event.code === TOKEN_EXPIRED) void this.connect();
      else this.retry();
    };
  }

  private beat(socket: SocketLike): void {
    if (Date.now() - this.lastHeard > SILENCE_LIMIT_MS) {
      socket.close(4000, 'silent');
      return;
    }
    if (socket.readyState === OPEN) socket.send(JSON.stringify(this.options.ping));
  }

  /** Exponential backoff with jitter, so a restarted server is not hit by every client at once. */
  private retry(): void {
    this.options.onStatus('offline');
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** this.attempts);
    this.attempts += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), ceiling / 2 + Math.random() * (ceiling / 2));
  }
}

/** ws(s)://this-host/ws/{name}: the gateway serves the app and proxies the sockets. */
export function liveSocketUrl(
  name: string,
  location: Pick<Location, 'protocol' | 'host'> = window.location,
): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/${name}`;
}
