import { Writable } from 'node:stream';
import { currentTraceId, type Service } from '@sagamart/kit';
import { eventually, startTestService } from '@sagamart/testkit';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import gateway from '../src/index.ts';
import { startEcho, stopAll, TestDiscovery } from './harness.ts';

const lines: Array<Record<string, unknown>> = [];
// Like the kit's own logger (trace id mixed in), writing where the test can read it.
const log = pino(
  { level: 'info', mixin: () => (currentTraceId() ? { traceId: currentTraceId() } : {}) },
  new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  }),
);

const discovery = new TestDiscovery();
let catalog: Service<unknown>;
let gw: Service<unknown>;

beforeAll(async () => {
  catalog = await startEcho('catalog-service', 'catalog-1');
  discovery.set('catalog-service', catalog.url);
  gw = await startTestService(gateway, {
    discovery,
    log,
    config: {
      log: { level: 'info' },
      database: { url: '' },
      gateway: {
        routes: [
          { id: 'catalog', path: '/api/catalog', service: 'catalog-service', role: 'NONE' },
          { id: 'ws-chat', path: '/ws/chat', service: 'chat-service', role: 'USER' },
        ],
      },
    },
  });
});
afterAll(() => stopAll([gw, catalog]));

/** The access line is written once the answer has gone out, so it may trail the client a little. */
const accessLine = (requestId: string | null) =>
  eventually(() => lines.find((l) => l.msg === 'request' && l.requestId === requestId));

it('logs each request at info with trace id, route, method, path, status, latency and upstream instance', async () => {
  const res = await fetch(`${gw.url}/api/catalog/items?page=2`);
  expect(res.status).toBe(200);
  await res.text();
  const line = await accessLine(res.headers.get('x-request-id'));
  expect(line).toMatchObject({
    level: 30,
    traceId: res.headers.get('x-trace-id'),
    route: 'catalog',
    method: 'GET',
    path: '/api/catalog/items',
    status: 200,
    upstream: expect.stringContaining(catalog.url),
  });
  expect(line.ms).toEqual(expect.any(Number));
});

it('logs refused requests too, without an upstream', async () => {
  const res = await fetch(`${gw.url}/api/unrouted`);
  expect(res.status).toBe(404);
  const line = await accessLine(res.headers.get('x-request-id'));
  expect(line).toMatchObject({ status: 404, method: 'GET', url: '/api/unrouted' });
  expect(line).not.toHaveProperty('upstream');
});

it('keeps WebSocket access tokens out of the log', async () => {
  const res = await fetch(`${gw.url}/ws/chat?access_token=secret-token&room=1`);
  expect(res.status).toBe(426);
  const line = await accessLine(res.headers.get('x-request-id'));
  expect(line.url).toBe('/ws/chat?room=1');
  expect(JSON.stringify(lines)).not.toContain('secret-token');
});
