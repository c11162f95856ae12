import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type LiveConnection, LiveSockets } from '@sagamart/kit';
import { eventually } from '@sagamart/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';

class Connection implements LiveConnection {
  alive = true;
  closed = false;
  constructor(
    readonly userId: string,
    readonly socket: WebSocket,
  ) {}
}

describe('LiveSockets', () => {
  let server: WebSocketServer | undefined;
  const clients: WebSocket[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.terminate();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** A server whose sockets join `sockets` as the user named in the URL, and a way to connect to it. */
  async function serve(sockets: LiveSockets<Connection>) {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(server, 'listening');
    const joined: Connection[] = [];
    server.on('connection', (socket, req) => {
      const connection = new Connection(req.url!.slice(1), socket);
      sockets.add(connection);
      joined.push(connection);
    });
    const { port } = server.address() as AddressInfo;
    const connect = async (userId: string, options: WebSocket.ClientOptions = {}) => {
      const client = new WebSocket(`ws://127.0.0.1:${port}/${userId}`, options);
      clients.push(client);
      await once(client, 'open');
      await eventually(() => joined.find((c) => c.userId === userId && !c.closed));
      return client;
    };
    return { connect, joined };
  }

  it('pings each socket once per interval and terminates the one that stopped answering', async () => {
    const left: string[] = [];
    const sockets = new LiveSockets<Connection>({
      overflowCode: 4008,
      onDetach: (c, remaining) => left.push(`${c.userId}:${remaining.size}`),
    });
    const { connect } = await serve(sockets);
    const answering = await connect('a');
    await connect('a');
    const silent = await connect('b', { autoPong: false });
    let pings = 0;
    answering.on('ping', () => pings++);
    sockets.startHeartbeat(() => 200);

    await once(silent, 'close');
    // Rounds go on for the others: the answering socket keeps getting pinged and stays.
    await eventually(() => pings >= 3);
    expect(answering.readyState).toBe(WebSocket.OPEN);
    expect(sockets.size).toBe(2);
    expect(sockets.users()).toEqual(['a']);
    expect(left).toEqual(['b:0']);
    sockets.stop(1001, 'bye');
    const [code] = (await once(answering, 'close')) as [number];
    expect(code).toBe(1001);
    expect(sockets.size).toBe(0);
    expect(left.sort()).toEqual(['a:0', 'a:1', 'b:0']);
  });

  it('rests its heartbeat while no one is connected and takes it up again for the next connection', async () => {
    const sockets = new LiveSockets<Connection>({ overflowCode: 4008 });
    const { connect } = await serve(sockets);
    sockets.startHeartbeat(() => 200); // nobody yet
    const first = await connect('early', { autoPong: false });
    await once(first, 'close'); // found silent, so the round ran
    expect(sockets.size).toBe(0);
    // Everyone left; a newcomer that never answers is still found out.
    const second = await connect('late', { autoPong: false });
    await once(second, 'close');
    expect(sockets.size).toBe(0);
    sockets.stop(1001, 'bye');
  });

  it('closes a client that lets too much pile up with the overflow code, once', async () => {
    const closes: number[] = [];
    const sockets = new LiveSockets<Connection>({ overflowCode: 4008, onServerClose: (c) => closes.push(c) });
    const { connect, joined } = await serve(sockets);
    const client = await connect('slow');
    const connection = joined[0]!;
    expect(sockets.write(connection, { hello: 1 }, 1_000)).toBe(true);
    const [message] = (await once(client, 'message')) as [Buffer];
    expect(JSON.parse(message.toString())).toEqual({ hello: 1 });
    // The client stops reading; frames pile up until the buffer passes the bound.
    (client as unknown as { _socket: { pause(): void } })._socket.pause();
    const big = { data: 'x'.repeat(64 * 1024) };
    let sent = 0;
    while (sockets.write(connection, big, 256 * 1024)) sent++;
    expect(sent).toBeGreaterThan(0);
    expect(connection.closed).toBe(true);
    expect(sockets.write(connection, big, 256 * 1024)).toBe(false);
    expect(closes).toEqual([4008]);
    expect(sockets.of('slow').size).toBe(0);
  });
});
