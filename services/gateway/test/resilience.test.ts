import type { ConfigTree, Service } from '@sagamart/kit';
import { eventually } from '@sagamart/testkit';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type Echo, startEcho, startGateway, stopAll, TestDiscovery } from './harness.ts';

const routes: ConfigTree[] = [
  { id: 'inventory', path: '/api/inventory', service: 'inventory-service', role: 'NONE' },
  { id: 'slow', path: '/api/slow', service: 'slow-service', role: 'NONE', timeoutMs: 200 },
  { id: 'flaky', path: '/api/flaky', service: 'flaky-service', role: 'NONE' },
  { id: 'pair', path: '/api/pair', service: 'pair-service', role: 'NONE' },
  { id: 'mixed', path: '/api/mixed', service: 'mixed-service', role: 'NONE' },
  { id: 'account', path: '/api/account', service: 'pair-service', role: 'USER' },
];

describe('gateway failure handling', () => {
  const discovery = new TestDiscovery();
  const upstreams: Array<Service<unknown>> = [];
  let gw: Service<unknown>;

  const call = (path: string, init: RequestInit = {}) => fetch(`${gw.url}${path}`, init);
  const unavailable = async (res: Response) => {
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    return (await res.json()) as { type: string; detail: string; service: string; route: string };
  };

  beforeAll(async () => {
    gw = await startGateway(discovery, {
      routes,
      breaker: {
        failureRateThreshold: 50,
        minimumNumberOfCalls: 3,
        slidingWindowMs: 60_000,
        halfOpenAfterMs: 1_000,
      },
    });
  });
  afterAll(() => stopAll([gw, ...upstreams]));

  it('answers 503 naming the service when the upstream is down, opens the circuit, and recovers after it is back', async () => {
    const first = await startEcho('inventory-service', 'inventory-1');
    const port = Number(new URL(first.url).port);
    discovery.set('inventory-service', first.url);
    expect((await call('/api/inventory/items')).status).toBe(200);

    await first.stop();
    for (let i = 0; i < 2; i++) {
      const down = await unavailable(await call('/api/inventory/items'));
      expect(down).toMatchObject({
        type: 'urn:sagamart:problem:upstream-unavailable',
        service: 'inventory-service',
        route: 'inventory',
      });
      expect(down.detail).toMatch(/^inventory-service is unavailable/);
    }
    const open = await unavailable(await call('/api/inventory/items'));
    expect(open).toMatchObject({ type: 'urn:sagamart:problem:circuit-open', service: 'inventory-service' });

    // Back on the same address, as a restarted instance would be; the gateway keeps running.
    upstreams.push(await startEcho('inventory-service', 'inventory-1b', undefined, port));
    await eventually(async () => (await call('/api/inventory/items')).status === 200, 10_000, 100);
    for (let i = 0; i < 3; i++) expect((await call('/api/inventory/items')).status).toBe(200);
  });

  it('answers 503 when the upstream is too slow, and counts timeouts against the circuit', async () => {
    const slow = await startEcho('slow-service', 'slow-1');
    upstreams.push(slow);
    discovery.set('slow-service', slow.url);
    for (let i = 0; i < 3; i++) {
      const late = await unavailable(await call('/api/slow/report?delayMs=1000'));
      expect(late).toMatchObject({
        type: 'urn:sagamart:problem:upstream-timeout',
        service: 'slow-service',
        route: 'slow',
      });
      expect(late.detail).toMatch(/200 ms/);
    }
    // Open now: even a quick request is refused at once...
    expect(await unavailable(await call('/api/slow/report'))).toMatchObject({
      type: 'urn:sagamart:problem:circuit-open',
    });
    // ...until the half-open trial goes through.
    await eventually(async () => (await call('/api/slow/report')).status === 200, 10_000, 100);
  });

  it('passes an upstream’s own 503 on, but counts it as a failure', async () => {
    const flaky = await startEcho('flaky-service', 'flaky-1');
    upstreams.push(flaky);
    discovery.set('flaky-service', flaky.url);
    for (let i = 0; i < 3; i++) {
      const res = await call('/api/flaky?status=503');
      expect(res.status).toBe(503);
      expect(((await res.json()) as Echo).instance).toBe('flaky-1');
    }
    expect(await unavailable(await call('/api/flaky'))).toMatchObject({
      type: 'urn:sagamart:problem:circuit-open',
    });
  });

  it('never counts 4xx, 500 or 502 answers, and opens only when most calls in the window failed', async () => {
    const mixed = await startEcho('mixed-service', 'mixed-1');
    upstreams.push(mixed);
    discovery.set('mixed-service', mixed.url);
    // The upstream is up and refuses or fails single requests (its own dependency may have): passed on.
    for (const status of [400, 404, 500, 502]) {
      for (let i = 0; i < 5; i++) expect((await call(`/api/mixed?status=${status}`)).status).toBe(status);
    }
    // One call in three unavailable: a minority, whatever the run of calls.
    for (let i = 0; i < 12; i++) {
      const status = i % 3 === 2 ? 503 : 200;
      expect((await call(`/api/mixed?status=${status}`)).status).toBe(status);
    }
    // Sustained unavailability: the circuit opens once failures reach half of the window's 32+ calls.
    let failures = 0;
    for (; failures < 60; failures++) {
      const res = await call('/api/mixed?status=503');
      expect(res.status).toBe(503);
      if (((await res.json()) as { type?: string }).type === 'urn:sagamart:problem:circuit-open') break;
    }
    expect(failures).toBe(24);
  });

  it('tries the next instance once when one refuses the connection, for idempotent methods only', async () => {
    const gone = await startEcho('pair-service', 'pair-gone');
    const goneUrl = gone.url;
    await gone.stop();
    const alive = await startEcho('pair-service', 'pair-alive');
    upstreams.push(alive);
    // The stopped instance is still registered (its lease has not lapsed): every call starts there.
    discovery.set('pair-service', goneUrl, alive.url);
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const res = await call('/api/pair/x', { method, body: method === 'PUT' ? '{"a":1}' : null });
      expect(res.status, method).toBe(200);
      const got = (await res.json()) as Echo;
      expect(got.instance).toBe('pair-alive');
      if (method === 'PUT') expect(got.body).toBe('{"a":1}');
    }
    const post = await unavailable(await call('/api/pair/x', { method: 'POST', body: 'x' }));
    expect(post).toMatchObject({
      type: 'urn:sagamart:problem:upstream-unavailable',
      service: 'pair-service',
    });
  });

  it('answers 503 naming auth-service when no signing keys can be had', async () => {
    // No auth-service is registered with this gateway's discovery.
    const { privateKey } = await generateKeyPair('ES256');
    const token = await new SignJWT({ email: 'u@example.com', role: 'USER', token_type: 'access' })
      .setProtectedHeader({ alg: 'ES256', kid: 'key-1' })
      .setSubject('u')
      .setIssuer('sagamart-auth')
      .setAudience('sagamart')
      .setExpirationTime('5m')
      .sign(privateKey);
    const body = await unavailable(await call('/api/account', { headers: bearer(token) }));
    expect(body).toMatchObject({ type: 'urn:sagamart:problem:auth-unavailable', service: 'auth-service' });
  });
});
