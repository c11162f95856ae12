import { createHash } from 'node:crypto';
import { READ_MODEL_GENERATION_CHANNEL, READ_MODEL_GENERATION_HEADER } from '@sagamart/contracts';
import {
  type BroadcastOptions,
  type ConfigTree,
  defineService,
  type Service,
  type Subscription,
  type Transport,
} from '@sagamart/kit';
import { startTestService } from '@sagamart/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import gateway from '../src/index.ts';
import { bearer, type FakeAuth, startFakeAuth, stopAll, TestDiscovery } from './harness.ts';

/**
 * Broadcasts delivered at once, in process; `up` is what `listening()` says. `reconnect()` is a lost
 * connection back: listening again, and every subscriber hears `missed`, as from the kit's transports.
 */
class InProcessBroadcasts implements Transport {
  readonly kind = 'postgres' as const;
  up = true;
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly missed = new Set<() => void>();
  reconnect(): void {
    this.up = true;
    for (const missed of this.missed) missed();
  }
  async declare(): Promise<void> {}
  async publish(): Promise<void> {}
  async send(): Promise<void> {}
  async consume(): Promise<Subscription> {
    return { close: async () => {} };
  }
  async broadcast(channel: string, payload: unknown): Promise<void> {
    for (const listener of this.listeners.get(channel) ?? []) listener(payload);
  }
  async onBroadcast(
    channel: string,
    listener: (payload: unknown) => void,
    options: BroadcastOptions = {},
  ): Promise<Subscription> {
    const set = this.listeners.get(channel) ?? new Set();
    this.listeners.set(channel, set);
    set.add(listener);
    const { missed } = options;
    if (missed) this.missed.add(missed);
    return {
      close: async () => {
        set.delete(listener);
        if (missed) this.missed.delete(missed);
      },
    };
  }
  async healthy(): Promise<boolean> {
    return true;
  }
  listening(): boolean {
    return this.up;
  }
  async close(): Promise<void> {}
}

/**
 * A read model as catalog-service serves it: each product's name, the generation, and every request
 * it saw. Answers are public with an ETag and the generation; a matching If-None-Match gets 304.
 */
function startReadModel() {
  const state = {
    generation: 1,
    names: new Map<number, string>([
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
      [4, 'four'],
    ]),
    seen: [] as Array<{ url: string; ifNoneMatch: string | undefined }>,
  };
  const service = defineService({
    name: 'catalog-service',
    port: 0,
    routes(app) {
      const answer = (
        reply: import('fastify').FastifyReply,
        body: string,
        cacheControl: string,
        ifNoneMatch: string | undefined,
      ) => {
        const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
        reply.header(READ_MODEL_GENERATION_HEADER, String(state.generation));
        reply.header('cache-control', cacheControl).header('etag', etag);
        if (ifNoneMatch === etag) return reply.code(304).send();
        return reply.type('application/json').send(body);
      };
      app.addHook('onRequest', async (req) => {
        state.seen.push({ url: req.url, ifNoneMatch: req.headers['if-none-match'] });
      });
      app.get('/api/catalog/products/:id', async (req, reply) => {
        const id = Number((req.params as { id: string }).id);
        const name = state.names.get(id);
        if (!name) return reply.code(404).send({ title: 'not found' });
        return answer(reply, JSON.stringify({ id, name }), 'public, no-cache', req.headers['if-none-match']);
      });
      app.get('/api/catalog/greeting', async (req, reply) => {
        reply.header('vary', 'accept-language');
        const body = JSON.stringify({ greeting: `hello ${req.headers['accept-language'] ?? '-'}` });
        return answer(reply, body, 'public, no-cache', undefined);
      });
      app.get('/api/catalog/big', async (_req, reply) =>
        answer(reply, JSON.stringify({ text: 'x'.repeat(4_000) }), 'public', undefined),
      );
      app.get('/api/catalog/private', async (_req, reply) =>
        answer(reply, '{"mine":true}', 'private', undefined),
      );
      app.get('/api/catalog/no-store', async (_req, reply) =>
        answer(reply, '{"fresh":true}', 'public, no-store', undefined),
      );
      app.get('/api/catalog/cookie', async (_req, reply) => {
        reply.header('set-cookie', 'seen=1');
        return answer(reply, '{"cookie":true}', 'public', undefined);
      });
      app.get('/api/catalog/untagged', async (_req, reply) =>
        reply.header('cache-control', 'public').send({ untagged: true }),
      );
      app.get('/api/plain/products/:id', async (_req, reply) =>
        answer(reply, '{"plain":true}', 'public', undefined),
      );
    },
  });
  return { state, start: () => startTestService(service, { config: { database: { url: '' } } }) };
}

const routes: ConfigTree[] = [
  {
    id: 'catalog',
    path: '/api/catalog',
    service: 'catalog-service',
    role: 'NONE',
    methods: ['GET'],
    cache: true,
  },
  { id: 'plain', path: '/api/plain', service: 'catalog-service', role: 'NONE', methods: ['GET'] },
  {
    id: 'limited',
    path: '/api/catalog/products/3',
    service: 'catalog-service',
    role: 'NONE',
    methods: ['GET'],
    rateLimit: 'tight',
    cache: true,
  },
];

describe('gateway response cache', () => {
  const discovery = new TestDiscovery();
  const broadcasts = new InProcessBroadcasts();
  const readModel = startReadModel();
  let upstream: Service<unknown>;
  let auth: FakeAuth;
  let gw: Service<unknown>;
  let small: Service<unknown>;
  let unheard: Service<unknown>;

  const startGateway = (responseCache: ConfigTree = {}) =>
    startTestService(gateway, {
      discovery,
      transport: broadcasts,
      config: {
        database: { url: '' },
        gateway: {
          routes,
          jwks: { minReloadIntervalMs: 0 },
          rateLimits: {
            default: { capacity: 1000, refillPerSecond: 1000 },
            tight: { capacity: 2, refillPerSecond: 0.001 },
          },
          responseCache,
        },
      },
    });

  beforeAll(async () => {
    [upstream, auth] = await Promise.all([readModel.start(), startFakeAuth()]);
    discovery.set('catalog-service', upstream.url);
    discovery.set('auth-service', auth.service.url);
    gw = await startGateway();
    small = await startGateway({ maxEntries: 2, maxEntryBytes: 1_000 });
    unheard = await startGateway({ heardWithinMs: 0 });
  });
  afterAll(() => stopAll([unheard, small, gw, upstream, auth?.service]));
  /** The read model's heartbeat: its current generation, broadcast. */
  const heartbeat = () =>
    broadcasts.broadcast(READ_MODEL_GENERATION_CHANNEL, {
      service: 'catalog-service',
      generation: readModel.state.generation,
    });
  beforeEach(async () => {
    broadcasts.up = true;
    await heartbeat();
  });

  const get = (base: string, path: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { headers });
  const upstreamCalls = (path: string) => readModel.state.seen.filter((s) => s.url === path).length;
  /** A change to the read model: the generation moves on, and (unless told otherwise) it is broadcast. */
  const change = async (id: number, name: string, broadcast = true) => {
    readModel.state.names.set(id, name);
    readModel.state.generation += 1;
    if (broadcast)
      await broadcasts.broadcast(READ_MODEL_GENERATION_CHANNEL, {
        service: 'catalog-service',
        generation: readModel.state.generation,
      });
  };

  it('answers a repeated public GET without the upstream, with the same body and the per-request headers', async () => {
    const first = await get(gw.url, '/api/catalog/products/1');
    expect(first.status).toBe(200);
    const firstBody = await first.json();
    const calls = upstreamCalls('/api/catalog/products/1');
    const again = await get(gw.url, '/api/catalog/products/1');
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(firstBody);
    expect(upstreamCalls('/api/catalog/products/1')).toBe(calls);
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(again.headers.get('content-type')).toContain('application/json');
    // The gateway's own, per request: trace id, security headers; the generation stays inside.
    expect(again.headers.get('x-trace-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(again.headers.get('x-trace-id')).not.toBe(first.headers.get('x-trace-id'));
    expect(again.headers.get('x-content-type-options')).toBe('nosniff');
    expect(again.headers.get(READ_MODEL_GENERATION_HEADER)).toBeNull();
  });

  it('answers HEAD and a matching If-None-Match from the kept answer', async () => {
    const first = await get(gw.url, '/api/catalog/products/2');
    const etag = first.headers.get('etag')!;
    const calls = upstreamCalls('/api/catalog/products/2');
    const notModified = await get(gw.url, '/api/catalog/products/2', { 'if-none-match': etag });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
    expect(notModified.headers.get('etag')).toBe(etag);
    const head = await fetch(`${gw.url}/api/catalog/products/2`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
    expect(upstreamCalls('/api/catalog/products/2')).toBe(calls);
  });

  it('drops kept answers when the read model broadcasts a newer generation', async () => {
    await get(gw.url, '/api/catalog/products/1');
    await change(1, 'one, renamed');
    const calls = upstreamCalls('/api/catalog/products/1');
    const after = await get(gw.url, '/api/catalog/products/1');
    expect(await after.json()).toEqual({ id: 1, name: 'one, renamed' });
    expect(upstreamCalls('/api/catalog/products/1')).toBe(calls + 1);
    // Kept again, under the new generation.
    await get(gw.url, '/api/catalog/products/1');
    expect(upstreamCalls('/api/catalog/products/1')).toBe(calls + 1);
  });

  it('moves to a newer generation named by an answer, dropping what it kept from older ones', async () => {
    await get(gw.url, '/api/catalog/products/1');
    await get(gw.url, '/api/catalog/products/2');
    await change(1, 'one, unheard of', false);
    // Product 2's answer names the new generation: kept answers of the older one no longer count.
    const calls2 = upstreamCalls('/api/catalog/products/2');
    await get(gw.url, '/api/catalog/products/2?fresh=1');
    expect(upstreamCalls('/api/catalog/products/2?fresh=1')).toBe(1);
    const after = await get(gw.url, '/api/catalog/products/1');
    expect(await after.json()).toEqual({ id: 1, name: 'one, unheard of' });
    await get(gw.url, '/api/catalog/products/2');
    expect(upstreamCalls('/api/catalog/products/2')).toBe(calls2 + 1);
  });

  it('checks every kept answer with the upstream (If-None-Match) while broadcasts may be missed', async () => {
    await get(gw.url, '/api/catalog/products/2');
    broadcasts.up = false;
    const calls = upstreamCalls('/api/catalog/products/2');
    const checked = await get(gw.url, '/api/catalog/products/2');
    expect(checked.status).toBe(200);
    expect(await checked.json()).toEqual({ id: 2, name: 'two' });
    const seen = readModel.state.seen.filter((s) => s.url === '/api/catalog/products/2');
    expect(seen).toHaveLength(calls + 1);
    expect(seen.at(-1)!.ifNoneMatch).toBe(checked.headers.get('etag'));
    // A change whose broadcast is lost is seen at once.
    await change(2, 'two, renamed', false);
    const changed = await get(gw.url, '/api/catalog/products/2');
    expect(await changed.json()).toEqual({ id: 2, name: 'two, renamed' });
    expect(upstreamCalls('/api/catalog/products/2')).toBe(calls + 2);
    // Listening again, and the heartbeat heard: served from memory.
    broadcasts.reconnect();
    await heartbeat();
    await get(gw.url, '/api/catalog/products/2');
    expect(upstreamCalls('/api/catalog/products/2')).toBe(calls + 2);
  });

  it('checks every kept answer after the connection is back, until a broadcast is heard again', async () => {
    const path = '/api/catalog/products/4?reconnect';
    await get(gw.url, path);
    await get(gw.url, path);
    const calls = upstreamCalls(path);
    expect(calls).toBe(1);
    // Down for a moment: the change's broadcast is lost, and no request came meanwhile.
    broadcasts.up = false;
    await change(4, 'four, renamed', false);
    broadcasts.reconnect();
    const after = await get(gw.url, path);
    expect(await after.json()).toEqual({ id: 4, name: 'four, renamed' });
    expect(upstreamCalls(path)).toBe(calls + 1);
    // Once the heartbeat is heard, served from memory again.
    await heartbeat();
    await get(gw.url, path);
    expect(upstreamCalls(path)).toBe(calls + 1);
  });

  it('checks every kept answer while no broadcast was heard lately', async () => {
    const path = '/api/catalog/products/2?unheard';
    const first = await get(unheard.url, path);
    const again = await get(unheard.url, path);
    expect(await again.json()).toEqual(await first.json());
    const seen = readModel.state.seen.filter((s) => s.url === path);
    expect(seen.map((s) => s.ifNoneMatch)).toEqual([undefined, first.headers.get('etag')]);
  });

  it('does not keep private, no-store, cookie-setting or untagged answers, nor those of unmarked routes', async () => {
    for (const path of [
      '/api/catalog/private',
      '/api/catalog/no-store',
      '/api/catalog/cookie',
      '/api/catalog/untagged',
      '/api/plain/products/1',
    ]) {
      const before = upstreamCalls(path);
      for (let i = 0; i < 2; i++) expect((await get(gw.url, path)).status).toBe(200);
      expect(upstreamCalls(path), path).toBe(before + 2);
    }
  });

  it('keeps nothing from a signed-in caller, serves kept answers to one marked no-store, and still checks tokens and limits', async () => {
    const token = await auth.sign({ sub: 'user-9' });
    const path = '/api/catalog/products/1?signed-in';
    const first = await get(gw.url, path, bearer(token));
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    await get(gw.url, path);
    expect(upstreamCalls(path)).toBe(2);
    const kept = await get(gw.url, path, bearer(token));
    expect(kept.status).toBe(200);
    expect(kept.headers.get('cache-control')).toBe('no-store');
    expect(upstreamCalls(path)).toBe(2);
    expect((await get(gw.url, path, bearer('not-a-token'))).status).toBe(401);
    // The route's rate limit (2 at once) counts answers from memory too.
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(gw.url, '/api/catalog/products/3')).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('keeps one answer per Vary’d request header value', async () => {
    const path = '/api/catalog/greeting';
    const ko = await get(gw.url, path, { 'accept-language': 'ko' });
    expect(await ko.json()).toEqual({ greeting: 'hello ko' });
    const en = await get(gw.url, path, { 'accept-language': 'en' });
    expect(await en.json()).toEqual({ greeting: 'hello en' });
    expect(en.headers.get('vary')).toContain('accept-language');
    const enAgain = await get(gw.url, path, { 'accept-language': 'en' });
    expect(await enAgain.json()).toEqual({ greeting: 'hello en' });
    expect(upstreamCalls(path)).toBe(2);
  });

  it('holds at most maxEntries answers, none over maxEntryBytes', async () => {
    for (const id of [1, 2, 4]) await get(small.url, `/api/catalog/products/${id}?small`);
    const calls = (id: number) => upstreamCalls(`/api/catalog/products/${id}?small`);
    // 1 was the least recently used: it went when 4 came.
    await get(small.url, '/api/catalog/products/4?small');
    await get(small.url, '/api/catalog/products/1?small');
    expect([calls(1), calls(2), calls(4)]).toEqual([2, 1, 1]);
    for (let i = 0; i < 2; i++) expect((await get(small.url, '/api/catalog/big')).status).toBe(200);
    expect(upstreamCalls('/api/catalog/big')).toBe(2);
  });
});
