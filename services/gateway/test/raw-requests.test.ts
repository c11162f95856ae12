import type { Service } from '@sagamart/kit';
import { type RawHttpAnswer, rawHttpRequest } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAuth, startBackends, startGateway, stopAll, TestDiscovery } from './harness.ts';

// Requests the HTTP parser or Node's server would answer on its own (in plain text, or not at all)
// get the platform's problem+json from the gateway too, on its proxy and its WebSocket paths.

const routes = [
  { id: 'catalog', path: '/api/catalog', service: 'catalog-service', role: 'NONE' },
  { id: 'ws-chat', path: '/ws/chat', service: 'chat-service', role: 'USER' },
];

function expectProblem(res: RawHttpAnswer, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const problem = JSON.parse(res.body) as { status: number; traceId: string; type: string };
  expect(problem.status).toBe(status);
  expect(problem.traceId).toMatch(/^[0-9a-f]{32}$/);
  return problem;
}

describe('gateway, raw HTTP', () => {
  const discovery = new TestDiscovery();
  let auth: FakeAuth;
  let services: Service<unknown>[] = [];
  let gw: Service<unknown>;

  beforeAll(async () => {
    ({ auth, services } = await startBackends(discovery, {
      'catalog-service': 'catalog-1',
      'chat-service': 'chat-1',
    }));
    gw = await startGateway(discovery, { routes });
  });
  afterAll(() => stopAll([gw, ...services]));

  const handshake = async (host: string, version = '13', key = 'dGhlIHNhbXBsZSBub25jZQ==') =>
    `GET /ws/chat/room-1?access_token=${await auth.sign()} HTTP/1.1\r\n${host}` +
    `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: ${version}\r\n` +
    `Sec-WebSocket-Key: ${key}\r\n\r\n`;

  it('refuses a proxied HTTP/1.1 request without a Host header with a problem', async () => {
    const res = await rawHttpRequest(gw, 'GET /api/catalog/items HTTP/1.1\r\n\r\n');
    const problem = expectProblem(res, 400);
    expect(problem.type).toBe('urn:sagamart:problem:missing-host');
    // With one, the same request is proxied.
    const proxied = await rawHttpRequest(gw, 'GET /api/catalog/items HTTP/1.1\r\nHost: shop.test\r\n\r\n');
    expect(proxied.status).toBe(200);
    expect(proxied.headers['x-upstream']).toBe('catalog-1');
  });

  it('refuses a WebSocket handshake without a Host header with a problem', async () => {
    const problem = expectProblem(await rawHttpRequest(gw, await handshake('')), 400);
    expect(problem.type).toBe('urn:sagamart:problem:missing-host');
    // With one, the same handshake is accepted.
    expect((await rawHttpRequest(gw, await handshake('Host: shop.test\r\n'))).status).toBe(101);
  });

  it('answers a handshake the WebSocket server cannot accept with a problem', async () => {
    const host = 'Host: shop.test\r\n';
    const wrongVersion = await rawHttpRequest(gw, await handshake(host, '12'));
    expect(expectProblem(wrongVersion, 400).type).toBe('urn:sagamart:problem:invalid-handshake');
    expect(wrongVersion.headers['sec-websocket-version']).toBe('13, 8');
    const badKey = await rawHttpRequest(gw, await handshake(host, '13', 'short'));
    expect(expectProblem(badKey, 400).type).toBe('urn:sagamart:problem:invalid-handshake');
  });

  it('refuses CONNECT with a 405 problem, as it is no forward proxy, and closes the connection', async () => {
    const res = await rawHttpRequest(gw, 'CONNECT catalog-1:443 HTTP/1.1\r\nHost: catalog-1:443\r\n\r\n', {
      untilClosed: true,
    });
    expect(expectProblem(res, 405).type).toBe('urn:sagamart:problem:method-not-allowed');
    expect(res.closed).toBe(true);
  });

  it('refuses a request with two Host headers with a 400 problem, on its proxy and WebSocket paths', async () => {
    const proxied = await rawHttpRequest(
      gw,
      'GET /api/catalog/items HTTP/1.1\r\nHost: shop.test\r\nHost: admin.internal\r\n\r\n',
    );
    expect(expectProblem(proxied, 400).type).toBe('urn:sagamart:problem:invalid-host');
    expect(proxied.headers['x-upstream']).toBeUndefined();
    const socket = await rawHttpRequest(gw, await handshake('Host: shop.test\r\nHost: admin.internal\r\n'), {
      untilClosed: true,
    });
    expect(expectProblem(socket, 400).type).toBe('urn:sagamart:problem:invalid-host');
    expect(socket.closed).toBe(true);
  });

  it('closes the connection of a WebSocket handshake it refuses', async () => {
    const bytes =
      'GET /ws/chat/room-1 HTTP/1.1\r\nHost: shop.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';
    const res = await rawHttpRequest(gw, bytes, { untilClosed: true });
    expectProblem(res, 401);
    expect(res.closed).toBe(true);
  });

  it.each([
    ['a malformed request line', 'GARBAGE\r\n\r\n', 400],
    [
      'oversized headers',
      `GET /api/catalog HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
    ],
    [
      'an expectation other than 100-continue',
      'GET /api/catalog HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n\r\n',
      417,
    ],
  ])('answers %s with a problem', async (_what, bytes, status) => {
    expectProblem(await rawHttpRequest(gw, bytes), status);
  });
});
