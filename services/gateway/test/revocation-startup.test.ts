import type { Service } from '@sagamart/kit';
import { eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { bearer, type FakeAuth, startBackends, startGateway, stopAll, TestDiscovery } from './harness.ts';

/**
 * A gateway that starts while auth-service's revocation feed cannot be read knows no revocation at all:
 * it must not take a token for valid until it has read the feed once, while anonymous callers (browsing,
 * login, refresh) still get through.
 */
describe('a gateway started while the revocation feed cannot be read', () => {
  const discovery = new TestDiscovery();
  let auth: FakeAuth;
  let backends: Service<unknown>[] = [];
  let gw: Service<unknown>;

  beforeAll(async () => {
    ({ auth, services: backends } = await startBackends(discovery, {
      'user-service': 'users-1',
      'chat-service': 'chat-1',
    }));
    // Logged out before this gateway started: only the feed knows.
    await auth.revoke({ userId: 'user-gone', sessionId: 'session-ended', notBefore: null });
    auth.feed.up = false;
    gw = await startGateway(discovery, {
      routes: [
        { id: 'auth', path: '/api/auth', service: 'user-service', role: 'NONE', rateLimit: 'auth' },
        { id: 'catalog', path: '/api/catalog', service: 'user-service', role: 'NONE' },
        { id: 'users', path: '/api/users', service: 'user-service', role: 'USER' },
        { id: 'ws-chat', path: '/ws/chat', service: 'chat-service', role: 'USER' },
      ],
      revocations: { pollMs: 100, listenedPollMs: 100 },
    });
  });

  afterAll(() => stopAll([gw, ...backends]));

  const me = (token: string) => fetch(`${gw.url}/api/users/me`, { headers: bearer(token) });
  const ready = () => fetch(`${gw.url}/health/ready`);
  const upgrade = (token: string) =>
    new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(`${gw.url.replace(/^http/, 'ws')}/ws/chat/room-1?access_token=${token}`);
      socket.once('unexpected-response', (_req, res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      socket.once('open', () => {
        socket.close();
        resolve(101);
      });
      socket.once('error', reject);
    });

  it('refuses every token with 503 until the feed is read, lets anonymous callers through, and is not ready', async () => {
    const ended = await auth.sign({ sub: 'user-gone', sid: 'session-ended' });
    const refused = await me(ended);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({
      status: 503,
      type: 'urn:sagamart:problem:revocations-unavailable',
    });
    // Any token, also on a public route: the gateway cannot tell which were revoked.
    const other = await auth.sign({ sub: 'user-2', sid: 'session-2' });
    expect((await fetch(`${gw.url}/api/catalog/items`, { headers: bearer(other) })).status).toBe(503);
    expect(await upgrade(other)).toBe(503);

    // Anonymous: browsing, and login and refresh (what lets a user back in once the feed is read).
    expect((await fetch(`${gw.url}/api/catalog/items`)).status).toBe(200);
    for (const path of ['/api/auth/login', '/api/auth/refresh'])
      expect((await fetch(`${gw.url}${path}`, { method: 'POST', body: '{}' })).status).toBe(200);
    // A token that is not valid anyway still gets its 401 (the web app refreshes on it).
    expect((await me('not.a.token')).status).toBe(401);

    const notReady = await ready();
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ components: { revocations: { status: 'DOWN' } } });
  });

  it('once the feed is read, refuses the revoked token and takes the others, and is ready', async () => {
    auth.feed.up = true;
    await eventually(async () => (await ready()).status === 200, 10_000);
    const ended = await auth.sign({ sub: 'user-gone', sid: 'session-ended' });
    const refused = await me(ended);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { detail: string }).detail).toContain('the session has ended');
    expect((await me(await auth.sign({ sub: 'user-2', sid: 'session-2' }))).status).toBe(200);
    expect(await upgrade(await auth.sign({ sub: 'user-2', sid: 'session-2' }))).toBe(101);
  });
});
