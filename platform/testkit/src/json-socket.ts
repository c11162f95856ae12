import WebSocket from 'ws';

/**
 * A WebSocket client of a JSON text-frame protocol, for tests: every frame it receives, in order, and
 * promises of its opening (rejected with the status of a refused handshake) and of its close.
 */
export class JsonSocket<Frame> {
  readonly received: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;
  readonly socket: WebSocket;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.socket = new WebSocket(url, { headers });
    this.socket.on('message', (data) => this.received.push(JSON.parse(data.toString()) as Frame));
    this.closed = new Promise((resolve) =>
      this.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
      this.socket.once('unexpected-response', (_req, res) => {
        res.resume();
        reject(new Error(`handshake answered ${res.statusCode}`));
      });
    });
    this.socket.on('error', () => {});
  }

  close(): void {
    this.socket.close();
  }
}
