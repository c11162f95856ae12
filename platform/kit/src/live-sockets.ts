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
