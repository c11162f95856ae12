import type { Service } from '@sagamart/kit';
import { eventually, pgServerUrl, type TcpProxy, tcpProxy, uniqueName } from '@sagamart/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, startBackends, startGateway, stopAll, TestDiscovery } from './harness.ts';

/**
 * auth-service's revocation hint is a broadcast, and a broadcast sent while the gateway's connection to
 * the bus is down never reaches it. Only the gateway's bus connection goes through a proxy the test cuts;
 * auth-service's does not. Polls are ten minutes apart here, so a refusal soon after the connection is
 * back can only come from the gateway reading the feed because it may have missed a hint.
 */
describe('revocations broadcast while the gateway’s bus connection was down', () => {
  const TEN_MINUTES = 600_000;
  let services: Array<Service<unknown> | undefined> = [];
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    await stopAll(services);
    services = [];
    await proxy?.close();
  });

  it('are read once the connection is back, not at the next poll', async () => {
    const bus = { database: uniqueName('t_bus'), pollMs: 200 };
    const discovery = new TestDiscovery();
    const { auth, services: backends } = await startBackends(
      discovery,
      { 'user-service': 'users-1' },
      { bus },
    );
    services.push(...backends);
    proxy = await tcpProxy(pgServerUrl());
    const gw = await startGateway(
      discovery,
      {
        routes: [{ id: 'users', path: '/api/users', service: 'user-service', role: 'USER' }],
        revocations: { pollMs: TEN_MINUTES, listenedPollMs: TEN_MINUTES },
      },
      { bus, database: { url: proxy.url } },
    );
    services.unshift(gw);
    const transport = gw.context.transport!;
    await eventually(() => transport.listening());
    const me = (token: string) => fetch(`${gw.url}/api/users/me`, { headers: bearer(token) });
    const leaving = await auth.sign({ sub: 'user-leaving', sid: 'session-ending' });
    const staying = await auth.sign({ sub: 'user-leaving', sid: 'session-staying' });
    expect((await me(leaving)).status).toBe(200);

    proxy.down();
    await eventually(() => !transport.listening());
    // Logout of one session: the feed has it, the hint goes to a bus the gateway does not hear now.
    await auth.revoke({ userId: 'user-leaving', sessionId: 'session-ending', notBefore: null });
    expect((await me(leaving)).status).toBe(200);
    proxy.up();

    const refused = await eventually(async () => {
      const res = await me(leaving);
      return res.status === 401 ? res : undefined;
    }, 20_000);
    expect(((await refused.json()) as { detail: string }).detail).toContain('the session has ended');
    expect((await me(staying)).status).toBe(200);
  });
});
