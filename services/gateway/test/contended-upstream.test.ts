import { type ConfigTree, defineService, Problem, type Service } from '@sagamart/kit';
import { metricValue, scrapeMetrics, startTestService } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, startOlderInstance, stopAll, TestDiscovery } from './harness.ts';

// A hot row: the upstream's transaction conflicted with a concurrent one even on ctx.transaction's
// second run (ADR 0019), and the kit answered 503 `concurrent-change`. The instance is up and rolled
// the request back: the gateway's route breaker does not count the answer, an idempotent request is
// sent once more after a pause, and anything else is passed on as it came.

const routes: ConfigTree[] = [
  { id: 'contended', path: '/api/contended', service: 'contended-service', role: 'NONE' },
  { id: 'older', path: '/api/older', service: 'older-service', role: 'NONE' },
];

/** What the upstream's route does with the requests to come. */
const upstream = {
  /** How many requests from now on fail as a deadlock would (40P01). */
  conflicts: Number.POSITIVE_INFINITY,
  /** Every request fails with another 503 (its database is down). */
  unavailable: false,
  hits: [] as string[],
};

const contended = defineService({
  name: 'contended-service',
  port: 0,
  routes(app) {
    app.all('/api/contended/*', async (req) => {
      upstream.hits.push(req.method);
      if (upstream.unavailable)
        throw new Problem(503, 'The database is unavailable', { code: 'database-unavailable' });
      if (upstream.conflicts-- > 0) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
      return { ok: true, method: req.method };
    });
  },
});

describe('gateway: an upstream that answers concurrent-change', () => {
  const discovery = new TestDiscovery();
  let gw: Service;
  let up: Service;

  const call = (path: string, init: RequestInit = {}) => fetch(`${gw.url}${path}`, init);
  const breakerState = async (route = 'contended') =>
    metricValue(await scrapeMetrics(gw), 'circuit_breaker_state', { target: `route:${route}` });
  const hits = (method: string) => upstream.hits.filter((m) => m === method).length;

  beforeAll(async () => {
    up = await startTestService(contended, { config: { database: { url: '' } } });
    discovery.set('contended-service', up.url);
    // Any answer counted would open the breaker: 3 failed calls of 3.
    gw = await startGateway(discovery, {
      routes,
      breaker: {
        failureRateThreshold: 50,
        minimumNumberOfCalls: 3,
        slidingWindowMs: 60_000,
        halfOpenAfterMs: 60_000,
      },
    });
  });
  afterAll(() => stopAll([gw, up]));

  it('never counts concurrent-change: a POST gets it at once, problem intact; an idempotent request is tried once more after a pause', async () => {
    for (let n = 0; n < 6; n++) {
      const res = await call('/api/contended/things', { method: 'POST', body: `{"n":${n}}` });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        type: 'urn:sagamart:problem:concurrent-change',
        status: 503,
        retryAfterSeconds: 1,
      });
      expect(res.headers.get('retry-after')).toBe('1');
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    // The POST may have done more than its rolled-back transaction: the client decides.
    expect(hits('POST')).toBe(6);

    for (let n = 0; n < 3; n++) {
      const started = Date.now();
      const get = await call('/api/contended/things');
      expect(Date.now() - started).toBeGreaterThanOrEqual(90);
      expect(get.status).toBe(503);
      expect(((await get.json()) as { type: string }).type).toBe('urn:sagamart:problem:concurrent-change');
      // A HEAD answer has no body: its header tells.
      const head = await call('/api/contended/things', { method: 'HEAD' });
      expect(head.status).toBe(503);
      expect(head.headers.get('x-problem-type')).toBe('urn:sagamart:problem:concurrent-change');
      expect(head.headers.get('retry-after')).toBe('1');
    }
    // Once more each, no more: the upstream already ran the transaction twice.
    expect(hits('GET')).toBe(6);
    expect(hits('HEAD')).toBe(6);
    expect(await breakerState()).toBe(0);

    // One conflict, then the same GET goes through.
    upstream.conflicts = 1;
    const through = await call('/api/contended/things');
    expect(through.status).toBe(200);
    expect(await through.json()).toEqual({ ok: true, method: 'GET' });
  });

  it('tells the concurrent-change of an instance older than the X-Problem-Type header by its body', async () => {
    const older = await startOlderInstance('concurrent-change');
    discovery.set('older-service', older.url);
    try {
      for (const method of ['POST', 'GET', 'POST', 'GET']) {
        const res = await call('/api/older/things', { method, ...(method === 'POST' ? { body: '{}' } : {}) });
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('1');
        expect(await res.json()).toMatchObject({
          type: 'urn:sagamart:problem:concurrent-change',
          detail: 'answered concurrent-change',
        });
      }
      expect(older.asked).toEqual(['POST', 'GET', 'GET', 'POST', 'GET', 'GET']);
      expect(await breakerState('older')).toBe(0);
    } finally {
      await older.stop();
    }
  });

  it('still counts another 503 from the same upstream', async () => {
    upstream.unavailable = true;
    // With the GET that went through: 2 failed calls of 3 open the circuit.
    for (let n = 0; n < 2; n++) {
      const res = await call('/api/contended/things', { method: 'POST', body: '{}' });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { type: string }).type).toBe('urn:sagamart:problem:database-unavailable');
    }
    expect(await breakerState()).toBe(1);
    const open = await call('/api/contended/things');
    expect(((await open.json()) as { type: string }).type).toBe('urn:sagamart:problem:circuit-open');
  });
});
