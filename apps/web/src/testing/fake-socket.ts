// Test-only: a WebSocket stand-in for the live streams (chat, notifications). The test plays the
// server: it opens, drops and feeds each socket, and reads what the client sent on it.
import { expect, vi } from 'vitest';
import type { SocketLike } from '../api/live-socket.ts';

/** One socket a stream under test opened; `Frame` is what the server may deliver on it. */
export class FakeSocket<Frame = unknown> implements SocketLike {
  readyState = 0;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  /** The client's frames, parsed, in the order sent. */
  readonly sent: Array<Record<string, unknown>> = [];
  constructor(readonly protocols: readonly string[] = []) {}
  send(data: string) {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close() {
    this.drop(1000);
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  /** The connection lost (1006 unless told): the stream reconnects on its own schedule. */
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  deliver(frame: Frame) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

/** Every socket a stream under test asks for: `create` is its `createSocket`. */
export class FakeSockets<Frame = unknown> {
  /** Oldest first. */
  readonly created: FakeSocket<Frame>[] = [];
  readonly create = (_url: string, protocols: string[]): FakeSocket<Frame> => {
    const socket = new FakeSocket<Frame>(protocols);
    this.created.push(socket);
    return socket;
  };

  /** Waits until the stream has asked for a socket (it fetches its token first), then opens the newest. */
  async openNewest(): Promise<FakeSocket<Frame>> {
    await vi.waitFor(() => expect(this.created.length).toBeGreaterThan(0));
    const socket = this.created.at(-1) as FakeSocket<Frame>;
    socket.open();
    return socket;
  }
}

/** The sockets a page opens, in place of the browser's WebSocket (cleanUpPages takes it back). */
export function fakeBrowserSockets<Frame = unknown>(): FakeSockets<Frame> {
  const sockets = new FakeSockets<Frame>();
  vi.stubGlobal('WebSocket', function FakeWebSocket(url: string, protocols: string[]) {
    return sockets.create(url, protocols);
  });
  return sockets;
}
