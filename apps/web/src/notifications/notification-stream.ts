import type { NotificationServerMessage, NotificationView } from '@sagamart/contracts';

// The client side of /ws/notifications (protocol: docs/events.md). One stream per signed-in tab:
// it resumes from the highest seq it holds after every reconnect, so nothing is missed or doubled.

export type StreamStatus = 'connecting' | 'online' | 'offline';

export interface StreamOptions {
  /** ws(s)://host/ws/notifications */
  url: string;
  /** A usable access token (refreshed when about to expire); null when signed out. */
  token(): Promise<string | null>;
  /** The seq to resume after on the first connection (the newest one the page already shows). */
  baseline(): Promise<number>;
  onNotification(notification: NotificationView): void;
  /** The server no longer keeps what we missed: reload through REST. */
  onReset(): void;
  onStatus(status: StreamStatus): void;
}

/** Close codes of the protocol (SOCKET_CLOSE in @sagamart/contracts). */
const TOKEN_EXPIRED = 4001;
const PING_EVERY_MS = 20_000;
/** No message (not even a pong) for this long: the connection is dead even if the browser has not noticed. */
const SILENCE_LIMIT_MS = 45_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;

export class NotificationStream {
  private socket: WebSocket | undefined;
  private lastSeq: number | undefined;
  private attempts = 0;
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private lastHeard = 0;
  private readonly reconnectNow = () => {
    if (this.socket || this.stopped) return;
    clearTimeout(this.retryTimer);
    void this.connect();
  };

  constructor(private readonly options: StreamOptions) {}

  start(): void {
    window.addEventListener('online', this.reconnectNow);
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.reconnectNow);
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeat);
    this.socket?.close(1000);
    this.socket = undefined;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.options.onStatus(this.attempts === 0 ? 'connecting' : 'offline');
    let token: string | null;
    try {
      token = await this.options.token();
      this.lastSeq ??= await this.options.baseline();
    } catch {
      this.retry();
      return;
    }
    if (!token || this.stopped) return;
    // The token rides as a subprotocol, so it never appears in a URL or a log.
    const socket = new WebSocket(this.options.url, ['bearer', token]);
    this.socket = socket;
    socket.onopen = () => {
      this.lastHeard = Date.now();
      socket.send(JSON.stringify({ type: 'resume', since: this.lastSeq ?? 0 }));
      clearInterval(this.heartbeat);
      this.heartbeat = setInterval(() => this.beat(socket), PING_EVERY_MS);
    };
    socket.onmessage = (event) => {
      this.lastHeard = Date.now();
      this.receive(JSON.parse(String(event.data)) as NotificationServerMessage);
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

  private receive(message: NotificationServerMessage): void {
    switch (message.type) {
      case 'notification': {
        if (message.seq <= (this.lastSeq ?? 0)) return;
        this.lastSeq = message.seq;
        const { type: _, ...notification } = message;
        this.options.onNotification(notification);
        return;
      }
      case 'reset':
        this.lastSeq = message.last;
        this.options.onReset();
        return;
      case 'resumed':
        this.attempts = 0;
        this.options.onStatus('online');
        return;
      case 'pong':
        return;
    }
  }

  private beat(socket: WebSocket): void {
    if (Date.now() - this.lastHeard > SILENCE_LIMIT_MS) {
      socket.close(4000, 'silent');
      return;
    }
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'ping' }));
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

export function notificationSocketUrl(
  location: Pick<Location, 'protocol' | 'host'> = window.location,
): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/notifications`;
}
