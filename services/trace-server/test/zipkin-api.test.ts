import { randomBytes } from 'node:crypto';
import { defineService, type Service, sql } from '@sagamart/kit';
import { asService, asUser, eventually, jsonClient, startTestService } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import traceServer from '../src/index.ts';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const nowUs = () => Date.now() * 1000;

function span(overrides: Record<string, unknown> = {}) {
  return {
    traceId: hex(16),
    id: hex(8),
    name: 'get /api/things',
    kind: 'SERVER',
    timestamp: nowUs(),
    duration: 1_500,
    localEndpoint: { serviceName: 'thing-service' },
    tags: { 'http.method': 'GET' },
    ...overrides,
  };
}

describe('trace-server: the Zipkin v2 API', () => {
  let server: Service<any>;
  let zipkin: ReturnType<typeof jsonClient>;

  beforeAll(async () => {
    server = await startTestService(traceServer, {
      config: { traces: { retention: { maxSpans: 300, maxAgeMs: 24 * 60 * 60 * 1000 } } },
    });
    zipkin = jsonClient(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('receives the spans a service exports with the OpenTelemetry Zipkin exporter, as every service does', async () => {
    const probe = defineService({
      name: 'probe-service',
      port: 0,
      // A database of its own, so that its requests have database time to report.
      migrations: {},
      routes: (app, ctx) => {
        app.get('/api/probe', async () => {
          await sql`select 1`.execute(ctx.db);
          await sql`select 2`.execute(ctx.db);
          return { ok: true };
        });
      },
    });
    const service = await startTestService(probe, {
      config: { tracing: { zipkin: { url: `${server.url}/api/v2/spans` }, sampleRatio: 1 } },
    });
    const traceId = hex(16);
    try {
      const res = await fetch(`${service.url}/api/probe`, {
        headers: { traceparent: `00-${traceId}-${hex(8)}-01` },
      });
      expect(res.status).toBe(200);
    } finally {
      // Stopping flushes the exporter's batch.
      await service.stop();
    }
    const trace = await eventually(async () => {
      const res = await zipkin.get(`/api/v2/trace/${traceId}`);
      return res.status === 200 ? res.body : undefined;
    });
    expect(trace).toEqual([
      expect.objectContaining({
        traceId,
        kind: 'SERVER',
        localEndpoint: expect.objectContaining({ serviceName: 'probe-service' }),
        // The request's database time rides on its span.
        tags: expect.objectContaining({
          'db.queries': '2',
          'db.time_ms': expect.stringMatching(/^[0-9.]+$/),
        }),
      }),
    ]);
    expect((await zipkin.get('/api/v2/services')).body).toContain('probe-service');
    expect((await zipkin.get('/api/v2/spans?serviceName=probe-service')).body).toEqual([trace[0].name]);
  });

  it('admits spans from the platform services only, and readers that are services or administrators', async () => {
    const batch = [span()];
    const anonymous = jsonClient(server, { anonymous: true });
    expect((await anonymous.post('/api/v2/spans', batch)).status).toBe(401);
    expect((await anonymous.get('/api/v2/services')).status).toBe(401);
    expect((await zipkin.get('/api/v2/services', asUser(undefined, 'USER'))).status).toBe(403);
    expect((await zipkin.get('/api/v2/services', asUser(undefined, 'ADMIN'))).status).toBe(200);
    expect((await zipkin.post('/api/v2/spans', batch, asService('trace-server'))).status).toBe(202);
  });

  it('refuses malformed spans with a problem, and stores a retried batch once', async () => {
    for (const bad of [
      [{ id: 'zz' }],
      [span({ traceId: 'not-hex' })],
      [span({ duration: -1 })],
      { spans: [] },
    ]) {
      const res = await zipkin.post('/api/v2/spans', bad);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const one = span();
    expect((await zipkin.post('/api/v2/spans', [one])).status).toBe(202);
    expect((await zipkin.post('/api/v2/spans', [one])).status).toBe(202);
    expect((await zipkin.get(`/api/v2/trace/${one.traceId}`)).body).toHaveLength(1);
    expect((await zipkin.get(`/api/v2/trace/${hex(16)}`)).status).toBe(404);
  });

  it('finds traces by service, span name, duration and error, newest first, and maps the calls between services', async () => {
    const service = `search-${hex(4)}`;
    const slow = span({
      localEndpoint: { serviceName: service },
      name: 'post /api/orders',
      duration: 900_000,
    });
    const fast = span({ localEndpoint: { serviceName: service }, name: 'get /api/orders', duration: 2_000 });
    const failed = span({
      localEndpoint: { serviceName: service },
      name: 'post /api/orders',
      duration: 5_000,
      tags: { error: 'boom', 'http.status_code': '500' },
    });
    // A call from the service to another: the child span of another service names the link.
    const callee = span({
      traceId: slow.traceId,
      parentId: slow.id,
      localEndpoint: { serviceName: `${service}-callee` },
      tags: { error: 'refused' },
    });
    expect((await zipkin.post('/api/v2/spans', [slow, fast, failed, callee])).status).toBe(202);

    const ids = async (query: string) =>
      (
        (await zipkin.get(`/api/v2/traces?serviceName=${service}&${query}`)).body as Array<
          Array<{ traceId: string }>
        >
      ).map((trace) => trace[0]!.traceId);
    expect(await ids('limit=10')).toHaveLength(3);
    expect(new Set(await ids('spanName=post%20%2Fapi%2Forders'))).toEqual(
      new Set([slow.traceId, failed.traceId]),
    );
    expect(await ids('minDuration=100000')).toEqual([slow.traceId]);
    expect(await ids('annotationQuery=error')).toEqual([failed.traceId]);
    expect(await ids('annotationQuery=http.status_code%3D500')).toEqual([failed.traceId]);
    expect(await ids('limit=1')).toHaveLength(1);
    // A trace comes back whole: the callee's span beside the caller's.
    const whole = (await zipkin.get(`/api/v2/traces?serviceName=${service}&minDuration=100000`)).body;
    expect(whole[0]).toHaveLength(2);

    const links = (await zipkin.get('/api/v2/dependencies')).body as Array<Record<string, unknown>>;
    expect(links).toContainEqual({
      parent: service,
      child: `${service}-callee`,
      callCount: 1,
      errorCount: 1,
    });
    // The window is endTs - lookback .. endTs (ms): an hour ago, the call had not happened.
    const hourAgo = Date.now() - 60 * 60 * 1000;
    const earlier = (await zipkin.get(`/api/v2/dependencies?endTs=${hourAgo}&lookback=60000`)).body as Array<
      Record<string, unknown>
    >;
    expect(earlier.find((l) => l.parent === service)).toBeUndefined();
    const recent = (await zipkin.get(`/api/v2/dependencies?endTs=${Date.now()}&lookback=600000`)).body;
    expect(recent).toContainEqual(expect.objectContaining({ parent: service, child: `${service}-callee` }));
  });

  it('keeps the store within its bounds: a flood drops the oldest spans, and spans past the age limit are not kept', async () => {
    const stale = span({ timestamp: nowUs() - 2 * 24 * 60 * 60 * 1_000_000 });
    expect((await zipkin.post('/api/v2/spans', [stale])).status).toBe(202);
    expect((await zipkin.get(`/api/v2/trace/${stale.traceId}`)).status).toBe(404);

    const flood = Array.from({ length: 8 }, () => Array.from({ length: 100 }, () => span()));
    for (const batch of flood) expect((await zipkin.post('/api/v2/spans', batch)).status).toBe(202);
    const newest = flood.at(-1)!.at(-1)!;
    const oldest = flood[0]![0]!;
    // The bound is 300 spans: the first batches go, the last stays. Trimming runs off the request
    // path, so the store comes back within the bound shortly after the flood.
    await eventually(async () => (await zipkin.get(`/api/v2/trace/${oldest.traceId}`)).status === 404);
    const traces = await eventually(async () => {
      const stored = (await zipkin.get('/api/v2/traces?serviceName=thing-service&limit=1000'))
        .body as unknown[];
      return stored.length <= 300 ? stored : undefined;
    });
    expect(traces.length).toBeGreaterThanOrEqual(200);
    expect((await zipkin.get(`/api/v2/trace/${newest.traceId}`)).status).toBe(200);
  });
});
