import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ConfigTree,
  DeploymentCredentials,
  defineService,
  Problem,
  SERVICE_TOKEN_HEADER,
  type Service,
  ServiceCallError,
} from '@sagamart/kit';
import {
  asUser,
  eventually,
  scrapeMetrics,
  startHeldClosing,
  startTestService,
  TEST_DEPLOYMENT_SECRET,
  uniqueName,
} from '@sagamart/testkit';
import { Type } from 'typebox';
import { afterEach, describe, expect, it } from 'vitest';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

interface Hit {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A plain HTTP server on loopback that counts hits and answers as the test says. */
async function startTarget() {
  const hits: Hit[] = [];
  let handler: Handler = (_req, res) => sendJson(res, 200, { ok: true });
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      hits.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    answer(next: Handler) {
      handler = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
type Target = Awaited<ReturnType<typeof startTarget>>;

function sendJson(res: ServerResponse, status: number, body: unknown, type = 'application/json') {
  res.writeHead(status, { 'content-type': type });
  res.end(JSON.stringify(body));
}

const problem = (status: number, title: string, detail: string) => ({
  type: `urn:test:${status}`,
  title,
  status,
  detail,
});

async function failure(promise: Promise<unknown>): Promise<ServiceCallError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ServiceCallError);
    return error as ServiceCallError;
  }
  throw new Error('the call was expected to fail');
}

function breakerState(metrics: string, target: string): number | undefined {
  const line = metrics
    .split('\n')
    .find((l) => l.startsWith('circuit_breaker_state{') && l.includes(`target="${target}"`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

const Product = Type.Object({ id: Type.String(), price: Type.Integer() });

describe('kit ServiceClient', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    await Promise.all(cleanup.splice(0).map((fn) => fn()));
  });

  async function target(): Promise<Target> {
    const t = await startTarget();
    cleanup.push(() => t.close());
    return t;
  }

  /** A service whose ctx.client('target') calls the given URL (static discovery), plus a relay route. */
  async function caller(targetUrl: string, client: ConfigTree = {}): Promise<Service> {
    const factory = defineService({
      name: uniqueName('caller').replaceAll('_', '-'),
      port: 0,
      routes(app, ctx) {
        app.get('/relay', async () => ctx.client('target').get('/headers'));
        app.get('/relay-housekeeping', async () =>
          ctx.client('target').get('/headers', { housekeeping: true }),
        );
      },
    });
    const service = await startTestService(factory, {
      config: {
        database: { url: '' },
        discovery: { mode: 'static', static: { target: targetUrl } },
        http: {
          client: {
            timeoutMs: 2_000,
            maxAttempts: 3,
            breaker: { minimumNumberOfCalls: 100, slidingWindowMs: 60_000, halfOpenAfterMs: 200 },
            ...client,
          },
        },
      },
    });
    cleanup.push(() => service.stop());
    return service;
  }

  it('returns the response typed and checked by its schema; a mismatch is invalid-response', async () => {
    const t = await target();
    const client = (await caller(t.url)).context.client('target');
    t.answer((_req, res) => sendJson(res, 200, { id: 'p-1', price: 12_000 }));
    const product = await client.get('/products/p-1', {
      response: Product,
      query: { ids: ['a', 'b'], q: 'x y', skip: undefined },
    });
    const price: number = product.price;
    expect(product).toEqual({ id: 'p-1', price: 12_000 });
    expect(price).toBe(12_000);
    expect(t.hits[0]).toMatchObject({ method: 'GET', url: '/products/p-1?ids=a&ids=b&q=x+y' });

    t.answer((_req, res) => sendJson(res, 200, { id: 1, price: '12000' }));
    const error = await failure(client.get('/products/p-1', { response: Product }));
    expect(error.kind).toBe('invalid-response');
    expect(error.target).toBe('target');
    // A wrong shape is not transient: no retry.
    expect(t.hits).toHaveLength(2);
  });

  it('sends JSON bodies and answers bodies without a schema as parsed JSON', async () => {
    const t = await target();
    const client = (await caller(t.url)).context.client('target');
    t.answer((_req, res, body) => sendJson(res, 201, { received: JSON.parse(body) }));
    expect(await client.post('/orders', { items: [{ id: 'p-1', qty: 2 }] })).toEqual({
      received: { items: [{ id: 'p-1', qty: 2 }] },
    });
    expect(t.hits[0]?.headers['content-type']).toBe('application/json');
    expect(t.hits[0]?.method).toBe('POST');
  });

  it('times out a call that takes too long (kind timeout)', async () => {
    const t = await target();
    const client = (await caller(t.url)).context.client('target');
    t.answer(() => {}); // never answers
    // Long enough that a busy event loop still delivers the request before the deadline.
    const error = await failure(client.post('/slow', {}, { timeoutMs: 1_000 }));
    expect(error.kind).toBe('timeout');
    expect(error.transient).toBe(true);
    expect(t.hits).toHaveLength(1);
  });

  it('times out a response whose body stops halfway, and reports a dropped connection as unavailable', async () => {
    const t = await target();
    const client = (await caller(t.url)).context.client('target');
    t.answer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":"p-1",'); // and nothing more
    });
    const stalled = await failure(client.post('/slow-body', {}, { timeoutMs: 150 }));
    expect(stalled.kind).toBe('timeout');

    t.answer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"id":"p-1",', () => req.socket.destroy());
    });
    const dropped = await failure(client.post('/dropped', {}));
    expect(dropped.kind).toBe('unavailable');
  });

  it('retries GET on transient failures, POST only when marked idempotent', async () => {
    const t = await target();
    const client = (await caller(t.url)).context.client('target');
    t.answer((_req, res) =>
      sendJson(res, 503, problem(503, 'Service Unavailable', 'busy'), 'application/problem+json'),
    );

    const get = await failure(client.get('/things'));
    expect(get).toMatchObject({ kind: 'http', status: 503 });
    expect(t.hits.filter((h) => h.method === 'GET')).toHaveLength(3);

    const post = await failure(client.post('/things', { a: 1 }));
    expect(post).toMatchObject({ kind: 'http', status: 503 });
    expect(t.hits.filter((h) => h.method === 'POST')).toHaveLength(1);

    await failure(client.post('/things', { a: 1 }, { idempotent: true }));
    expect(t.hits.filter((h) => h.method === 'POST')).toHaveLength(4);

    await failure(client.put('/things/1', { a: 1 }));
    expect(t.hits.filter((h) => h.method === 'PUT')).toHaveLength(3);

    // A retry that succeeds hides the earlier failures from the caller.
    let calls = 0;
    t.answer((_req, res) =>
      ++calls < 3 ? sendJson(res, 502, {}) : sendJson(res, 200, { id: 'p-1', price: 1 }),
    );
    expect(await client.get('/products/p-1', { response: Product })).toEqual({ id: 'p-1', price: 1 });
    expect(calls).toBe(3);

    // A 500 is the target failing this one request: asking again cannot help.
    t.answer((_req, res) =>
      sendJson(res, 500, problem(500, 'Internal Server Error', 'boom'), 'application/problem+json'),
    );
    const before = t.hits.length;
    expect(await failure(client.get('/things'))).toMatchObject({
      kind: 'http',
      status: 500,
      transient: false,
    });
    expect(t.hits.length - before).toBe(1);
  });

  it('opens the circuit on a failure rate over a window with a minimum number of calls, then closes it after a successful half-open trial', async () => {
    const t = await target();
    const service = await caller(t.url, {
      maxAttempts: 1,
      breaker: {
        failureRateThreshold: 50,
        minimumNumberOfCalls: 10,
        slidingWindowMs: 60_000,
        halfOpenAfterMs: 200,
      },
    });
    const client = service.context.client('target');
    const metrics = async () => scrapeMetrics(service.url);
    const unavailable = (_req: IncomingMessage, res: ServerResponse) =>
      sendJson(res, 503, problem(503, 'Service Unavailable', 'busy'), 'application/problem+json');
    const ok = (_req: IncomingMessage, res: ServerResponse) => sendJson(res, 200, { id: 'p-1', price: 5 });

    // Fewer calls than the minimum: nothing is judged yet, however many failed in a row.
    t.answer(unavailable);
    for (let n = 0; n < 9; n++) expect((await failure(client.get('/things'))).kind).toBe('http');
    t.answer(ok);
    for (let n = 0; n < 11; n++) await client.get('/products/p-1', { response: Product });
    // 10 of 21, then 11 of 22 calls failed: the circuit opens at 50 %.
    t.answer(unavailable);
    expect((await failure(client.get('/things'))).kind).toBe('http');
    expect(breakerState(await metrics(), 'target')).toBe(0);
    expect((await failure(client.get('/things'))).kind).toBe('http');
    expect(t.hits).toHaveLength(22);
    for (let n = 0; n < 5; n++) {
      const open = await failure(client.get('/things'));
      expect(open.kind).toBe('circuit-open');
      expect(open.target).toBe('target');
    }
    expect(t.hits).toHaveLength(22);
    expect(breakerState(await metrics(), 'target')).toBe(1);

    // The half-open trial fails: the circuit opens again without further hits.
    await eventually(async () => {
      const error = await failure(client.get('/things'));
      if (error.kind === 'circuit-open') return false;
      expect(error.kind).toBe('http');
      return true;
    });
    expect(t.hits).toHaveLength(23);
    expect((await failure(client.get('/things'))).kind).toBe('circuit-open');
    expect(t.hits).toHaveLength(23);

    // The target recovers: the next trial succeeds and the circuit closes.
    t.answer(ok);
    await eventually(async () => {
      try {
        await client.get('/products/p-1', { response: Product });
        return true;
      } catch (error) {
        expect((error as ServiceCallError).kind).toBe('circuit-open');
        return false;
      }
    });
    expect(t.hits).toHaveLength(24);
    expect(breakerState(await metrics(), 'target')).toBe(0);
    for (let n = 0; n < 3; n++) await client.get('/products/p-1', { response: Product });
    expect(t.hits).toHaveLength(27);
  });

  it('returns 4xx and 500 problems as kind http with status and problem, without retrying or opening the circuit', async () => {
    const t = await target();
    const service = await caller(t.url, { breaker: { minimumNumberOfCalls: 2, halfOpenAfterMs: 60_000 } });
    const client = service.context.client('target');
    t.answer((_req, res) =>
      sendJson(
        res,
        404,
        { ...problem(404, 'Not Found', 'No product p-9'), code: 'x' },
        'application/problem+json',
      ),
    );
    for (let n = 0; n < 5; n++) {
      const error = await failure(client.get('/products/p-9', { response: Product }));
      expect(error).toMatchObject({ kind: 'http', status: 404, message: 'No product p-9', transient: false });
      expect(error.problem).toMatchObject({ status: 404, title: 'Not Found', detail: 'No product p-9' });
    }
    expect(t.hits).toHaveLength(5);

    t.answer((_req, res) =>
      sendJson(res, 409, problem(409, 'Conflict', 'Out of stock'), 'application/problem+json'),
    );
    expect(await failure(client.post('/orders', {}))).toMatchObject({
      kind: 'http',
      status: 409,
      message: 'Out of stock',
    });
    // Nor does a 500: the target is up and failed one request.
    t.answer((_req, res) =>
      sendJson(res, 500, problem(500, 'Internal Server Error', 'boom'), 'application/problem+json'),
    );
    for (let n = 0; n < 5; n++) expect((await failure(client.post('/orders', {}))).status).toBe(500);
    expect(breakerState(await scrapeMetrics(service.url), 'target')).toBe(0);
  });

  it('forwards the trace and the caller identity of the incoming request, and nothing it was not given', async () => {
    const t = await target();
    const service = await caller(t.url);
    t.answer((req, res) => sendJson(res, 200, { seen: req.headers }));
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await fetch(`${service.url}/relay`, {
      headers: {
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        ...asUser('u-42', 'ADMIN', 'kim@example.com', service.name),
      },
    });
    expect(res.status).toBe(200);
    const forwarded = t.hits[0]!.headers;
    const [version, trace, parent, flags] = String(forwarded.traceparent).split('-');
    expect([version, trace, flags]).toEqual(['00', traceId, '01']);
    // The outgoing call is a child span of the incoming request, not a copy of its parent.
    expect(parent).toMatch(/^[0-9a-f]{16}$/);
    expect(parent).not.toBe('00f067aa0ba902b7');
    // The target sees a token for it, from the caller, carrying the user the call is made for.
    const asTarget = new DeploymentCredentials('target', { current: TEST_DEPLOYMENT_SECRET });
    expect(await asTarget.verify(String(forwarded[SERVICE_TOKEN_HEADER]))).toEqual({
      service: service.name,
      identity: { userId: 'u-42', email: 'kim@example.com', role: 'ADMIN' },
    });

    // Raw X-User-* headers are nobody: the call still proves the caller, for no user.
    const forged = await fetch(`${service.url}/relay`, {
      headers: { 'x-user-id': 'u-42', 'x-user-email': 'kim@example.com', 'x-user-role': 'ADMIN' },
    });
    expect(forged.status).toBe(200);
    const second = t.hits[1]!.headers;
    expect(second['x-user-id']).toBeUndefined();
    expect(await asTarget.verify(String(second[SERVICE_TOKEN_HEADER]))).toEqual({
      service: service.name,
      identity: undefined,
    });
    expect(String(second.traceparent).split('-')[1]).not.toBe(traceId);
  });

  it('tells the callee not to record a housekeeping call, within the same trace', async () => {
    const t = await target();
    const service = await caller(t.url);
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await fetch(`${service.url}/relay-housekeeping`, {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(res.status).toBe(200);
    const [, trace, parent, flags] = String(t.hits[0]!.headers.traceparent).split('-');
    expect(trace).toBe(traceId);
    expect(parent).toMatch(/^[0-9a-f]{16}$/);
    // Not sampled: the callee's span (a child of this one) is not recorded either.
    expect(flags).toBe('00');
  });

  it('turns failed calls inside a route into problems: 4xx passed on, a 500 502, timeouts 504, outages 503', async () => {
    const t = await target();
    const service = await caller(t.url, { timeoutMs: 100, maxAttempts: 1 });
    t.answer((_req, res) =>
      sendJson(res, 404, problem(404, 'Not Found', 'gone'), 'application/problem+json'),
    );
    const notFound = await fetch(`${service.url}/relay`);
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ detail: 'gone' });

    t.answer((_req, res) =>
      sendJson(res, 500, problem(500, 'Internal Server Error', 'boom'), 'application/problem+json'),
    );
    const failed = await fetch(`${service.url}/relay`);
    expect(failed.status).toBe(502);
    expect(await failed.json()).toMatchObject({
      status: 502,
      service: 'target',
      type: 'urn:sagamart:problem:upstream-error',
    });

    t.answer((_req, res) =>
      sendJson(res, 503, problem(503, 'Service Unavailable', 'busy'), 'application/problem+json'),
    );
    expect((await fetch(`${service.url}/relay`)).status).toBe(503);

    t.answer(() => {});
    const slow = await fetch(`${service.url}/relay`);
    expect(slow.status).toBe(504);
    expect(slow.headers.get('content-type')).toContain('application/problem+json');
    expect(await slow.json()).toMatchObject({ status: 504, service: 'target' });
  });

  it('reports refused connections and unknown services as unavailable', async () => {
    const t = await startTarget();
    const closedUrl = t.url;
    await t.close();
    const service = await caller(closedUrl);
    const refused = await failure(service.context.client('target').get('/things'));
    expect(refused.kind).toBe('unavailable');
    expect(refused.transient).toBe(true);

    const unknown = await failure(service.context.client('nobody-service').get('/things'));
    expect(unknown).toMatchObject({ kind: 'unavailable', target: 'nobody-service' });
  });
});

/** An instance of `target` whose closing the test holds (testkit's startHeldClosing). */
function closableTarget(instance: string) {
  return startHeldClosing(
    defineService({
      name: 'target',
      port: 0,
      routes(app) {
        app.all('/things', async (req) => ({ instance, method: req.method, body: req.body ?? null }));
      },
    }),
    '/things',
    { config: { database: { url: '' } } },
  );
}

describe('kit ServiceClient and an instance that is closing', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    await Promise.all(cleanup.splice(0).map((fn) => fn()));
  });

  async function target(instance: string) {
    const t = await closableTarget(instance);
    cleanup.push(() => t.stop());
    return t;
  }

  async function caller(targetUrls: string[], client: ConfigTree) {
    const service = await startTestService(
      defineService({ name: uniqueName('caller').replaceAll('_', '-'), port: 0 }),
      {
        config: {
          database: { url: '' },
          discovery: { mode: 'static', static: { target: targetUrls.join(',') } },
          http: { client: { timeoutMs: 2_000, ...client } },
        },
      },
    );
    cleanup.push(() => service.stop());
    return service;
  }

  it('sends a call refused as shutting down to the next instance, a POST too (the closing one never ran it), without counting the refusal', async () => {
    const closing = await target('closing');
    const open = await target('open');
    // Every refusal counted would open the breaker: 1 of 2 calls failed is 50 %.
    const service = await caller([closing.url, open.url], {
      maxAttempts: 3,
      breaker: { failureRateThreshold: 50, minimumNumberOfCalls: 2, slidingWindowMs: 60_000 },
    });
    const client = service.context.client('target');
    await closing.startClosing();

    // Round robin starts every call at the closing instance (a retry takes the next one).
    for (let n = 0; n < 3; n++) {
      expect(await client.post('/things', { n })).toEqual({ instance: 'open', method: 'POST', body: { n } });
      expect(await client.get('/things')).toMatchObject({ instance: 'open', method: 'GET' });
    }
    expect(closing.asked).toEqual(['POST', 'GET', 'POST', 'GET', 'POST', 'GET']);
    expect(closing.ran).toEqual([]);
    expect(open.ran).toEqual(['POST', 'GET', 'POST', 'GET', 'POST', 'GET']);
    expect(breakerState(await scrapeMetrics(service.url), 'target')).toBe(0);
  });

  it('never opens the circuit on shutting-down refusals, which reach the caller when no other instance answers', async () => {
    const closing = await target('closing');
    const service = await caller([closing.url], {
      maxAttempts: 1,
      breaker: { failureRateThreshold: 50, minimumNumberOfCalls: 2, slidingWindowMs: 60_000 },
    });
    const client = service.context.client('target');
    await closing.startClosing();
    for (let n = 0; n < 5; n++) {
      const refused = await failure(client.get('/things'));
      expect(refused).toMatchObject({ kind: 'http', status: 503, transient: true });
      expect(refused.problem?.type).toBe('urn:sagamart:problem:shutting-down');
    }
    expect(closing.asked).toHaveLength(5);
    expect(breakerState(await scrapeMetrics(service.url), 'target')).toBe(0);
  });

  it("tells a HEAD refused as shutting down by the answer's header (a HEAD answer has no body): sent to the next instance, never counted", async () => {
    const closing = await target('closing');
    const open = await target('open');
    // Every refusal counted would open the breaker: 1 of 2 calls failed is 50 %.
    const service = await caller([closing.url, open.url], {
      maxAttempts: 3,
      breaker: { failureRateThreshold: 50, minimumNumberOfCalls: 2, slidingWindowMs: 60_000 },
    });
    const client = service.context.client('target');
    await closing.startClosing();

    // Round robin starts every call at the closing instance (a retry takes the next one).
    for (let n = 0; n < 3; n++)
      expect(await client.call({ method: 'HEAD', path: '/things' })).toBeUndefined();
    expect(closing.asked).toEqual(['HEAD', 'HEAD', 'HEAD']);
    expect(closing.ran).toEqual([]);
    expect(open.ran).toEqual(['HEAD', 'HEAD', 'HEAD']);
    expect(breakerState(await scrapeMetrics(service.url), 'target')).toBe(0);

    // With no other instance, the refusal reaches the caller, told by its header alone.
    const alone = await caller([closing.url], {
      maxAttempts: 1,
      breaker: { failureRateThreshold: 50, minimumNumberOfCalls: 2, slidingWindowMs: 60_000 },
    });
    for (let n = 0; n < 4; n++) {
      const refused = await failure(alone.context.client('target').call({ method: 'HEAD', path: '/things' }));
      expect(refused).toMatchObject({ kind: 'http', status: 503, shuttingDown: true, problem: undefined });
    }
    expect(breakerState(await scrapeMetrics(alone.url), 'target')).toBe(0);
  });
});

/**
 * A kit service whose route fails as a transaction PostgreSQL rolled back for a concurrent one does
 * after ctx.transaction's second run (a deadlock, 40P01): the kit answers 503 `concurrent-change`.
 * `conflicts` is how many requests from now on fail so.
 */
async function startContended() {
  const hits: string[] = [];
  const state = { conflicts: Number.POSITIVE_INFINITY, unavailable: false };
  const service = await startTestService(
    defineService({
      name: 'target',
      port: 0,
      routes(app) {
        app.all('/things', async (req) => {
          hits.push(req.method);
          if (state.unavailable)
            throw new Problem(503, 'The database is unavailable', { code: 'database-unavailable' });
          if (state.conflicts-- > 0) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
          return { ok: true, method: req.method };
        });
      },
    }),
    { config: { database: { url: '' } } },
  );
  return { url: service.url, hits, state, stop: () => service.stop() };
}

describe('kit ServiceClient and a target that answers concurrent-change', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    await Promise.all(cleanup.splice(0).map((fn) => fn()));
  });

  async function caller(targetUrl: string) {
    const factory = defineService({
      name: uniqueName('caller').replaceAll('_', '-'),
      port: 0,
      routes(app, ctx) {
        app.post('/relay', async () => ctx.client('target').post('/things', {}));
      },
    });
    const service = await startTestService(factory, {
      config: {
        database: { url: '' },
        discovery: { mode: 'static', static: { target: targetUrl } },
        http: {
          client: {
            timeoutMs: 2_000,
            maxAttempts: 3,
            // Any answer counted would open the breaker: 1 of 2 calls failed is 50 %.
            breaker: { failureRateThreshold: 50, minimumNumberOfCalls: 2, slidingWindowMs: 60_000 },
          },
        },
      },
    });
    cleanup.push(() => service.stop());
    return service;
  }

  it('counts no concurrent-change toward the breaker: an idempotent call is tried once more after a pause, another surfaces with its problem', async () => {
    const t = await startContended();
    cleanup.push(t.stop);
    const service = await caller(t.url);
    const client = service.context.client('target');

    const answers: ServiceCallError[] = [];
    for (let n = 0; n < 5; n++) {
      const post = await failure(client.post('/things', { n }));
      answers.push(post);
      expect(post).toMatchObject({ kind: 'http', status: 503 });
      expect(post.problem).toMatchObject({
        type: 'urn:sagamart:problem:concurrent-change',
        status: 503,
        retryAfterSeconds: 1,
      });
    }
    // A POST may have done something before the conflict (it was rolled back, but the caller cannot
    // tell what else it did): never sent again.
    expect(t.hits.filter((m) => m === 'POST')).toHaveLength(5);

    for (let n = 0; n < 3; n++) {
      const started = Date.now();
      const get = await failure(client.get('/things'));
      expect(Date.now() - started).toBeGreaterThanOrEqual(90);
      expect(get).toMatchObject({ kind: 'http', status: 503 });
      expect(get.problem?.type).toBe('urn:sagamart:problem:concurrent-change');
      // A HEAD answer has no body: told by its header.
      const head = await failure(client.call({ method: 'HEAD', path: '/things' }));
      expect(head).toMatchObject({ kind: 'http', status: 503, problem: undefined });
      answers.push(get, head);
    }
    // Once more each, not up to maxAttempts: the target already ran the transaction twice.
    expect(t.hits.filter((m) => m === 'GET')).toHaveLength(6);
    expect(t.hits.filter((m) => m === 'HEAD')).toHaveLength(6);
    expect(breakerState(await scrapeMetrics(service.url), 'target')).toBe(0);
    for (const answer of answers)
      expect(answer).toMatchObject({ transient: true, concurrentChange: true, shuttingDown: false });

    // One conflict, then the same GET goes through.
    t.state.conflicts = 1;
    expect(await client.get('/things')).toEqual({ ok: true, method: 'GET' });

    // Another 503 still counts: with the GET that went through, 1 failed call of 2 opens the circuit.
    t.state.unavailable = true;
    expect(await failure(client.post('/things', {}))).toMatchObject({ status: 503, concurrentChange: false });
    expect(breakerState(await scrapeMetrics(service.url), 'target')).toBe(1);
    expect(await failure(client.get('/things'))).toMatchObject({ kind: 'circuit-open' });
  });

  it("tells an older instance's concurrent-change (and shutting-down) by its body alone", async () => {
    const t = await startTarget();
    cleanup.push(() => t.close());
    t.answer((_req, res) =>
      sendJson(
        res,
        503,
        {
          ...problem(503, 'Service Unavailable', 'try again'),
          type: 'urn:sagamart:problem:concurrent-change',
        },
        'application/problem+json',
      ),
    );
    const service = await caller(t.url);
    const answers: ServiceCallError[] = [];
    for (let n = 0; n < 4; n++) {
      const post = await failure(service.context.client('target').post('/things', {}));
      expect(post).toMatchObject({ kind: 'http', status: 503 });
      answers.push(post);
    }
    expect(breakerState(await scrapeMetrics(service.url), 'target')).toBe(0);
    for (const answer of answers) expect(answer.concurrentChange).toBe(true);

    // And its refusal as it closes.
    t.answer((_req, res) =>
      sendJson(
        res,
        503,
        { ...problem(503, 'Service Unavailable', 'closing'), type: 'urn:sagamart:problem:shutting-down' },
        'application/problem+json',
      ),
    );
    const refused = await failure(service.context.client('target').post('/things', {}));
    expect(refused).toMatchObject({ shuttingDown: true, concurrentChange: false });
  });

  it("answers a route's call that met concurrent-change with that problem, not as the target being unavailable", async () => {
    const t = await startContended();
    cleanup.push(t.stop);
    const service = await caller(t.url);
    const res = await fetch(`${service.url}/relay`, { method: 'POST' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.headers.get('x-problem-type')).toBe('urn:sagamart:problem:concurrent-change');
    expect(await res.json()).toMatchObject({
      type: 'urn:sagamart:problem:concurrent-change',
      status: 503,
      service: 'target',
      retryAfterSeconds: 1,
    });
  });
});
