import type {
  NotificationReadMessage,
  NotificationServerMessage,
  NotificationView,
} from '@sagamart/contracts';
import { LiveSocket, type LiveSocketOptions, liveSocketUrl, type StreamStatus } from '../api/live-socket.ts';

// The client side of /ws/notifications (protocol: docs/events.md). One stream per signed-in tab:
// it resumes from the highest seq it holds after every reconnect, so nothing is missed or doubled.

export type { StreamStatus } from '../api/live-socket.ts';

export interface StreamOptions extends Pick<LiveSocketOptions, 'createSocket' | 'onBrowserOnline'> {
  /** ws(s)://host/ws/notifications */
  url: string;
  /** A usable access token (refreshed when about to expire); null when signed out. */
  token(): Promise<string | null>;
  /** The seq to resume after on the first connection (the newest one the page already shows). */
  baseline(): Promise<number>;
  onNotification(notification: NotificationView): void;
  /** The server no longer keeps what we missed: reload through REST. */
  onReset(): void;
  /** Notifications were marked read, in this tab or in another tab or device of the user. */
  onRead(read: NotificationReadMessage): void;
  /** Back online after a drop: read marks are not replayed, so any made meanwhile must be read again. */
  onReconnected(): void;
  onStatus(status: StreamStatus): void;
}

export class NotificationStream {
  private lastSeq: number | undefined;
  private resumedBefore = false;
  private readonly socket: LiveSocket;

  constructor(private readonly options: StreamOptions) {
    this.socket = new LiveSocket({
      url: options.url,
      token: options.token,
      ...(options.createSocket && { createSocket: options.createSocket }),
      ...(options.onBrowserOnline && { onBrowserOnline: options.onBrowserOnline }),
      prepare: async () => {
        this.lastSeq ??= await options.baseline();
      },
      onOpen: (send) => send({ type: 'resume', since: this.lastSeq ?? 0 }),
      onFrame: (frame) => this.receive(frame as NotificationServerMessage),
      onStatus: options.onStatus,
      ping: { type: 'ping' },
    });
  }

  start(): void {
    this.socket.start();
  }

  stop(): void {
    this.socket.stop();
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
        this.socket.markHealthy();
        if (this.resumedBefore) this.options.onReconnected();
        this.resumedBefore = true;
        return;
      case 'read':
        if (isReadMark(message)) this.options.onRead(message);
        return;
      case 'pong':
        return;
    }
  }
}

/**
 * The bundle carries no schema library (the contracts' NotificationReadMessage checks it on the
 * server and in the tests): a frame is only used when it names what it marks.
 */
function isReadMark(message: NotificationReadMessage): boolean {
  if ('id' in message) return typeof message.id === 'string' && message.id !== '';
  return Number.isSafeInteger(message.upTo) && message.upTo > 0;
}

export function notificationSocketUrl(
  location: Pick<Location, 'protocol' | 'host'> = window.location,
): string {
  return liveSocketUrl('notifications', location);
}
