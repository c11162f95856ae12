import type { NotificationServerMessage, NotificationView } from '@sagamart/contracts';
import { LiveSocket, liveSocketUrl, type StreamStatus } from '../api/live-socket.ts';

// The client side of /ws/notifications (protocol: docs/events.md). One stream per signed-in tab:
// it resumes from the highest seq it holds after every reconnect, so nothing is missed or doubled.

export type { StreamStatus } from '../api/live-socket.ts';

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

export class NotificationStream {
  private lastSeq: number | undefined;
  private readonly socket: LiveSocket;

  constructor(private readonly options: StreamOptions) {
    this.socket = new LiveSocket({
      url: options.url,
      token: options.token,
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
        return;
      case 'pong':
        return;
    }
  }
}

export function notificationSocketUrl(
  location: Pick<Location, 'protocol' | 'host'> = window.location,
): string {
  return liveSocketUrl('notifications', location);
}
