import { SOCKET_CLOSE } from '@sagamart/contracts';
import type { DeploymentCredentials, Discovery, ServiceApp, ServiceInstance } from '@sagamart/kit';
import { injectTraceContext } from '@sagamart/kit';
import type { FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import WebSocket, { type RawData } from 'ws';
import type { Gatekeeper } from '../app/gatekeeper.ts';
import { malformedPath, notRouted, serviceUnavailable, upgradeRequired } from '../app/gateway-problems.ts';
import type { LiveSettings } from '../app/live-settings.ts';
import type { RevocationFeed } from '../app/revocation-feed.ts';
import { upstreamHandshakeHeaders, webSocketToken, withoutQueryParam } from '../domain/header-policy.ts';
import { inspectPath } from '../domain/path-policy.ts';
import type { TokenFacts } from '../domain/revocation-set.ts';
import { type GatewayRoute, upstreamPath, WEBSOCKET_PREFIX } from '../domain/route-table.ts';
import { countedClientIp } from './client-ip.ts';
import { replyWithProblem } from './problem-reply.ts';

export interface WebSocketDeps {
  settings: LiveSettings;
  gatekeeper: Gatekeeper;
  discovery: Discovery;
  credentials: DeploymentCredentials;
  revocations: Pick<RevocationFeed, 'isRevoked' | 'onRevoked'>;
  /** Bytes queued for either side beyond which both are closed with 4008 (`gateway.socket.maxBufferedBytes`). */
  maxBufferedBytes: number;
}

interface Upstream {
  socket: WebSocket;
  route: GatewayRoute;
  instance: ServiceInstance;
  /** Wired to the client; until then the upstream is closed if the client's handshake fails. */
  piped?: boolean;
  /** When the access token that opened the connection expires (ms since the epoch). */
  expiresAt?: number;
  /** The access token's session, checked again whenever auth-service revokes something. */
  token?: TokenFacts;
}

/** A connection piped both ways, held while it is open. */
interface LiveConnection {
  client: WebSocket;
  upstream: WebSocket;
  token: TokenFacts;
}

/** The close code for a connection whose access token expired: the client refreshes and reconnects. */
export const TOKEN_EXPIRED_CLOSE = 4001;

/** Browsers may offer `bearer, <token>` as subprotocols; the gateway answers with `bearer`. */
export function selectProtocol(offered: Set<string>): string | false {
  return offered.has('bearer') ? 'bearer' : false;
}

/**
 * `/ws/**`: the client is checked and the upstream connection opened before the client's handshake
 * is accepted (so failures are plain HTTP problems); then messages flow both ways and either side
 * closing closes the other.
 */
export function registerWebSocketRoutes(app: ServiceApp, deps: WebSocketDeps): void {
  const upstreams = new WeakMap<FastifyRequest, Upstream>();
  // A logout, suspension, role or password change ends the connections its tokens opened, as it ends
  // their next request: the client refreshes (or is signed out) and reconnects with what it may do now.
  const live = new Set<LiveConnection>();
  const unsubscribe = deps.revocations.onRevoked(() => {
    for (const connection of live) {
      if (!deps.revocations.isRevoked(connection.token)) continue;
      live.delete(connection);
      closeBoth(connection.client, TOKEN_EXPIRED_CLOSE, Buffer.from('session ended'));
      closeBoth(connection.upstream, 1000, Buffer.from('session ended'));
    }
  });
  app.addHook('onClose', async () => unsubscribe());

  app.route({
    method: 'GET',
    url: `${WEBSOCKET_PREFIX}/*`,
    schema: { hide: true },
    // The token must not show up in access logs or upstream URLs (req.query keeps it for the check).
    onRequest: (req, _reply, done) => {
      req.raw.url = withoutQueryParam(req.raw.url ?? '/', 'access_token');
      done();
    },
    preValidation: async (req, reply) => {
      if (!req.ws) return;
      try {
        const upstream = await openUpstream(req, deps);
        upstreams.set(req, upstream);
        req.raw.socket.once('close', () => {
          if (!upstream.piped) upstream.socket.terminate();
        });
      } catch (error) {
        return replyWithProblem(req, reply, error);
      }
    },
    handler: (req, reply) => {
      const path = req.url.split('?')[0]!;
      const match = deps.settings.value.routes.match('GET', path);
      const routed = match.kind === 'route' && match.route.websocket && inspectPath(path).ok;
      return replyWithProblem(req, reply, routed ? upgradeRequired() : notRouted(req.method, path));
    },
    wsHandler: (client, req) => {
      const upstream = upstreams.get(req);
      if (!upstream) return client.close(1011);
      // A revocation read while the upstream was connecting found no connection to end: check again,
      // before anything is relayed.
      if (upstream.token && deps.revocations.isRevoked(upstream.token)) {
        upstream.socket.resume();
        closeBoth(client, TOKEN_EXPIRED_CLOSE, Buffer.from('session ended'));
        closeBoth(upstream.socket, 1000, Buffer.from('session ended'));
        return;
      }
      pipe(client, upstream, req, deps.maxBufferedBytes);
      if (!upstream.token) return;
      const connection = { client, upstream: upstream.socket, token: upstream.token };
      live.add(connection);
      client.once('close', () => live.delete(connection));
    },
  });
}

async function openUpstream(req: FastifyRequest, deps: WebSocketDeps): Promise<Upstream> {
  const path = req.url.split('?')[0]!;
  const verdict = inspectPath(path);
  if (!verdict.ok) throw verdict.reason === 'internal' ? notRouted('GET', path) : malformedPath();
  const match = deps.settings.value.routes.match('GET', path);
  if (match.kind !== 'route' || !match.route.websocket) throw notRouted('GET', path);
  const route = match.route;

  const credential = webSocketToken(
    (req.query as Record<string, unknown>).access_token,
    req.headers['sec-websocket-protocol'],
  );
  req.log = req.log.child({ route: route.id, path });
  const clientIp = countedClientIp(req);
  const identity = await deps.gatekeeper.admit({
    credential,
    role: route.role,
    rateLimit: route.rateLimit,
    clientIp,
  });

  const headers = upstreamHandshakeHeaders(req.headers, {
    credential: deps.credentials.headersFor(route.service, identity),
    clientIp,
    protocol: req.protocol,
    requestId: req.id,
    hasBody: false,
  });
  injectTraceContext(headers);
  const target = upstreamPath(route, req.url);
  // The token was verified just above; its expiry ends the connection (see pipe), and so does its
  // revocation (see registerWebSocketRoutes).
  const claims = credential.kind === 'token' && identity ? decodeJwt(credential.token) : undefined;
  const session: Pick<Upstream, 'expiresAt' | 'token'> = {};
  if (claims && identity) {
    if (claims.exp !== undefined) session.expiresAt = claims.exp * 1000;
    const sid = typeof claims.sid === 'string' ? claims.sid : undefined;
    session.token = { sub: identity.userId, iat: claims.iat ?? 0, sid };
  }

  const first = await deps.discovery.choose(route.service);
  if (!first) throw serviceUnavailable(route, 'no-instance');
  try {
    return {
      socket: await connect(first, target, headers, route.timeoutMs),
      route,
      instance: first,
      ...session,
    };
  } catch (error) {
    const refused = (error as { code?: string }).code === 'ECONNREFUSED';
    const next = refused ? await deps.discovery.choose(route.service) : undefined;
    if (next && next.instanceId !== first.instanceId) {
      try {
        return {
          socket: await connect(next, target, headers, route.timeoutMs),
          route,
          instance: next,
          ...session,
        };
      } catch (retryError) {
        throw serviceUnavailable(route, 'upstream-unavailable', (retryError as Error).message);
      }
    }
    throw serviceUnavailable(route, 'upstream-unavailable', (error as Error).message);
  }
}

/** Opens the upstream socket, paused so no message is lost before the client side is wired. */
function connect(
  instance: ServiceInstance,
  target: string,
  headers: Record<string, string>,
  timeoutMs: number,
) {
  const url = new URL(target, instance.url);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  // autoPong off: the service's pings are relayed to the client and answered by its pongs (see pipe).
  const socket = new WebSocket(url, {
    headers,
    handshakeTimeout: timeoutMs,
    perMessageDeflate: false,
    autoPong: false,
  });
  return new Promise<WebSocket>((resolve, reject) => {
    socket.once('open', () => {
      socket.removeAllListeners('error');
      socket.pause();
      resolve(socket);
    });
    socket.once('unexpected-response', (_req, res) => {
      res.resume();
      socket.terminate();
      reject(new Error(`the WebSocket handshake was answered with ${res.statusCode}`));
    });
    socket.once('error', (error) =>
      reject(Object.assign(new Error(error.message), { code: (error as { code?: string }).code })),
    );
  });
}

function pipe(client: WebSocket, upstream: Upstream, req: FastifyRequest, maxBufferedBytes: number): void {
  const { socket } = upstream;
  upstream.piped = true;
  const openedAt = Date.now();
  // A side that stops reading would make the gateway queue for it without end, and the service never
  // sees its own slow-client limit: past the limit both are closed, and the client resumes.
  const forward = (to: WebSocket) => (data: RawData, isBinary: boolean) => {
    if (to.readyState !== WebSocket.OPEN) return;
    if (to.bufferedAmount <= maxBufferedBytes) return to.send(data, { binary: isBinary });
    req.log.info(
      { side: to === client ? 'client' : 'upstream', bufferedBytes: to.bufferedAmount },
      'websocket reads too slowly',
    );
    const reason = Buffer.from('too slow: reconnect and resume');
    closeBoth(client, SOCKET_CLOSE.overflow, reason);
    closeBoth(socket, SOCKET_CLOSE.overflow, reason);
  };
  client.on('message', forward(socket));
  socket.on('message', forward(client));
  // The service's protocol pings go to the client and only the client's pongs answer them, so the
  // service's liveness check sees a browser that vanished without a close (the gateway answering for
  // it kept such a client online for as long as its TCP connection lingered).
  socket.on('ping', (data) => {
    if (client.readyState === WebSocket.OPEN) client.ping(data);
  });
  client.on('pong', (data) => {
    if (socket.readyState === WebSocket.OPEN) socket.pong(data);
  });
  const expiry =
    upstream.expiresAt === undefined
      ? undefined
      : setTimeout(
          () => {
            closeBoth(client, TOKEN_EXPIRED_CLOSE, Buffer.from('token expired'));
            closeBoth(socket, 1000, Buffer.from('token expired'));
          },
          Math.max(0, upstream.expiresAt - Date.now()),
        );
  expiry?.unref();
  client.on('close', (code, reason) => {
    clearTimeout(expiry);
    closeBoth(socket, code, reason);
  });
  // 1006 (no close frame) means the upstream vanished: tell the client so (1014, bad gateway).
  socket.on('close', (code, reason) => {
    clearTimeout(expiry);
    closeBoth(client, code === 1006 ? 1014 : code, reason);
    req.log.info(
      { upstream: upstream.instance.instanceId, code, ms: Date.now() - openedAt },
      'websocket closed',
    );
  });
  client.on('error', () => socket.terminate());
  socket.on('error', () => client.terminate());
  socket.resume();
}

/** Close codes that may be sent in a close frame; others (1005, 1006, 1015…) become 1000. */
function sendableCode(code: number): number {
  const sendable =
    (code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999);
  return sendable ? code : 1000;
}

function closeBoth(other: WebSocket, code: number, reason: Buffer): void {
  if (other.readyState === WebSocket.OPEN || other.readyState === WebSocket.CONNECTING) {
    other.close(sendableCode(code), reason.length <= 123 ? reason : undefined);
  }
}
