import { type ConfigTree, defineService, Problem, type Service } from '@sagamart/kit';
import { metricValue, scrapeMetrics, startHeldClosing, startTestService } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Echo,
  echoService,
  startEcho,
  startGateway,
  startOlderInstance,
  stopAll,
  TestDiscovery,
} from './harness.ts';

// A rolling restart: an instance that is closing refuses what still reaches it with 503
// `shutting-down` (the kit's http.ts), and never ran it. The gateway sends such a request to another
// instance, whatever its method, and its route breaker does not count the refusal.

const routes: ConfigTree[] = [
  { id: 'rolling', path: '/api/rolling', service: 'rolling-service', role: 'NONE' },
  { id: 'lone', path: '/api/lone', service: 'lone-service', role: 'NONE' },
  { id: 'busy', path: '/api/busy', service: 'busy-service', role: 'NONE' },
  { id: 'heads', path: '/api/heads', service: 'heads-service', role: 'NONE' },
  { id: 'lone-heads', path: '/api/lone-heads', service: 'lone-heads-service', role: 'NONE' },
  { id: 'older', path: '/api/older', service: 'older-service', role: 'NONE' },
];

/** An instance that is up and answers 503 problems of its own (its database is down). */
const busy = defineService({
  name: 'busy-service',
  port: 0,
  routes(app) {
    app.all('/api/busy/*', async () => {
      throw new Problem(503, 'The database is unavailable', {
        code: 'database-unavailable',
        extensions: { retryAfterSeconds: 2 },
      });
    });
  },
});

/** An echo instance whose closing the test holds (testkit's startHeldClosing). */
function startClosable(name: string, instance: string) {
  return startHeldClosing(echoService(name, instance), '/probe', { config: { database: { url: '' } } });
}

describe('gateway: an upstream instance that is closing', () => {
  const discovery = new TestDiscovery();
  const stops: Array<() => Promise<void>> = [];
  const upstreams: Service[] = [];
  let gw: Service;

  const call = (path: string, init: RequestInit = {}) => fetch(`${gw.url}${path}`, init);
  const breakerState = async (route: string) =>
    metricValue(await scrapeMetrics(gw), 'circuit_breaker_state', { target: `route:${route}` });

  beforeAll(async () => {
    // Any refusal counted would open the breaker: 2 of the first 3 calls would have failed.
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
  afterAll(async () => {
    await Promise.all(stops.map((stop) => stop()));
    await stopAll([gw, ...upstreams]);
  });

  it('sends a request the closing instance refused to another instance, whatever its method, without counting the refusal', async () => {
    const closing = await startClosable('rolling-service', 'rolling-closing');
    stops.push(() => closing.stop());
    const open = await startEcho('rolling-service', 'rolling-open');
    upstreams.push(open);
    discovery.set('rolling-service', closing.url, open.url);
    await closing.startClosing();

    // Round robin starts every request at the closing instance (the second try takes the next one).
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'POST', 'GET'];
    for (const [n, method] of methods.entries()) {
      const body = method === 'GET' || method === 'DELETE' ? null : JSON.stringify({ n, method });
      const res = await call(`/api/rolling/things/${n}`, {
        method,
        body,
        headers: body ? { 'content-type': 'application/json' } : {},
      });
      expect(res.status, method).toBe(200);
      const echo = (await res.json()) as Echo;
      expect(echo).toMatchObject({ instance: 'rolling-open', method, url: `/api/rolling/things/${n}` });
      expect(echo.body, method).toBe(body ?? '');
    }
    expect(closing.asked).toEqual(methods);
    expect(closing.ran).toEqual([]);
    expect(await breakerState('rolling')).toBe(0);
  });

  it('passes the refusal on, with its Retry-After, when no other instance is registered, and never opens the circuit on it', async () => {
    const lone = await startClosable('lone-service', 'lone-closing');
    stops.push(() => lone.stop());
    discovery.set('lone-service', lone.url);
    await lone.startClosing();

    for (let n = 0; n < 6; n++) {
      const res = await call('/api/lone/things', { method: 'POST', body: `{"n":${n}}` });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(((await res.json()) as { type: string }).type).toBe('urn:sagamart:problem:shutting-down');
      expect(res.headers.get('retry-after')).toBe('1');
    }
    expect(lone.asked).toHaveLength(6);
    expect(lone.ran).toEqual([]);
    expect(await breakerState('lone')).toBe(0);
  });

  it("tells a HEAD the closing instance refused by the answer's header (its 503 has no body): sent to another instance, never counted", async () => {
    const closing = await startClosable('heads-service', 'heads-closing');
    stops.push(() => closing.stop());
    const open = await startEcho('heads-service', 'heads-open');
    upstreams.push(open);
    discovery.set('heads-service', closing.url, open.url);
    await closing.startClosing();

    // Round robin starts every request at the closing instance (the second try takes the next one).
    for (let n = 0; n < 3; n++) {
      const res = await call(`/api/heads/things/${n}`, { method: 'HEAD' });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-upstream')).toBe('heads-open');
    }
    expect(closing.asked).toEqual(['HEAD', 'HEAD', 'HEAD']);
    expect(closing.ran).toEqual([]);
    expect(await breakerState('heads')).toBe(0);

    // With no other instance the refusal is passed on, header and Retry-After with it, uncounted.
    const lone = await startClosable('lone-heads-service', 'lone-heads-closing');
    stops.push(() => lone.stop());
    discovery.set('lone-heads-service', lone.url);
    await lone.startClosing();
    for (let n = 0; n < 4; n++) {
      const res = await call('/api/lone-heads/things', { method: 'HEAD' });
      expect(res.status).toBe(503);
      expect(res.headers.get('x-problem-type')).toBe('urn:sagamart:problem:shutting-down');
      expect(res.headers.get('retry-after')).toBe('1');
    }
    expect(lone.asked).toEqual(['HEAD', 'HEAD', 'HEAD', 'HEAD']);
    expect(lone.ran).toEqual([]);
    expect(await breakerState('lone-heads')).toBe(0);
  });

  it('tells the refusal of an instance older than the X-Problem-Type header by its body', async () => {
    const older = await startOlderInstance('shutting-down');
    stops.push(() => older.stop());
    const open = await startEcho('older-service', 'older-open');
    upstreams.push(open);
    discovery.set('older-service', older.url, open.url);
    for (const method of ['POST', 'GET', 'POST']) {
      const res = await call('/api/older/things', { method, ...(method === 'POST' ? { body: '{}' } : {}) });
      expect(res.status).toBe(200);
      expect(((await res.json()) as Echo).instance).toBe('older-open');
    }
    expect(older.asked).toEqual(['POST', 'GET', 'POST']);
    expect(await breakerState('older')).toBe(0);
  });

  it('still passes another 503 problem on as it came, and counts it', async () => {
    const down = await startTestService(busy, { config: { database: { url: '' } } });
    upstreams.push(down);
    const alsoUp = await startEcho('busy-service', 'busy-echo');
    upstreams.push(alsoUp);
    discovery.set('busy-service', down.url, alsoUp.url);
    // Every other request reaches the instance that fails; each of its 503s is counted, none retried:
    // 2 failures in 3 calls open the circuit.
    const statuses: number[] = [];
    for (let n = 0; n < 3; n++) {
      const res = await call('/api/busy/things', { method: 'POST', body: '{}' });
      statuses.push(res.status);
      if (res.status !== 503) continue;
      const problem = (await res.json()) as { type: string; detail: string };
      expect(problem).toMatchObject({
        type: 'urn:sagamart:problem:database-unavailable',
        detail: 'The database is unavailable',
      });
      expect(res.headers.get('retry-after')).toBe('2');
    }
    expect(statuses).toEqual([503, 200, 503]);
    const open = await call('/api/busy/things');
    expect(((await open.json()) as { type: string }).type).toBe('urn:sagamart:problem:circuit-open');
  });
});
