import { bucketIdleTtlMs, takeToken } from '@sagamart/kit/pure';
import { describe, expect, it } from 'vitest';
import { authorize, identityFromClaims } from '../src/domain/access-policy.ts';
import {
  InvalidSettingsError,
  parseGatewaySettings,
  type RawGatewaySettings,
} from '../src/domain/gateway-settings.ts';
import {
  bearerToken,
  downstreamResponseHeaders,
  mergeVary,
  upstreamHandshakeHeaders,
  upstreamRequestHeaders,
  webSocketToken,
  withoutQueryParam,
} from '../src/domain/header-policy.ts';
import { inspectPath, isWebAppPath } from '../src/domain/path-policy.ts';
import { type GatewayRoute, RouteTable, upstreamPath } from '../src/domain/route-table.ts';

function route(id: string, path: string, extra: Partial<GatewayRoute> = {}): GatewayRoute {
  return {
    id,
    path,
    service: `${id}-service`,
    role: 'NONE',
    rateLimit: 'default',
    timeoutMs: 1000,
    maxBodyBytes: 1_048_576,
    stripPrefix: false,
    methods: undefined,
    websocket: false,
    cache: false,
    ...extra,
  };
}

describe('route table', () => {
  const table = new RouteTable([
    route('users', '/api/users', { role: 'USER' }),
    route('signup', '/api/users/signup'),
    route('catalog', '/api/catalog', { methods: ['GET'] }),
  ]);

  it('picks the longest matching prefix', () => {
    expect(table.match('POST', '/api/users/signup')).toMatchObject({
      kind: 'route',
      route: { id: 'signup' },
    });
    expect(table.match('GET', '/api/users/signup/extra')).toMatchObject({ route: { id: 'signup' } });
    expect(table.match('GET', '/api/users/me')).toMatchObject({ route: { id: 'users' } });
    expect(table.match('GET', '/api/users')).toMatchObject({ route: { id: 'users' } });
  });

  it('matches whole segments only', () => {
    expect(table.match('GET', '/api/usersx')).toEqual({ kind: 'none' });
    expect(table.match('GET', '/api/users-signup')).toEqual({ kind: 'none' });
    expect(table.match('GET', '/api')).toEqual({ kind: 'none' });
  });

  it('honours a route’s methods, GET implying HEAD', () => {
    expect(table.match('GET', '/api/catalog/products')).toMatchObject({ route: { id: 'catalog' } });
    expect(table.match('HEAD', '/api/catalog/products')).toMatchObject({ route: { id: 'catalog' } });
    expect(table.match('POST', '/api/catalog/products')).toEqual({
      kind: 'method-not-allowed',
      allowed: ['GET', 'HEAD'],
    });
  });

  it('falls back to a shorter prefix when the longer one does not take the method', () => {
    const images = new RouteTable([
      route('products', '/api/products', { role: 'ADMIN' }),
      route('images', '/api/products/images', { methods: ['GET'] }),
    ]);
    expect(images.match('GET', '/api/products/images/1.png')).toMatchObject({ route: { id: 'images' } });
    expect(images.match('POST', '/api/products/images')).toMatchObject({ route: { id: 'products' } });
  });

  it('matches a * segment against any one segment, more specific than the plain prefix', () => {
    const orders = new RouteTable([
      route('orders', '/api/orders', { role: 'USER' }),
      route('claims', '/api/orders/*/claims', { methods: ['GET'] }),
      route('returns', '/api/orders/*/returns', { methods: ['POST'] }),
    ]);
    expect(orders.match('GET', '/api/orders/ORD-1/claims')).toMatchObject({ route: { id: 'claims' } });
    expect(orders.match('GET', '/api/orders/ORD-1/claims/x')).toMatchObject({ route: { id: 'claims' } });
    expect(orders.match('POST', '/api/orders/7/returns')).toMatchObject({ route: { id: 'returns' } });
    expect(orders.match('GET', '/api/orders/7/returns')).toMatchObject({ route: { id: 'orders' } });
    expect(orders.match('GET', '/api/orders/7')).toMatchObject({ route: { id: 'orders' } });
    expect(orders.match('GET', '/api/orders//claims')).toMatchObject({ route: { id: 'orders' } });
    expect(orders.match('GET', '/api/orders/7/claimsx')).toMatchObject({ route: { id: 'orders' } });
  });

  it('strips the prefix only when asked', () => {
    expect(upstreamPath(route('a', '/api/a'), '/api/a/x?y=1')).toBe('/api/a/x?y=1');
    const stripped = route('a', '/api/a', { stripPrefix: true });
    expect(upstreamPath(stripped, '/api/a/x?y=1')).toBe('/x?y=1');
    expect(upstreamPath(stripped, '/api/a?y=1')).toBe('/?y=1');
    expect(upstreamPath(stripped, '/api/a')).toBe('/');
  });
});

describe('path policy', () => {
  it('refuses any internal segment, in any spelling', () => {
    for (const path of [
      '/internal/x',
      '/api/orders/internal',
      '/api/orders/INTERNAL/1',
      '/api/%69nternal/x',
      '/api/internal;a=b',
    ]) {
      expect(inspectPath(path), path).toEqual({ ok: false, reason: 'internal' });
    }
    expect(inspectPath('/api/internals')).toEqual({ ok: true });
  });

  it('refuses dot segments and encoded separators', () => {
    for (const path of [
      '/api/users/signup/../me',
      '/api/./users',
      '/api/users/signup/%2e%2e/me',
      '/api/a%2fb',
      '/api/a%5Cb',
      '/api/%zz',
      // Letters, digits and -._~ spelt encoded: the same path upstream, another one to the route table.
      '/api/promotion/coupons/%63laim',
      '/api/auth/LOG%49N',
      '/api/orders/ORD%2D1',
      '/api/x%5fy',
      '/api/%7e',
    ]) {
      expect(inspectPath(path), path).toEqual({ ok: false, reason: 'malformed' });
    }
    // What does need encoding still passes.
    for (const path of ['/api/catalog/%EA%B0%80', '/api/a%20b', '/api/a%25b', '/api/a%3Ab'])
      expect(inspectPath(path), path).toEqual({ ok: true });
  });

  it('keeps API, WebSocket, docs and health paths out of the web app fallback', () => {
    expect(isWebAppPath('/orders/12')).toBe(true);
    expect(isWebAppPath('/')).toBe(true);
    expect(isWebAppPath('/apix')).toBe(true);
    for (const path of ['/api', '/api/x', '/ws/chat', '/docs', '/health/ready', '/metrics'])
      expect(isWebAppPath(path)).toBe(false);
  });
});

describe('token bucket', () => {
  const limit = { capacity: 2, refillPerSecond: 0.5 };

  it('lets a full bucket’s worth through, then refuses with the wait in whole seconds', () => {
    const first = takeToken(undefined, limit, 0);
    const second = takeToken(first.state, limit, 0);
    const third = takeToken(second.state, limit, 0);
    expect([first.allowed, second.allowed, third.allowed]).toEqual([true, true, false]);
    expect(third.retryAfterSeconds).toBe(2);
  });

  it('refills with time, never above capacity', () => {
    const empty = { tokens: 0, updatedAtMs: 0 };
    expect(takeToken(empty, limit, 1_000)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(takeToken(empty, limit, 2_000).allowed).toBe(true);
    expect(takeToken(empty, limit, 60_000).state.tokens).toBe(1);
  });

  it('asks for at least one second', () => {
    const fast = { capacity: 1, refillPerSecond: 100 };
    const drained = takeToken(undefined, fast, 0);
    expect(takeToken(drained.state, fast, 0)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
  });

  it('ignores a clock that went backwards', () => {
    expect(takeToken({ tokens: 0.5, updatedAtMs: 10_000 }, limit, 0)).toMatchObject({ allowed: false });
  });

  it('forgets a bucket only once it would be full again', () => {
    expect(bucketIdleTtlMs(limit)).toBeGreaterThanOrEqual(4_000);
  });
});

describe('header policy', () => {
  const facts = {
    credential: {},
    clientIp: '10.0.0.9',
    protocol: 'http' as const,
    requestId: 'req-1',
    hasBody: true,
  };

  it('drops spoofed identity and hop-by-hop headers and adds forwarding facts', () => {
    const out = upstreamRequestHeaders(
      {
        host: 'shop.example',
        'x-user-id': 'spoofed',
        'x-user-role': 'ADMIN',
        'x-service-token': 'spoofed',
        connection: 'keep-alive, x-secret',
        'x-secret': 'hop',
        'transfer-encoding': 'chunked',
        expect: '100-continue',
        accept: 'application/json',
        'x-forwarded-for': '192.0.2.1',
      },
      { ...facts, credential: { 'x-service-token': 'signed-by-gateway' } },
    );
    expect(out).toEqual({
      accept: 'application/json',
      'x-forwarded-for': '10.0.0.9',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'shop.example',
      'x-request-id': 'req-1',
      'x-service-token': 'signed-by-gateway',
    });
  });

  it('sets no identity for anonymous callers, and drops the body framing when no body goes up', () => {
    const out = upstreamRequestHeaders(
      { 'x-user-id': 'spoofed', 'content-length': '12' },
      { ...facts, hasBody: false },
    );
    expect(Object.keys(out).filter((k) => k.startsWith('x-user-') || k === 'content-length')).toEqual([]);
  });

  it('keeps the client’s WebSocket handshake fields and token out of the upstream handshake', () => {
    const out = upstreamHandshakeHeaders(
      {
        'sec-websocket-key': 'k',
        'sec-websocket-protocol': 'bearer, t',
        authorization: 'Bearer t',
        cookie: 'c=1',
      },
      facts,
    );
    expect(out.cookie).toBe('c=1');
    expect(Object.keys(out).some((k) => k.startsWith('sec-websocket-') || k === 'authorization')).toBe(false);
  });

  it('passes response headers on without hop-by-hop or gateway-owned ones', () => {
    expect(
      downstreamResponseHeaders({
        'content-type': 'application/json',
        'set-cookie': ['a=1', 'b=2'],
        'transfer-encoding': 'chunked',
        'access-control-allow-origin': '*',
        'x-trace-id': 'upstream',
      }),
    ).toEqual({ 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
  });

  it('merges Vary values', () => {
    expect(mergeVary('Origin', 'accept-encoding, origin')).toBe('origin, accept-encoding');
    expect(mergeVary(undefined, undefined)).toBeUndefined();
  });

  it('reads bearer tokens strictly', () => {
    expect(bearerToken(undefined)).toEqual({ kind: 'none' });
    expect(bearerToken('Bearer a.b.c')).toEqual({ kind: 'token', token: 'a.b.c' });
    expect(bearerToken('bearer a.b.c')).toEqual({ kind: 'token', token: 'a.b.c' });
    expect(bearerToken('Basic dXNlcjpwYXNz')).toEqual({ kind: 'malformed' });
    expect(bearerToken('Bearer ')).toEqual({ kind: 'malformed' });
  });

  it('takes a WebSocket token from the query or the bearer subprotocol', () => {
    expect(webSocketToken('a.b.c', undefined)).toEqual({ kind: 'token', token: 'a.b.c' });
    expect(webSocketToken(undefined, 'bearer, a.b.c')).toEqual({ kind: 'token', token: 'a.b.c' });
    expect(webSocketToken(undefined, 'chat.v1')).toEqual({ kind: 'none' });
    expect(webSocketToken(undefined, 'bearer')).toEqual({ kind: 'malformed' });
    expect(withoutQueryParam('/ws/chat?room=1&access_token=x', 'access_token')).toBe('/ws/chat?room=1');
    expect(withoutQueryParam('/ws/chat?access_token=x', 'access_token')).toBe('/ws/chat');
  });
});

describe('access policy', () => {
  const user = { userId: 'u', email: 'u@x', role: 'USER' as const };
  const admin = { ...user, role: 'ADMIN' as const };

  it('lets anyone through NONE, signed-in users through USER, admins only through ADMIN', () => {
    expect(authorize('NONE', undefined)).toBe('allow');
    expect(authorize('USER', undefined)).toBe('unauthenticated');
    expect(authorize('USER', user)).toBe('allow');
    expect(authorize('USER', admin)).toBe('allow');
    expect(authorize('ADMIN', user)).toBe('forbidden');
    expect(authorize('ADMIN', admin)).toBe('allow');
  });

  it('lets agents through USER and AGENT routes but not ADMIN ones; admins pass AGENT routes', () => {
    const agent = { ...user, role: 'AGENT' as const };
    expect(authorize('USER', agent)).toBe('allow');
    expect(authorize('AGENT', agent)).toBe('allow');
    expect(authorize('AGENT', admin)).toBe('allow');
    expect(authorize('AGENT', user)).toBe('forbidden');
    expect(authorize('AGENT', undefined)).toBe('unauthenticated');
    expect(authorize('ADMIN', agent)).toBe('forbidden');
  });

  it('accepts only access tokens with a subject, a known role and an e-mail', () => {
    const claims = { sub: 'u', email: 'u@x', role: 'USER', token_type: 'access' };
    expect(identityFromClaims(claims)).toEqual({ identity: user });
    expect(identityFromClaims({ ...claims, token_type: 'refresh' })).toHaveProperty('error');
    expect(identityFromClaims({ ...claims, role: 'ROOT' })).toHaveProperty('error');
    expect(identityFromClaims({ ...claims, role: 'AGENT' })).toEqual({
      identity: { ...user, role: 'AGENT' },
    });
    expect(identityFromClaims({ ...claims, sub: '' })).toHaveProperty('error');
  });
});

describe('gateway settings', () => {
  const valid: RawGatewaySettings = {
    routes: [
      { id: 'users', path: '/api/users/', service: 'user-service', role: 'USER' },
      {
        id: 'login',
        path: '/api/auth/login',
        service: 'auth-service',
        role: 'NONE',
        rateLimit: 'auth',
        methods: ['post'],
      },
      { id: 'chat', path: '/ws/chat', service: 'chat-service', role: 'USER', timeoutMs: 50 },
    ],
    rateLimits: {
      default: { capacity: 10, refillPerSecond: 5 },
      auth: { capacity: 1, refillPerSecond: 0.1 },
    },
    cors: {
      allowedOrigins: [],
      allowedMethods: ['GET'],
      allowedHeaders: [],
      exposedHeaders: [],
      allowCredentials: false,
      maxAgeSeconds: 0,
    },
    defaultTimeoutMs: 700,
    defaultMaxBodyBytes: 1_048_576,
  };

  it('applies defaults and normalises paths and methods', () => {
    const { routes } = parseGatewaySettings(valid).routes;
    expect(routes).toEqual([
      expect.objectContaining({
        id: 'users',
        path: '/api/users',
        rateLimit: 'default',
        timeoutMs: 700,
        stripPrefix: false,
        websocket: false,
      }),
      expect.objectContaining({ id: 'login', methods: ['POST'], rateLimit: 'auth' }),
      expect.objectContaining({ id: 'chat', websocket: true, timeoutMs: 50 }),
    ]);
  });

  it('lists every problem at once', () => {
    const broken = {
      ...valid,
      routes: [
        ...valid.routes,
        { id: 'users', path: '/api/users', service: 'user-service', role: 'USER', rateLimit: 'nope' },
        { id: 'secret', path: '/api/internal', service: 'x', role: 'NONE' },
      ],
    };
    const error = (() => {
      try {
        parseGatewaySettings(broken);
      } catch (e) {
        return e as InvalidSettingsError;
      }
    })();
    expect(error).toBeInstanceOf(InvalidSettingsError);
    expect(error!.problems.join('\n')).toMatch(/no rate-limit class "nope"/);
    expect(error!.problems.join('\n')).toMatch(/id "users" is used twice/);
    expect(error!.problems.join('\n')).toMatch(/both take \/api\/users/);
    expect(error!.problems.join('\n')).toMatch(/\/api\/internal may not be routed/);
  });

  it('refuses a wrong shape with the offending field named', () => {
    expect(() =>
      parseGatewaySettings({ ...valid, routes: [{ id: 'x', path: 'no-slash', service: 's', role: 'ROOT' }] }),
    ).toThrow(/gateway\.routes\.0/);
    expect(() => parseGatewaySettings({ ...valid, rateLimits: { auth: valid.rateLimits.auth! } })).toThrow(
      /"default" class/,
    );
  });
});
