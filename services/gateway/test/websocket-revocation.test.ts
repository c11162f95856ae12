import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Service } from '@sagamart/kit';
import { eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { type FakeAuth, startFakeAuth, startGateway, stopAll, TestDiscovery } from './harness.ts';

/** A WebSocket upgrade the stand-in service holds until the test lets it through. */
interface HeldUpgrade {
  accept(): void;
}

/** A service whose WebSocket handshakes wait for the test: the gateway's upstream connect stays pending. */
async function slowSocketService(held: HeldUpgrade[]): Promise<{ server: Server; url: string }> {
  const sockets = new WebSocketServer({ noServer: true });
  const server = createServer((_req, res) => res.writeHead(200).end());
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    held.push({
      accept: () => sockets.handleUpgrade(req, socket, head, (ws) => ws.send('hello')),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${address.port}` };
}

describe('a WebSocket whose token is revoked while the gateway connects it upstream', () => {
  const discovery = new TestDiscovery();
  const held: HeldUpgrade[] = [];
  let auth: FakeAuth;
  let upstream: { server: Server; url: string };
  let gw: Service<unknown>;

  beforeAll(async () => {
    auth = await startFakeAuth();
    upstream = await slowSocketService(held);
    discovery.set('auth-service', auth.service.url);
    discovery.set('live-service', upstream.url);
    gw = await startGateway(discovery, {
      routes: [
        { id: 'ws-live', path: '/ws/live', service: 'live-service', role: 'USER', timeoutMs: 20_000 },
        { id: 'live', path: '/api/live', service: 'live-service', role: 'USER' },
      ],
      revocations: { pollMs: 100, listenedPollMs: 100 },
    });
  });

  afterAll(async () => {
    await stopAll([gw, auth?.service]);
    upstream?.server.closeAllConnections();
    await new Promise((resolve) => upstream?.server.close(resolve));
  });

  const open = (token: string) => {
    const socket = new WebSocket(`${gw.url.replace(/^http/, 'ws')}/ws/live/room?access_token=${token}`);
    const messages: string[] = [];
    socket.on('message', (data) => messages.push(data.toString()));
    socket.on('error', () => {});
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    return { socket, messages, closed };
  };

  it('is closed with 4001 once it is connected, and relays nothing', async () => {
    const token = await auth.sign({ sub: 'user-leaving', sid: 'session-ending' });
    const client = open(token);
    // The gateway admitted the token and waits on the service's handshake.
    await eventually(() => held.length === 1);
    await auth.revoke({ userId: 'user-leaving', sessionId: 'session-ending', notBefore: null });
    // The gateway has read the revocation once it refuses the same token on a plain request.
    await eventually(async () => {
      const res = await fetch(`${gw.url}/api/live/me`, { headers: { authorization: `Bearer ${token}` } });
      return res.status === 401;
    }, 5_000);

    held[0]!.accept();
    // Left open, it would last until the token expires (minutes); the feed is read every 100 ms here.
    let timer: NodeJS.Timeout | undefined;
    const stillOpen = new Promise<{ code: number; reason: string }>((resolve) => {
      timer = setTimeout(
        () => resolve({ code: 0, reason: `still open, ${client.messages.length} message(s) relayed` }),
        5_000,
      );
    });
    const outcome = await Promise.race([client.closed, stillOpen]);
    clearTimeout(timer);
    expect(outcome).toMatchObject({ code: 4001, reason: 'session ended' });
    // Nothing the service sent reached the revoked session.
    expect(client.messages).toEqual([]);
  });
});
