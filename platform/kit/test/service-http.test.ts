import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { conflict, defineService, type Kysely, requireIdentity, type Service } from '@sagamart/kit';
import { asUser, eventually, scrapeMetrics, startTestService } from '@sagamart/testkit';
import { Type } from 'typebox';
import { afterEach, describe, expect, it } from 'vitest';

const running: Service<any>[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

// The slow route tells the test when it has started, then waits to be released.
let slowEntered: () => void = () => {};
let releaseSlow: () => void = () => {};
const demo = defineService({
  name: 'demo-service',
  port: 0,
  description: 'A service used to test the kit',
  migrations: {
    '0001': {
      up: async (db: Kysely<any>) =>
        void (await db.schema.createTable('notes').addColumn('id', 'text').execute()),
    },
  },
  routes(app) {
    app.post(
      '/widgets',
      {
        schema: {
          body: Type.Object({
            name: Type.String({ minLength: 2 }),
            price: Type.Integer({ minimum: 0 }),
            email: Type.String({ format: 'email' }),
          }),
          response: { 201: Type.Object({ name: Type.String() }) },
        },
      },
      async (req, reply) => reply.status(201).send({ name: req.body.name }),
    );
    app.get('/conflict', async () => {
      throw conflict('Already there', 'duplicate-widget');
    });
    app.get('/boom', async () => {
      throw new Error('secret internals at /srv/app.ts:42');
    });
    app.get('/admin-only', async (req) => ({ user: requireIdentity(req, 'ADMIN').userId }));
    app.get('/keep-alive', { config: { housekeeping: true } }, async () => ({ alive: true }));
    app.get('/slow', async () => {
      slowEntered();
      await new Promise<void>((resolve) => (releaseSlow = resolve));
      return { done: true };
    });
  },
});

async function start(config = {}) {
  const service = await startTestService(demo, { config });
  running.push(service);
  return service;
}

describe('service HTTP conventions', () => {
  it('answers bad input with a problem listing every bad field', async () => {
    const svc = await start();
    const res = await fetch(`${svc.url}/widgets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', price: -1, email: 'nope' }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as {
      status: number;
      traceId: string;
      errors: Array<{ field: string }>;
    };
    expect(problem.status).toBe(400);
    expect(problem.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(problem.errors.map((e) => e.field).sort()).toEqual(['email', 'name', 'price']);
  });

  it('answers malformed JSON with 400, not 500', async () => {
    const svc = await start();
    const res = await fetch(`${svc.url}/widgets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('maps thrown problems, unknown routes and crashes without leaking internals', async () => {
    const svc = await start();
    const conflictRes = await fetch(`${svc.url}/conflict`);
    expect(conflictRes.status).toBe(409);
    expect(await conflictRes.json()).toMatchObject({
      type: 'urn:sagamart:problem:duplicate-widget',
      detail: 'Already there',
    });

    const missing = await fetch(`${svc.url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { detail: string }).detail).toContain('/nowhere');

    const boom = await fetch(`${svc.url}/boom`);
    expect(boom.status).toBe(500);
    const text = await boom.text();
    expect(text).not.toContain('secret internals');
    expect(text).not.toContain('.ts:');
  });

  it('checks the identity the gateway signed', async () => {
    const svc = await start();
    expect((await fetch(`${svc.url}/admin-only`)).status).toBe(401);
    expect(
      (await fetch(`${svc.url}/admin-only`, { headers: asUser('u1', 'USER', 'a@b.c', svc.name) })).status,
    ).toBe(403);
    const ok = await fetch(`${svc.url}/admin-only`, { headers: asUser('u1', 'ADMIN', 'a@b.c', svc.name) });
    expect(await ok.json()).toEqual({ user: 'u1' });
  });

  it('reports health, metrics and OpenAPI', async () => {
    const svc = await start();
    const live = await fetch(`${svc.url}/health/live`);
    expect(await live.json()).toEqual({ status: 'UP' });
    const ready = await fetch(`${svc.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'UP',
      components: { db: { status: 'UP' }, transport: { status: 'UP' } },
    });

    await fetch(`${svc.url}/conflict`);
    const metrics = await scrapeMetrics(svc.url);
    expect(metrics).toMatch(
      /http_server_requests_seconds_count\{[^}]*route="\/conflict"[^}]*status="409"[^}]*\} 1/,
    );
    expect(metrics).toContain('outbox_backlog');

    const spec = (await (await fetch(`${svc.url}/openapi.json`)).json()) as {
      openapi: string;
      info: { title: string };
      paths: Record<string, unknown>;
    };
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.info.title).toBe('demo-service');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/widgets', '/admin/dead-letters']));
  });

  it('propagates an incoming trace id and exports spans to a Zipkin endpoint', async () => {
    const { received, zipkin, url } = await fakeZipkin();
    try {
      const svc = await start({ tracing: { zipkin: { url } } });
      const traceId = '0af7651916cd43dd8448eb211c80319c';
      const res = await fetch(`${svc.url}/conflict`, {
        headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
      });
      expect(res.headers.get('x-trace-id')).toBe(traceId);
      expect(((await res.json()) as { traceId: string }).traceId).toBe(traceId);
      await svc.stop(); // flushes the batch exporter
      const span = received.find((s) => s.traceId === traceId);
      expect(span?.localEndpoint?.serviceName).toBe('demo-service');
    } finally {
      zipkin.close();
    }
  });

  it('gives housekeeping requests a trace id but exports no span for them', async () => {
    const { received, zipkin, url } = await fakeZipkin();
    try {
      const svc = await start({ tracing: { zipkin: { url } } });
      const housekeeping = await Promise.all(
        ['/keep-alive', '/health/ready', '/health/live'].map((path) => fetch(`${svc.url}${path}`)),
      );
      const traced = await fetch(`${svc.url}/conflict`);
      await svc.stop(); // flushes the batch exporter
      const tracedId = traced.headers.get('x-trace-id');
      expect(received.map((s) => s.traceId)).toContain(tracedId);
      for (const res of housekeeping) {
        expect(res.status).toBe(200);
        const traceId = res.headers.get('x-trace-id');
        expect(traceId).toMatch(/^[0-9a-f]{32}$/);
        expect(received.map((s) => s.traceId)).not.toContain(traceId);
      }
    } finally {
      zipkin.close();
    }
  });

  it('finishes in-flight requests when it shuts down', async () => {
    const svc = await start();
    const entered = new Promise<void>((resolve) => (slowEntered = resolve));
    const inFlight = fetch(`${svc.url}/slow`);
    await entered;
    const stopping = svc.stop();
    // New connections are refused while the old request is still being served.
    await eventually(async () => {
      try {
        await fetch(`${svc.url}/health/live`);
        return false;
      } catch {
        return true;
      }
    });
    releaseSlow();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await stopping;
    await expect(fetch(`${svc.url}/health/live`)).rejects.toThrow();
  });
});

/** A Zipkin collector on loopback that keeps every span it is sent. */
async function fakeZipkin() {
  const received: Array<{ traceId: string; name?: string; localEndpoint?: { serviceName?: string } }> = [];
  const zipkin = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push(...JSON.parse(body));
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => zipkin.listen(0, '127.0.0.1', r));
  const port = (zipkin.address() as AddressInfo).port;
  return { received, zipkin, url: `http://127.0.0.1:${port}/api/v2/spans` };
}
