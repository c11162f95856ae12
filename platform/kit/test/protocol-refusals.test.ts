import { connect, type Socket } from 'node:net';
import fastifyWebsocket from '@fastify/websocket';
import { defineService, requireIdentity, SERVICE_TOKEN_HEADER, type Service } from '@sagamart/kit';
import { asUser, eventually, type RawHttpAnswer, rawHttpRequest, startTestService } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What reaches a service's socket that is not an ordinary request (a proxy's CONNECT, a request with
// two Host headers, a handshake the kit's authentication refuses, a request while the service is
// closing) is answered as a problem, and the connection is not left open behind the answer.

/** A request held in its handler until the test releases it. */
function heldRequest() {
  let release!: () => void;
  let entered!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const reached = new Promise<void>((resolve) => {
    entered = resolve;
  });
  return { release, entered, released, reached };
}

function protocolDemo(held?: ReturnType<typeof heldRequest>) {
  return defineService({
    name: 'protocol-demo',
    port: 0,
    async routes(app) {
      app.get('/hello', async () => ({ hello: 'world' }));
      app.get('/held', async () => {
        held?.entered();
        await held?.released;
        return { held: true };
      });
      await app.register(fastifyWebsocket);
      // As notification-service's and chat-service's socket routes check their caller.
      app.get(
        '/ws/live',
        { websocket: true, preValidation: async (req) => void requireIdentity(req) },
        (socket) => socket.send('hello'),
      );
      app.get(
        '/ws/admin',
        { websocket: true, preValidation: async (req) => void requireIdentity(req, 'ADMIN') },
        (socket) => socket.send('hello'),
      );
    },
  });
}

function expectProblem(res: RawHttpAnswer, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const problem = JSON.parse(res.body) as { status: number; traceId: string; type: string; detail: string };
  expect(problem.status).toBe(status);
  expect(problem.traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(res.headers['x-trace-id']).toBe(problem.traceId);
  return problem;
}

/** A signed-in caller of the demo service (test tokens name the repository's services otherwise). */
const demoUser = () => asUser(undefined, 'USER', undefined, 'protocol-demo');

const handshake = (path: string, headers: Record<string, string> = {}) =>
  `GET ${path} HTTP/1.1\r\nHost: demo.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
  Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('') +
  '\r\n';

describe('kit: requests that are not ordinary ones', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startTestService(protocolDemo(), { config: { database: { url: '' } } });
  });
  afterAll(() => service?.stop());

  it('refuses CONNECT (this server is no proxy) with a 405 problem, and closes the connection', async () => {
    const res = await rawHttpRequest(
      service,
      'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
      { untilClosed: true },
    );
    const problem = expectProblem(res, 405);
    expect(problem.type).toBe('urn:sagamart:problem:method-not-allowed');
    expect(problem.detail).toMatch(/CONNECT/);
    expect(res.headers.allow).toMatch(/\bGET\b/);
    expect(res.headers.allow).not.toMatch(/CONNECT/);
    expect(res.closed).toBe(true);
  });

  it.each([
    ['two Host headers', 'Host: demo.test\r\nHost: other.test\r\n'],
    ['two Host headers that agree', 'Host: demo.test\r\nHost: demo.test\r\n'],
    ['two Host headers, differently cased', 'Host: demo.test\r\nhOST: other.test\r\n'],
    ['a Host header that is no host', 'Host: demo.test/evil?x\r\n'],
  ])('refuses a request with %s with a 400 problem', async (_what, host) => {
    for (const version of ['1.1', '1.0']) {
      const res = await rawHttpRequest(service, `GET /hello HTTP/${version}\r\n${host}\r\n`);
      expect(expectProblem(res, 400).type).toBe('urn:sagamart:problem:invalid-host');
      expect(res.headers.connection).toBe('close');
    }
  });

  it('still takes one Host header, with a port, an IP address or empty', async () => {
    for (const host of ['demo.test', 'demo.test:8080', '127.0.0.1:1', '[::1]:8080', '']) {
      const res = await rawHttpRequest(service, `GET /hello HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
      expect(res.status, host).toBe(200);
    }
  });

  it('refuses a WebSocket handshake with two Host headers with a 400 problem, and closes the connection', async () => {
    const res = await rawHttpRequest(service, handshake('/ws/live', { Host: 'other.test', ...demoUser() }), {
      untilClosed: true,
    });
    expect(expectProblem(res, 400).type).toBe('urn:sagamart:problem:invalid-host');
    expect(res.closed).toBe(true);
  });

  it.each([
    // Refused by the route (as notification-service's and chat-service's), or by the kit before it.
    ['no caller', '/ws/live', {}, 401, 'unauthorized'],
    ['an invalid service token', '/ws/live', { [SERVICE_TOKEN_HEADER]: 'not-a-token' }, 401, 'invalid-token'],
    ['a caller without the role', '/ws/admin', demoUser(), 403, 'forbidden'],
  ])(
    'answers a handshake with %s with a problem and closes the connection',
    async (_what, path, headers, status, code) => {
      const res = await rawHttpRequest(service, handshake(path, headers), { untilClosed: true });
      expect(expectProblem(res, status).type).toBe(`urn:sagamart:problem:${code}`);
      expect(res.closed).toBe(true);
    },
  );

  it('still opens a socket for a caller who may', async () => {
    const res = await rawHttpRequest(service, handshake('/ws/live', demoUser()));
    expect(res.status).toBe(101);
  });
});

/** Whether a new connection to the server is refused (it stopped listening). */
function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** Every answer on one connection, read until the server closes it. */
function readAnswers(socket: Socket): Promise<RawHttpAnswer[]> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('close', () => {
      const answers: RawHttpAnswer[] = [];
      let rest = Buffer.concat(chunks);
      for (;;) {
        const end = rest.indexOf('\r\n\r\n');
        if (end < 0) break;
        const [statusLine = '', ...lines] = rest.subarray(0, end).toString('latin1').split('\r\n');
        const headers: Record<string, string> = {};
        for (const line of lines) {
          const colon = line.indexOf(':');
          headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        const length = Number(headers['content-length'] ?? 0);
        const body = rest.subarray(end + 4, end + 4 + length).toString('utf8');
        answers.push({ status: Number(statusLine.split(' ')[1]), headers, body, closed: true });
        rest = rest.subarray(end + 4 + length);
      }
      resolve(answers);
    });
  });
}

describe('kit: a service that is closing', () => {
  const held = heldRequest();
  let service: Service;
  beforeAll(async () => {
    service = await startTestService(protocolDemo(held), { config: { database: { url: '' } } });
  });
  afterAll(() => {
    held.release();
    return service?.stop();
  });

  it('answers a request that arrives while it closes with a 503 problem, Retry-After and Connection: close', async () => {
    const { hostname, port } = new URL(service.url);
    const socket = connect({ host: hostname, port: Number(port) });
    const answers = readAnswers(socket);
    // A request in flight keeps the service closing; the next one on its connection comes after.
    socket.write('GET /held HTTP/1.1\r\nHost: demo.test\r\n\r\n');
    await held.reached;
    const stopped = service.stop();
    await eventually(() => refusesConnections(service.url));
    socket.write('GET /hello HTTP/1.1\r\nHost: demo.test\r\n\r\n');
    held.release();
    const [first, second] = await answers;
    await stopped;
    expect(first?.status).toBe(200);
    const problem = expectProblem(second!, 503);
    expect(problem.type).toBe('urn:sagamart:problem:shutting-down');
    // Named in a header too: the answer to a HEAD has no body to tell it by.
    expect(second?.headers['x-problem-type']).toBe('urn:sagamart:problem:shutting-down');
    expect(second?.headers.connection).toBe('close');
    expect(Number(second?.headers['retry-after'])).toBeGreaterThanOrEqual(0);
  });
});
