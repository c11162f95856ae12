import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import fastifyWebsocket from '@fastify/websocket';
import { type AccessRevocation, REVOCATIONS_CHANNEL } from '@sagamart/contracts';
import {
  type ConfigTree,
  type Discovery,
  defineService,
  type Identity,
  type Service,
  type ServiceInstance,
} from '@sagamart/kit';
import { startTestService } from '@sagamart/testkit';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import gateway from '../src/index.ts';

/** A registry the test edits directly: which instances each app has, and their status. */
export class TestDiscovery implements Discovery {
  private readonly apps = new Map<string, ServiceInstance[]>();
  private readonly counters = new Map<string, number>();

  set(app: string, ...urls: string[]): void {
    this.apps.set(
      app,
      urls.map((url, i) => ({
        app,
        instanceId: `${app}-${i}-${url}`,
        url,
        status: 'UP',
        metadata: {},
        lastHeartbeatAt: new Date().toISOString(),
      })),
    );
  }

  remove(app: string): void {
    this.apps.delete(app);
  }

  async register(): Promise<void> {}
  async setStatus(): Promise<void> {}
  async deregister(): Promise<void> {}
  async close(): Promise<void> {}
  async applications(): Promise<Map<string, ServiceInstance[]>> {
    return new Map(this.apps);
  }
  async choose(app: string): Promise<ServiceInstance | undefined> {
    const up = (this.apps.get(app) ?? []).filter((i) => i.status === 'UP');
    if (up.length === 0) return undefined;
    const n = this.counters.get(app) ?? 0;
    this.counters.set(app, n + 1);
    return up[n % up.length];
  }
}

/** Upstream and fake auth-service run without a database or bus. */
const bare: ConfigTree = { database: { url: '' } };

export interface Echo {
  service: string;
  instance: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The calling service and user, as the upstream's kit verified them from the service token. */
  caller: string | null;
  identity: Identity | null;
}

export interface SocketEvent {
  instance: string;
  event: 'open' | 'close';
  headers?: Record<string, string>;
  code?: number;
}

/**
 * An upstream that answers every request with what it received. `?delayMs=` delays the answer and
 * `?status=` picks the status. `/ws/**` echoes WebSocket messages (`close:<code>` makes it close).
 */
export function echoService(name: string, instance: string, socketEvents: SocketEvent[] = []) {
  return defineService({
    name,
    port: 0,
    // Above the gateway's limits, so that those are what a test sees.
    bodyLimit: 8 * 1024 * 1024,
    async routes(app) {
      app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
      await app.register(fastifyWebsocket);
      app.get('/ws/*', { websocket: true }, (socket, req) => {
        const headers = req.headers as Record<string, string>;
        socketEvents.push({ instance, event: 'open', headers });
        socket.send(
          JSON.stringify({
            instance,
            url: req.url,
            headers,
            caller: req.caller,
            identity: req.identity ?? null,
          }),
        );
        socket.on('message', (data) => {
          const text = data.toString();
          if (text.startsWith('close:')) socket.close(Number(text.slice(6)), 'asked to');
          else socket.send(`echo:${text}`);
        });
        socket.on('close', (code) => socketEvents.push({ instance, event: 'close', code }));
      });
      app.all('/*', async (req, reply) => {
        const query = req.query as { delayMs?: string; status?: string };
        if (query.delayMs) await sleep(Number(query.delayMs));
        const raw = req.body;
        const body =
          raw === undefined
            ? ''
            : typeof raw === 'string' || Buffer.isBuffer(raw)
              ? String(raw)
              : JSON.stringify(raw);
        const echo: Echo = {
          service: name,
          instance,
          method: req.method,
          url: req.url,
          headers: req.headers as Record<string, string>,
          body,
          caller: req.caller ?? null,
          identity: req.identity ?? null,
        };
        return reply
          .status(Number(query.status ?? 200))
          .header('x-upstream', instance)
          .header('access-control-allow-origin', 'https://evil.example')
          .send(echo);
      });
    },
  });
}

export function startEcho(name: string, instance: string, socketEvents?: SocketEvent[], port?: number) {
  return startTestService(echoService(name, instance, socketEvents), {
    config: bare,
    ...(port ? { port } : {}),
  });
}

export interface Claims {
  sub?: string;
  email?: string;
  role?: string;
  token_type?: string;
  iss?: string;
  aud?: string;
  /** The session (refresh-token family) the token belongs to. */
  sid?: string;
  expiresIn?: string | number;
}

/**
 * auth-service's part: a JWKS at the real path, tokens signed like auth-service signs them, and its
 * revocation feed (entries added with `revoke`; `feed.up = false` makes it answer 503, as when its
 * database is down). Given a bus (`config`), `revoke` also broadcasts the hint auth-service sends.
 */
export async function startFakeAuth(config: ConfigTree = bare) {
  const revocations: AccessRevocation[] = [];
  const feed = { up: true };
  const keys: Array<{ kid: string; jwk: JWK; privateKey: CryptoKey }> = [];
  const addKey = async (kid: string) => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const key = { kid, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }, privateKey };
    keys.push(key);
    return key;
  };
  await addKey('key-1');
  const service = await startTestService(
    defineService({
      name: 'auth-service',
      port: 0,
      routes(app) {
        app.get('/api/auth/.well-known/jwks.json', async () => ({ keys: keys.map((k) => k.jwk) }));
        app.get('/internal/revocations', async (req, reply) => {
          if (!feed.up) return reply.code(503).send({ title: 'database unavailable' });
          const after = Number((req.query as { after?: string }).after ?? 0);
          return { revocations: revocations.filter((r) => r.seq > after), latest: revocations.length };
        });
      },
    }),
    { config },
  );

  /** A token as auth-service issues it (override any claim; `kid` picks the key). */
  const sign = async (claims: Claims = {}, kid = keys[0]!.kid) => {
    const key = keys.find((k) => k.kid === kid)!;
    return new SignJWT({
      email: claims.email ?? 'user@example.com',
      role: claims.role ?? 'USER',
      token_type: claims.token_type ?? 'access',
      ...(claims.sid ? { sid: claims.sid } : {}),
    })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject(claims.sub ?? 'user-1')
      .setIssuer(claims.iss ?? 'sagamart-auth')
      .setAudience(claims.aud ?? 'sagamart')
      .setJti(crypto.randomUUID())
      .setIssuedAt()
      .setExpirationTime(claims.expiresIn ?? '5m')
      .sign(key.privateKey);
  };
  /** Revokes a session (`sessionId`) or a user's tokens issued before `notBefore`, as auth-service does. */
  const revoke = async (entry: Omit<AccessRevocation, 'seq' | 'expiresAt'>) => {
    revocations.push({
      ...entry,
      seq: revocations.length + 1,
      expiresAt: Math.floor(Date.now() / 1000) + 600,
    });
    await service.context.transport?.broadcast(REVOCATIONS_CHANNEL, {});
  };
  return { service, keys, addKey, sign, revoke, feed };
}

export type FakeAuth = Awaited<ReturnType<typeof startFakeAuth>>;

/**
 * What a gateway under test stands in front of: a fake auth-service (`authConfig` as startFakeAuth
 * takes it) and an echo upstream per app (`{ app: instance }`), each registered in `discovery`.
 */
export async function startBackends(
  discovery: TestDiscovery,
  echoes: Record<string, string>,
  authConfig?: ConfigTree,
) {
  const [auth, upstreams] = await Promise.all([
    startFakeAuth(authConfig),
    Promise.all(
      Object.entries(echoes).map(async ([app, instance]) => {
        const upstream = await startEcho(app, instance);
        discovery.set(app, upstream.url);
        return upstream;
      }),
    ),
  ]);
  discovery.set('auth-service', auth.service.url);
  return { auth, services: [auth.service, ...upstreams] };
}

/** The gateway under test, with test routes and quick failure handling. */
export function startGateway(discovery: Discovery, gatewayConfig: ConfigTree = {}, extra: ConfigTree = {}) {
  return startTestService(gateway, {
    discovery,
    config: {
      ...bare,
      ...extra,
      gateway: {
        breaker: { minimumNumberOfCalls: 3, halfOpenAfterMs: 300 },
        jwks: { minReloadIntervalMs: 0 },
        ...gatewayConfig,
      },
    },
  });
}

export async function stopAll(services: Array<Service<unknown> | undefined>): Promise<void> {
  await Promise.all(services.map((s) => s?.stop()));
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * An upstream instance of a release older than the kit's X-Problem-Type header: it answers every
 * request with a 503 problem of the given code (`shutting-down`, `concurrent-change`), named in the
 * body alone, with Retry-After: 1. `asked` is the method of every request it received.
 */
export async function startOlderInstance(code: string) {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    asked.push(req.method ?? '');
    req.resume();
    req.on('end', () => {
      const body = JSON.stringify({
        type: `urn:sagamart:problem:${code}`,
        title: 'Service Unavailable',
        status: 503,
        detail: `answered ${code}`,
      });
      res.writeHead(503, {
        'content-type': 'application/problem+json',
        'content-length': Buffer.byteLength(body),
        'retry-after': '1',
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    asked,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
