import { createPublicKey } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { type ConfigTree, defineService, type Service } from '@sagamart/kit';
import { asUser, eventually, startTestService } from '@sagamart/testkit';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  bearer,
  type Echo,
  echoService,
  type FakeAuth,
  type SocketEvent,
  startEcho,
  startFakeAuth,
  startGateway,
  stopAll,
  TestDiscovery,
} from './harness.ts';

const routes: ConfigTree[] = [
  { id: 'users', path: '/api/users', service: 'user-service', role: 'USER' },
  { id: 'signup', path: '/api/users/signup', service: 'user-service', role: 'NONE' },
  { id: 'admin-users', path: '/api/admin/users', service: 'user-service', role: 'ADMIN' },
  { id: 'catalog', path: '/api/catalog', service: 'catalog-service', role: 'NONE', methods: ['GET'] },
  { id: 'uploads', path: '/api/uploads', service: 'catalog-service', role: 'NONE', maxBodyBytes: 3_000_000 },
  { id: 'stripped', path: '/api/stripped', service: 'catalog-service', role: 'NONE', stripPrefix: true },
  { id: 'limited', path: '/api/limited', service: 'catalog-service', role: 'NONE', rateLimit: 'tight' },
  { id: 'orders', path: '/api/orders', service: 'order-service', role: 'USER' },
  { id: 'nobody', path: '/api/nobody', service: 'nobody-service', role: 'NONE' },
  { id: 'ws-chat', path: '/ws/chat', service: 'chat-service', role: 'USER' },
  { id: 'ws-admin', path: '/ws/admin', service: 'chat-service', role: 'ADMIN' },
];

describe('gateway', () => {
  const discovery = new TestDiscovery();
  let auth: FakeAuth;
  let users: Service<unknown>;
  let catalog: Service<unknown>;
  let ordersA: Service<unknown>;
  let ordersB: Service<unknown>;
  let chat: Service<unknown>;
  const socketEvents: SocketEvent[] = [];
  let gw: Service<unknown>;
  let base: string;
  let userToken: string;
  let adminToken: string;

  beforeAll(async () => {
    [auth, users, catalog, ordersA, ordersB] = await Promise.all([
      startFakeAuth(),
      startEcho('user-service', 'users-1'),
      startEcho('catalog-service', 'catalog-1'),
      startEcho('order-service', 'orders-a'),
      startEcho('order-service', 'orders-b'),
    ]);
    chat = await startEcho('chat-service', 'chat-1', socketEvents);
    discovery.set('chat-service', chat.url);
    discovery.set('auth-service', auth.service.url);
    discovery.set('user-service', users.url);
    discovery.set('catalog-service', catalog.url);
    discovery.set('order-service', ordersA.url, ordersB.url);
    gw = await startGateway(discovery, {
      routes,
      cors: {
        allowedOrigins: ['http://localhost:5173'],
        allowedMethods: ['GET', 'POST', 'DELETE'],
        allowedHeaders: ['authorization', 'content-type'],
        exposedHeaders: ['x-trace-id', 'retry-after'],
        allowCredentials: true,
        maxAgeSeconds: 600,
      },
      rateLimits: {
        default: { capacity: 1000, refillPerSecond: 1000 },
        tight: { capacity: 2, refillPerSecond: 0.01 },
      },
    });
    base = gw.url;
    userToken = await auth.sign({ sub: 'user-7', email: 'seven@example.com', role: 'USER' });
    adminToken = await auth.sign({ sub: 'admin-1', email: 'admin@example.com', role: 'ADMIN' });
  });

  afterAll(() => stopAll([gw, auth?.service, users, catalog, ordersA, ordersB, chat]));

  const call = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, init);
  const echo = async (res: Response) => {
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as Echo;
  };
  const problem = async (res: Response, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    return (await res.json()) as Record<string, unknown>;
  };

  describe('routing', () => {
    it('forwards method, path, query, body and headers, and passes the answer back', async () => {
      const res = await call('/api/users/signup?ref=ad&x=1', {
        method: 'POST',
        // A client's own X-Forwarded-For is replaced by the address the gateway saw.
        headers: { 'content-type': 'application/json', 'x-custom': 'kept', 'x-forwarded-for': '203.0.113.9' },
        body: JSON.stringify({ email: 'new@example.com' }),
      });
      const got = await echo(res);
      expect(got).toMatchObject({
        service: 'user-service',
        method: 'POST',
        url: '/api/users/signup?ref=ad&x=1',
      });
      expect(JSON.parse(got.body)).toEqual({ email: 'new@example.com' });
      expect(got.headers['x-custom']).toBe('kept');
      expect(got.headers['x-forwarded-for']).toBe('127.0.0.1');
      expect(got.headers['x-forwarded-proto']).toBe('http');
      expect(got.headers['x-forwarded-host']).toBe(new URL(base).host);
      expect(got.headers['x-request-id']).toBe(res.headers.get('x-request-id'));
      expect(got.headers.traceparent).toContain(res.headers.get('x-trace-id'));
      expect(res.headers.get('x-upstream')).toBe('users-1');
    });

    it('streams bodies of any type unchanged', async () => {
      const payload = Buffer.from([0, 1, 2, 250, 251, 252]).toString('latin1');
      const got = await echo(
        await call('/api/users/signup', {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream' },
          body: payload,
        }),
      );
      expect(got.headers['content-type']).toBe('application/octet-stream');
      expect(got.headers['content-length']).toBe(String(Buffer.byteLength(payload)));
    });

    it('keeps a client-sent request id', async () => {
      const got = await echo(
        await call('/api/catalog/items', { headers: { 'x-request-id': 'client-chosen-1' } }),
      );
      expect(got.headers['x-request-id']).toBe('client-chosen-1');
    });

    it('lets the longest prefix win', async () => {
      // /api/users is USER-only; /api/users/signup is public.
      expect((await call('/api/users/signup', { method: 'POST' })).status).toBe(200);
      expect((await call('/api/users/me')).status).toBe(401);
    });

    it('strips the route prefix when the route says so', async () => {
      expect((await echo(await call('/api/stripped/items?q=1'))).url).toBe('/items?q=1');
    });

    it('applies a route’s method list', async () => {
      await echo(await call('/api/catalog/items'));
      const refused = await problem(await call('/api/catalog/items', { method: 'DELETE' }), 405);
      expect(refused.detail).toMatch(/DELETE/);
    });

    it('never routes /internal paths, however spelled', async () => {
      for (const path of [
        '/internal/users',
        '/api/users/internal/sync',
        '/api/catalog/%69nternal',
        '/api/catalog/Internal',
      ]) {
        const body = await problem(await call(path, { headers: bearer(adminToken) }), 404);
        expect(body.type).toBe('urn:sagamart:problem:no-route');
      }
    });

    it('refuses paths that could be read differently upstream', async () => {
      // Sent verbatim: fetch would resolve the dot segments before sending.
      const raw = (path: string) =>
        new Promise<number>((resolve, reject) => {
          const { hostname, port } = new URL(base);
          const req = httpRequest({ hostname, port, path, method: 'POST' }, (res) => {
            res.resume();
            resolve(res.statusCode!);
          });
          req.on('error', reject);
          req.end();
        });
      expect(await raw('/api/users/signup/%2e%2e/me')).toBe(400);
      expect(await raw('/api/users/signup/../me')).toBe(400);
      expect(await raw('/api/users/signup%2F..%2Fme')).toBe(400);
      // A route's own path spelt encoded would miss that route (its role, its rate limit).
      expect(await raw('/api/limited/%61')).toBe(400);
    });

    describe('refuses a body over the route’s limit with 413, before it reaches the upstream', () => {
      const big = 'x'.repeat(2_000_000);
      /** The body as a stream: no Content-Length, so the gateway counts while it forwards. */
      const chunked = (text: string) =>
        new ReadableStream({
          start(controller) {
            for (let i = 0; i < text.length; i += 65_536)
              controller.enqueue(new TextEncoder().encode(text.slice(i, i + 65_536)));
            controller.close();
          },
        });
      const send = (path: string, method: string, body: BodyInit) =>
        call(path, {
          method,
          headers: { 'content-type': 'application/octet-stream' },
          body,
          duplex: 'half',
        } as RequestInit);

      it.each(['POST', 'PUT'])('%s with a declared length', async (method) => {
        const body = await problem(await send('/api/users/signup', method, big), 413);
        expect(body.type).toBe('urn:sagamart:problem:body-too-large');
      });

      it.each(['POST', 'PUT'])('%s streamed without a length', async (method) => {
        const body = await problem(await send('/api/users/signup', method, chunked(big)), 413);
        expect(body.type).toBe('urn:sagamart:problem:body-too-large');
      });

      it('takes a larger body on a route that allows one', async () => {
        const got = await echo(await send('/api/uploads', 'POST', big));
        expect(got.body).toHaveLength(big.length);
        const body = await problem(await send('/api/uploads', 'POST', chunked(`${big}${big}`)), 413);
        expect(body.instance).toBe('/api/uploads');
      });
    });

    it('answers 404 for paths no route covers', async () => {
      const body = await problem(await call('/api/nothing-here'), 404);
      expect(body.detail).toBe('No route for GET /api/nothing-here');
    });

    it('answers 503 naming the service when no instance is up', async () => {
      const body = await problem(await call('/api/nobody/x'), 503);
      expect(body).toMatchObject({
        service: 'nobody-service',
        route: 'nobody',
        type: 'urn:sagamart:problem:no-instance',
      });
    });

    it('balances round robin over the instances', async () => {
      const seen: string[] = [];
      for (let i = 0; i < 4; i++)
        seen.push((await echo(await call('/api/orders', { headers: bearer(userToken) }))).instance);
      expect(seen.filter((s) => s === 'orders-a')).toHaveLength(2);
      expect(seen.filter((s) => s === 'orders-b')).toHaveLength(2);
      expect(seen[0]).not.toBe(seen[1]);
    });

    it('keeps its own CORS headers over an upstream’s', async () => {
      const res = await call('/api/catalog/items', { headers: { origin: 'https://evil.example' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('identity', () => {
    it('passes the verified caller on in a service token the upstream verifies', async () => {
      const got = await echo(await call('/api/users/me', { headers: bearer(userToken) }));
      expect(got.caller).toBe('gateway');
      expect(got.identity).toEqual({ userId: 'user-7', email: 'seven@example.com', role: 'USER' });
      expect(Object.keys(got.headers).filter((h) => h.startsWith('x-user-'))).toEqual([]);
    });

    it('drops a client’s own service token', async () => {
      const got = await echo(
        await call('/api/catalog/items', { headers: asUser('admin-1', 'ADMIN', 'a@b.c', 'catalog-service') }),
      );
      expect(got.caller).toBe('gateway');
      expect(got.identity).toBeNull();
    });

    it('drops spoofed X-User-* headers, in any case, on protected routes', async () => {
      const got = await echo(
        await call('/api/users/me', {
          headers: {
            ...bearer(userToken),
            'X-User-Id': 'admin-1',
            'x-user-ROLE': 'ADMIN',
            'X-User-Extra': 'x',
          },
        }),
      );
      expect(got.identity).toMatchObject({ userId: 'user-7', role: 'USER' });
      expect(got.headers['x-user-extra']).toBeUndefined();
    });

    it('drops spoofed X-User-* headers on public routes', async () => {
      const got = await echo(
        await call('/api/catalog/items', {
          headers: { 'X-User-Id': 'admin-1', 'X-User-Role': 'ADMIN', 'x-user-email': 'a@b' },
        }),
      );
      expect(Object.keys(got.headers).filter((h) => h.startsWith('x-user-'))).toEqual([]);
      expect(got.identity).toBeNull();
    });

    it('passes a valid token’s identity on public routes too', async () => {
      const got = await echo(
        await call('/api/catalog/items', { headers: { ...bearer(userToken), 'x-user-role': 'ADMIN' } }),
      );
      expect(got.identity).toMatchObject({ userId: 'user-7', role: 'USER' });
    });

    it('lets admins through USER routes and only admins through ADMIN routes', async () => {
      expect((await echo(await call('/api/users/me', { headers: bearer(adminToken) }))).identity?.role).toBe(
        'ADMIN',
      );
      expect(
        (await echo(await call('/api/admin/users', { headers: bearer(adminToken) }))).identity?.userId,
      ).toBe('admin-1');
      const refused = await problem(await call('/api/admin/users', { headers: bearer(userToken) }), 403);
      expect(refused.detail).toMatch(/ADMIN/);
    });

    it('asks for a token on protected routes', async () => {
      const res = await call('/api/users/me');
      await problem(res, 401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="sagamart"');
    });

    describe('refuses bad tokens with 401 invalid_token', () => {
      const refuses = async (token: string, why: RegExp, path = '/api/users/me') => {
        const res = await call(path, { headers: { authorization: `Bearer ${token}` } });
        const body = await problem(res, 401);
        expect(res.headers.get('www-authenticate')).toMatch(
          /^Bearer realm="sagamart", error="invalid_token"/,
        );
        expect(body.detail).toMatch(why);
      };

      it('malformed', async () => {
        await refuses('not-a-jwt', /malformed/);
        const res = await call('/api/users/me', { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
        await problem(res, 401);
      });

      it('signed with another key under a known kid', async () => {
        const { privateKey } = await generateKeyPair('ES256');
        const forged = await new SignJWT({ email: 'x@x', role: 'ADMIN', token_type: 'access' })
          .setProtectedHeader({ alg: 'ES256', kid: 'key-1' })
          .setSubject('admin-1')
          .setIssuer('sagamart-auth')
          .setAudience('sagamart')
          .setExpirationTime('5m')
          .sign(privateKey);
        await refuses(forged, /signature/);
      });

      it('alg none', async () => {
        const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
        const claims = {
          sub: 'admin-1',
          email: 'x@x',
          role: 'ADMIN',
          token_type: 'access',
          iss: 'sagamart-auth',
          aud: 'sagamart',
        };
        const unsigned = `${part({ alg: 'none', kid: 'key-1' })}.${part({ ...claims, exp: Math.floor(Date.now() / 1000) + 300 })}.`;
        await refuses(unsigned, /ES256|malformed/);
      });

      it('HS256 with the public key as the secret', async () => {
        const publicJwk = auth.keys[0]!.jwk;
        const pem = createPublicKey({ key: publicJwk, format: 'jwk' }).export({
          type: 'spki',
          format: 'pem',
        });
        const forged = await new SignJWT({ email: 'x@x', role: 'ADMIN', token_type: 'access' })
          .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
          .setSubject('admin-1')
          .setIssuer('sagamart-auth')
          .setAudience('sagamart')
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(String(pem)));
        await refuses(forged, /ES256/);
      });

      it('expired', async () => {
        await refuses(await auth.sign({ expiresIn: Math.floor(Date.now() / 1000) - 60 }), /expired/);
      });

      it('a refresh token used as an access token', async () => {
        await refuses(await auth.sign({ token_type: 'refresh' }), /not an access token/);
      });

      it('another issuer or audience', async () => {
        await refuses(await auth.sign({ iss: 'someone-else' }), /"iss"/);
        await refuses(await auth.sign({ aud: 'other-app' }), /"aud"/);
      });

      it('even on public routes', async () => {
        await refuses(
          await auth.sign({ token_type: 'refresh' }),
          /not an access token/,
          '/api/catalog/items',
        );
      });
    });

    it('picks up a rotated-in signing key without a restart', async () => {
      const before = await call('/api/users/me', { headers: bearer(userToken) });
      expect(before.status).toBe(200);
      await auth.addKey('key-2');
      const rotated = await auth.sign({ sub: 'user-rotated' }, 'key-2');
      const got = await echo(await call('/api/users/me', { headers: bearer(rotated) }));
      expect(got.identity?.userId).toBe('user-rotated');
      // Tokens under the older key still work.
      expect((await call('/api/users/me', { headers: bearer(userToken) })).status).toBe(200);
    });

    it('refuses a token under a kid auth-service never published', async () => {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      expect(await exportJWK(publicKey)).toHaveProperty('x');
      const stranger = await new SignJWT({ email: 'x@x', role: 'USER', token_type: 'access' })
        .setProtectedHeader({ alg: 'ES256', kid: 'unknown-kid' })
        .setSubject('u')
        .setIssuer('sagamart-auth')
        .setAudience('sagamart')
        .setExpirationTime('5m')
        .sign(privateKey);
      const body = await problem(await call('/api/users/me', { headers: bearer(stranger) }), 401);
      expect(body.detail).toMatch(/unknown key/);
    });
  });

  describe('rate limits', () => {
    it('refuses with 429 and Retry-After once a caller’s bucket is empty', async () => {
      const token = await auth.sign({ sub: 'limited-user-1' });
      expect((await call('/api/limited/a', { headers: bearer(token) })).status).toBe(200);
      expect((await call('/api/limited/a', { headers: bearer(token) })).status).toBe(200);
      const res = await call('/api/limited/a', { headers: bearer(token) });
      const body = await problem(res, 429);
      const retryAfter = res.headers.get('retry-after');
      expect(retryAfter).toMatch(/^\d+$/);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(body.type).toBe('urn:sagamart:problem:rate-limited');
    });

    it('keeps a bucket per user, and one per address for anonymous callers', async () => {
      const first = await auth.sign({ sub: 'limited-user-2' });
      const second = await auth.sign({ sub: 'limited-user-3' });
      for (let i = 0; i < 2; i++)
        expect((await call('/api/limited/b', { headers: bearer(first) })).status).toBe(200);
      expect((await call('/api/limited/b', { headers: bearer(first) })).status).toBe(429);
      expect((await call('/api/limited/b', { headers: bearer(second) })).status).toBe(200);
      for (let i = 0; i < 2; i++) expect((await call('/api/limited/b')).status).toBe(200);
      expect((await call('/api/limited/b')).status).toBe(429);
    });

    it('does not touch routes of other classes', async () => {
      for (let i = 0; i < 5; i++) expect((await call('/api/catalog/items')).status).toBe(200);
    });
  });

  describe('CORS', () => {
    const origin = 'http://localhost:5173';

    it('answers preflights itself for allowed origins', async () => {
      const res = await call('/api/orders', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
      expect(res.headers.get('access-control-max-age')).toBe('600');
    });

    it('gives other origins nothing', async () => {
      const res = await call('/api/orders', {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('adds CORS headers to proxied answers and to the gateway’s own problems', async () => {
      const ok = await call('/api/catalog/items', { headers: { origin } });
      expect(ok.headers.get('access-control-allow-origin')).toBe(origin);
      expect(ok.headers.get('access-control-expose-headers')).toBe('x-trace-id, retry-after');
      expect(ok.headers.get('vary')).toMatch(/origin/i);
      const refused = await call('/api/users/me', { headers: { origin } });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('access-control-allow-origin')).toBe(origin);
    });
  });

  describe('WebSocket proxy', () => {
    const wsUrl = (path: string) => `${base.replace(/^http/, 'ws')}${path}`;

    /** Opens a socket and collects what it receives; resolves with the first message. */
    function connect(path: string, protocols?: string[]) {
      const socket = new WebSocket(wsUrl(path), protocols);
      const messages: string[] = [];
      socket.on('message', (data) => messages.push(data.toString()));
      const closed = new Promise<{ code: number; reason: string }>((resolve) =>
        socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
      );
      const refused = new Promise<number>((resolve) =>
        socket.once('unexpected-response', (_req, res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }),
      );
      socket.on('error', () => {});
      const next = (count: number) =>
        eventually(() => messages.length >= count && messages[count - 1], 5_000);
      return { socket, messages, closed, refused, next };
    }

    it('pipes messages both ways with the caller’s identity on the upstream handshake', async () => {
      const client = connect(`/ws/chat/room-1?access_token=${userToken}&lang=ko`);
      const hello = JSON.parse((await client.next(1)) as string) as Echo;
      expect(hello.identity).toEqual({ userId: 'user-7', role: 'USER', email: 'seven@example.com' });
      expect(hello.headers.traceparent).toMatch(/^00-/);
      // The token stays at the gateway.
      expect(hello.url).toBe('/ws/chat/room-1?lang=ko');
      client.socket.send('hi');
      expect(await client.next(2)).toBe('echo:hi');
      client.socket.send(Buffer.from([1, 2, 3]));
      client.socket.close(4001, 'bye');
      await client.closed;
      await eventually(() => socketEvents.some((e) => e.event === 'close' && e.code === 4001));
    });

    it('takes the token from the bearer subprotocol, and closes the client when the upstream closes', async () => {
      const client = connect('/ws/chat/room-2', ['bearer', adminToken]);
      const hello = JSON.parse((await client.next(1)) as string) as Echo;
      expect(client.socket.protocol).toBe('bearer');
      expect(hello.identity?.role).toBe('ADMIN');
      expect(hello.headers['sec-websocket-protocol']).toBeUndefined();
      client.socket.send('close:4002');
      expect(await client.closed).toMatchObject({ code: 4002 });
    });

    it('closes the connection with 4001 when its access token expires, and the upstream with it', async () => {
      const shortLived = await auth.sign({ sub: 'user-short', expiresIn: Math.floor(Date.now() / 1000) + 2 });
      const client = connect(`/ws/chat/room-5?access_token=${shortLived}`);
      await client.next(1);
      expect(await client.closed).toMatchObject({ code: 4001, reason: 'token expired' });
      await eventually(() => socketEvents.some((e) => e.event === 'close' && e.code === 1000));
    });

    it('closes the connections of a session auth-service revokes with 4001, and only those', async () => {
      const ending = await auth.sign({ sub: 'user-leaving', sid: 'session-ending' });
      const staying = await auth.sign({ sub: 'user-staying', sid: 'session-staying' });
      const client = connect(`/ws/chat/room-6?access_token=${ending}`);
      const other = connect(`/ws/chat/room-7?access_token=${staying}`);
      await client.next(1);
      await other.next(1);
      await auth.revoke({ userId: 'user-leaving', sessionId: 'session-ending', notBefore: null });
      // Within one read of the feed (a poll here; at once where auth-service's broadcast arrives).
      expect(await client.closed).toMatchObject({ code: 4001, reason: 'session ended' });
      other.socket.send('still here');
      expect(await other.next(2)).toBe('echo:still here');
      other.socket.close();
    });

    it('refuses the handshake without a valid token or the right role', async () => {
      expect(await connect('/ws/chat/room-3').refused).toBe(401);
      expect(await connect('/ws/chat/room-3?access_token=garbage').refused).toBe(401);
      expect(await connect(`/ws/admin?access_token=${userToken}`).refused).toBe(403);
      expect(await connect(`/ws/unrouted?access_token=${userToken}`).refused).toBe(404);
    });

    it('ignores X-User-* sent on the handshake', async () => {
      const socket = new WebSocket(wsUrl(`/ws/chat/room-4?access_token=${userToken}`), {
        headers: { 'X-User-Id': 'admin-1', 'X-User-Role': 'ADMIN' },
      });
      const hello = await new Promise<string>((resolve) =>
        socket.once('message', (data) => resolve(data.toString())),
      );
      socket.close();
      expect((JSON.parse(hello) as Echo).identity).toMatchObject({ userId: 'user-7', role: 'USER' });
    });

    it('answers a plain HTTP request on a WebSocket route with 426', async () => {
      const res = await call('/ws/chat', { headers: bearer(userToken) });
      expect(res.status).toBe(426);
    });
  });

  describe('platform API', () => {
    it('lists every registered instance with its readiness, for admins', async () => {
      // Registered, but nothing listens there any more.
      discovery.set('ghost-service', 'http://127.0.0.1:1');
      const res = await call('/api/platform/services', { headers: bearer(adminToken) });
      discovery.remove('ghost-service');
      expect(res.status).toBe(200);
      const { services } = (await res.json()) as {
        services: Array<{
          name: string;
          instances: Array<{
            instanceId: string;
            url: string;
            health: string;
            status: string;
            lastHeartbeatAt: string;
          }>;
        }>;
      };
      expect(services.map((s) => s.name)).toEqual([
        'auth-service',
        'catalog-service',
        'chat-service',
        'ghost-service',
        'order-service',
        'user-service',
      ]);
      const orders = services.find((s) => s.name === 'order-service')!;
      expect(orders.instances.map((i) => i.url).sort()).toEqual([ordersA.url, ordersB.url].sort());
      expect(orders.instances.every((i) => i.health === 'UP' && i.status === 'UP')).toBe(true);
      expect(orders.instances[0]!.lastHeartbeatAt).toMatch(/^\d{4}-/);
      expect(services.find((s) => s.name === 'ghost-service')!.instances[0]).toMatchObject({
        status: 'UP',
        health: 'DOWN',
      });
    });

    it('refuses users and anonymous callers', async () => {
      await problem(await call('/api/platform/services', { headers: bearer(userToken) }), 403);
      await problem(await call('/api/platform/services'), 401);
    });

    it('gives each service’s request rate, 5xx share and p99 from its instances’ /metrics, for admins', async () => {
      type Glance = {
        services: Array<{
          name: string;
          instances: number;
          unreachable: number;
          windowSeconds: number | null;
          requestsPerSecond: number | null;
          errorRate: number | null;
          p99Ms: number | null;
        }>;
      };
      const look = async () => {
        const res = await call('/api/platform/metrics', { headers: bearer(adminToken) });
        expect(res.status, await res.clone().text()).toBe(200);
        return ((await res.json()) as Glance).services;
      };
      await problem(await call('/api/platform/metrics', { headers: bearer(userToken) }), 403);
      await problem(await call('/api/platform/metrics'), 401);
      // Registered, but nothing listens there.
      discovery.set('ghost-service', 'http://127.0.0.1:1');

      // The first look is the baseline: no window yet.
      const first = await look();
      expect(first.find((s) => s.name === 'order-service')).toMatchObject({
        instances: 2,
        unreachable: 0,
        requestsPerSecond: null,
      });
      // Ten orders calls through the gateway, three of them answered 500 by the order-service.
      for (let i = 0; i < 10; i++) {
        const status = [0, 4, 8].includes(i) ? 500 : 200;
        const res = await call(`/api/orders/glance-${i}?status=${status}`, { headers: bearer(userToken) });
        await res.body?.cancel();
      }
      // Each service's window starts at its own first answered scrape (a busy machine may miss one).
      const services = await eventually(async () => {
        const found = await look();
        const windowed = ['order-service', 'user-service'].every(
          (name) => found.find((s) => s.name === name)?.windowSeconds,
        );
        return windowed ? found : undefined;
      });
      const orders = services.find((s) => s.name === 'order-service')!;
      expect(orders.requestsPerSecond).toBeGreaterThan(0);
      expect(orders.errorRate).toBe(0.3);
      expect(orders.p99Ms).toBeGreaterThan(0);
      // A service that took no request has a rate of 0 and no error rate; one that does not answer is counted.
      expect(services.find((s) => s.name === 'user-service')).toMatchObject({
        requestsPerSecond: 0,
        errorRate: null,
      });
      expect(services.find((s) => s.name === 'ghost-service')).toMatchObject({
        instances: 0,
        unreachable: 1,
        requestsPerSecond: null,
      });
    });

    it('forwards dead-letter calls to the service with the admin’s identity', async () => {
      const listed = await echo(
        await call('/api/platform/services/order-service/dead-letters?page=1&size=5', {
          headers: bearer(adminToken),
        }),
      );
      expect(listed).toMatchObject({
        service: 'order-service',
        method: 'GET',
        url: '/admin/dead-letters?page=1&size=5',
      });
      expect(listed.identity).toMatchObject({ userId: 'admin-1', role: 'ADMIN' });
      const id = crypto.randomUUID();
      const replayed = await echo(
        await call(`/api/platform/services/user-service/dead-letters/${id}/replay`, {
          method: 'POST',
          headers: bearer(adminToken),
        }),
      );
      expect(replayed).toMatchObject({
        service: 'user-service',
        method: 'POST',
        url: `/admin/dead-letters/${id}/replay`,
      });
      await problem(
        await call('/api/platform/services/user-service/dead-letters', { headers: bearer(userToken) }),
        403,
      );
      await problem(
        await call('/api/platform/services/no-such-service/dead-letters', { headers: bearer(adminToken) }),
        404,
      );
    });

    it('answers 404 for a registered service that consumes no events, without asking it', async () => {
      // config-server takes only the platform's Basic login, as the real one does: asked, it answers 401.
      const configServer = await startTestService(
        defineService({ ...echoService('config-server', 'config-1').definition, basicAuth: true }),
        { config: { database: { url: '' } } },
      );
      discovery.set('config-server', configServer.url);
      discovery.set('gateway', base);
      try {
        for (const service of ['config-server', 'gateway']) {
          const listed = await problem(
            await call(`/api/platform/services/${service}/dead-letters`, { headers: bearer(adminToken) }),
            404,
          );
          expect(listed).toMatchObject({
            type: 'urn:sagamart:problem:no-dead-letters',
            detail: `${service} keeps no dead letters`,
            service,
          });
          const replayed = await call(
            `/api/platform/services/${service}/dead-letters/${crypto.randomUUID()}/replay`,
            { method: 'POST', headers: bearer(adminToken) },
          );
          expect((await problem(replayed, 404)).type).toBe('urn:sagamart:problem:no-dead-letters');
        }
        // Still only for admins.
        await problem(
          await call('/api/platform/services/config-server/dead-letters', { headers: bearer(userToken) }),
          403,
        );
      } finally {
        discovery.remove('config-server');
        discovery.remove('gateway');
        await configServer.stop();
      }
    });
  });

  describe('docs', () => {
    it('lists and serves every registered service’s OpenAPI document', async () => {
      const { specs } = (await (await call('/docs/specs')).json()) as {
        specs: Array<{ name: string; url: string }>;
      };
      expect(specs).toContainEqual({ name: 'gateway', url: '/openapi.json' });
      expect(specs).toContainEqual({ name: 'order-service', url: '/docs/specs/order-service.json' });
      const spec = (await (await call('/docs/specs/order-service.json')).json()) as {
        info: { title: string };
      };
      expect(spec.info.title).toBe('order-service');
      await problem(await call('/docs/specs/nobody.json'), 404);
      const init = await (await call('/docs/init.js')).text();
      expect(init).toContain('/docs/specs/catalog-service.json');
      expect((await call('/docs/ui/static/swagger-ui-bundle.js')).status).toBe(200);
    });

    it('documents the platform API in its own OpenAPI document', async () => {
      const spec = (await (await call('/openapi.json')).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(spec.paths)).toContain('/api/platform/services');
    });
  });

  it('is ready when up', async () => {
    expect((await call('/health/ready')).status).toBe(200);
  });
});
