import fastifyWebsocket from '@fastify/websocket';
import { SOCKET_CLOSE } from '@sagamart/contracts';
import { CHAT_CLIENT_FRAME_MAX_BYTES } from '@sagamart/contracts/http/chat';
import {
  type ConfigTree,
  defineService,
  type LiveConnection,
  LiveSockets,
  type Service,
} from '@sagamart/kit';
import { eventually, startTestService } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type FakeAuth, startFakeAuth, startGateway, stopAll, TestDiscovery } from './harness.ts';

/** The services' protocol heartbeat, short so that a test sees several rounds. */
const PING_MS = 200;
/** The gateway's queue limit per side here, far below what the test pushes through. */
const MAX_BUFFERED_BYTES = 256 * 1024;
/** What a flooding side sends at most: far more than the limit and the kernel's socket buffers hold. */
const FLOOD_BYTES = 64 * 1024 * 1024;
const FLOOD_FRAME = Buffer.alloc(16 * 1024, 'x');

/** The service's end of one proxied connection. */
interface UpstreamEnd {
  socket: WebSocket;
  closed: Promise<number>;
  largestFrame: number;
  pongs: number;
  /** Set once a flood sent everything without being closed. */
  floodDone?: Promise<void>;
}

/**
 * A service behind the gateway, by the connection's last path segment: `flood-*` sends to the client
 * as fast as the gateway takes it; `stall-*` reads nothing; `heartbeat-*` is pinged by the kit's
 * LiveSockets as chat-service and notification-service ping theirs; anything else echoes.
 */
function liveService(ends: Map<string, UpstreamEnd>, heartbeat: LiveSockets<LiveConnection>) {
  return defineService({
    name: 'live-service',
    port: 0,
    async routes(app) {
      await app.register(fastifyWebsocket);
      app.get('/ws/live/:name', { websocket: true }, (socket, req) => {
        const { name } = req.params as { name: string };
        const end: UpstreamEnd = {
          socket,
          closed: new Promise((resolve) => socket.once('close', resolve)),
          largestFrame: 0,
          pongs: 0,
        };
        ends.set(name, end);
        socket.on('pong', () => end.pongs++);
        if (name.startsWith('flood-')) end.floodDone = flood(socket);
        else if (name.startsWith('stall-')) socket.pause();
        else if (name.startsWith('heartbeat-'))
          heartbeat.add({ socket, userId: name, alive: true, closed: false });
        else
          socket.on('message', (data: Buffer) => {
            end.largestFrame = Math.max(end.largestFrame, data.length);
            socket.send(`echo:${data.length}`);
          });
      });
    },
  });
}

/** Sends frames one after another as each is handed to the kernel, until FLOOD_BYTES or the socket closes. */
function flood(socket: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    let sent = 0;
    const next = (error?: Error | null) => {
      if (error || socket.readyState !== WebSocket.OPEN) return;
      if (sent >= FLOOD_BYTES) return resolve();
      sent += FLOOD_FRAME.length;
      socket.send(FLOOD_FRAME, { binary: true }, next);
    };
    next();
  });
}

describe('WebSocket proxy: slow sides, oversized frames and vanished clients', () => {
  const discovery = new TestDiscovery();
  const ends = new Map<string, UpstreamEnd>();
  const heartbeat = new LiveSockets<LiveConnection>({ overflowCode: SOCKET_CLOSE.overflow });
  let auth: FakeAuth;
  let upstream: Service<unknown>;
  let gw: Service<unknown>;
  let token: string;

  beforeAll(async () => {
    auth = await startFakeAuth();
    upstream = await startTestService(liveService(ends, heartbeat), { config: { database: { url: '' } } });
    heartbeat.startHeartbeat(() => PING_MS);
    discovery.set('auth-service', auth.service.url);
    discovery.set('live-service', upstream.url);
    const routes: ConfigTree[] = [{ id: 'ws-live', path: '/ws/live', service: 'live-service', role: 'USER' }];
    // maxClientFrameBytes keeps its default: that is what the frame-size test holds.
    gw = await startGateway(discovery, { routes, socket: { maxBufferedBytes: MAX_BUFFERED_BYTES } });
    token = await auth.sign({ sub: 'user-live' });
  });

  afterAll(async () => {
    heartbeat.stop(1001, 'test over');
    await stopAll([gw, upstream, auth?.service]);
  });

  /** A client of the gateway, with the service's end of its connection once that is open. */
  async function open(name: string, options: WebSocket.ClientOptions = {}) {
    const url = `${gw.url.replace(/^http/, 'ws')}/ws/live/${name}?access_token=${token}`;
    const socket = new WebSocket(url, options);
    socket.on('error', () => {});
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    });
    const end = await eventually(() => ends.get(name));
    return { socket, closed, end };
  }

  it('closes a client that stops reading with 4008, and the service side with it', async () => {
    const client = await open('flood-1');
    client.socket.pause();
    // The flood runs until the gateway gives up on the client; without a limit it would take it all.
    const outcome = await Promise.race([
      client.end.closed.then((code) => ({ closedWith: code })),
      client.end.floodDone!.then(() => 'everything queued at the gateway'),
    ]);
    expect(outcome).toEqual({ closedWith: SOCKET_CLOSE.overflow });
    // Reading again, the client finds the close frame behind what was queued for it.
    client.socket.resume();
    expect(await client.closed).toBe(SOCKET_CLOSE.overflow);
  });

  it('closes both sides with 4008 when the service stops reading what the client sends', async () => {
    const client = await open('stall-1');
    const sentAll = flood(client.socket).then(() => 'everything queued at the gateway');
    const outcome = await Promise.race([client.closed.then((code) => ({ closedWith: code })), sentAll]);
    expect(outcome).toEqual({ closedWith: SOCKET_CLOSE.overflow });
    client.end.socket.resume();
    expect(await client.end.closed).toBe(SOCKET_CLOSE.overflow);
  });

  it('passes the largest chat frame, and closes a client sending a far larger one with 1009', async () => {
    const client = await open('echo-1');
    const replies: string[] = [];
    client.socket.on('message', (data) => replies.push(data.toString()));
    // A chat message of the longest text, every UTF-16 unit JSON-escaped, with its envelope.
    const chatFrame = CHAT_CLIENT_FRAME_MAX_BYTES;
    client.socket.send(Buffer.alloc(chatFrame, 'a'));
    await eventually(() => replies.includes(`echo:${chatFrame}`));

    const oversized = 1024 * 1024;
    client.socket.send(Buffer.alloc(oversized, 'a'));
    const outcome = await Promise.race([
      client.closed.then((code) => ({ closedWith: code })),
      eventually(() => client.end.largestFrame >= oversized).then(() => 'forwarded to the service'),
    ]);
    expect(outcome).toEqual({ closedWith: 1009 });
    await client.end.closed;
  });

  it('relays the service’s pings, so a client that stops answering them is dropped on both sides', async () => {
    const client = await open('heartbeat-silent', { autoPong: false });
    let pings = 0;
    client.socket.on('ping', () => pings++);
    const outcome = await Promise.race([
      client.closed.then(() => 'closed'),
      // The gateway answering for the client would keep the service's check content.
      eventually(() => client.end.pongs >= 3).then(() => 'pongs reached the service'),
    ]);
    expect(outcome).toBe('closed');
    expect(pings).toBeGreaterThan(0);
    await client.end.closed;
  });

  it('keeps a client that answers the pings connected through several rounds', async () => {
    const client = await open('heartbeat-awake');
    let pings = 0;
    client.socket.on('ping', () => pings++);
    // The service counts the client's own pongs, relayed by the gateway.
    await eventually(() => client.end.pongs >= 5 && pings >= 5);
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    expect(client.end.socket.readyState).toBe(WebSocket.OPEN);
    client.socket.close(1000);
    expect(await client.end.closed).toBe(1000);
  });
});
