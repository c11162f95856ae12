import type { Service } from '@sagamart/kit';
import { eventually, freePort, uniqueName } from '@sagamart/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { asAdmin, claimsOf, client, startAuth, startUserService } from './support.ts';

describe('bootstrap admin', () => {
  const running: Service<unknown>[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  it('is created from the bundled defaults once auth is up, whatever the start order, and only once', async () => {
    const port = await freePort();
    const database = { name: uniqueName('t_users') };
    const bootstrap = { admin: { enabled: true, maxRetryDelayMs: 200 } };
    const fastBreaker = { http: { client: { breaker: { halfOpenAfterMs: 100 } } } };
    // user-service first: auth is not there yet.
    const first = await startUserService(`http://127.0.0.1:${port}`, { database, bootstrap, ...fastBreaker });
    running.push(first);
    const auth = await startAuth({}, { port });
    running.push(auth);
    const authApi = client(auth);

    // Waited for in user-service, which lists the admin once auth holds its credential: trying to log
    // in until it works would count as failed logins, and auth's lockout would refuse the real one.
    const listed = await eventually(async () => {
      const res = await client(first).get('/api/admin/users?searchText=admin@sagamart.dev', asAdmin());
      return res.body.totalElements === 1 ? res : undefined;
    });
    expect(listed.body.content).toEqual([
      expect.objectContaining({ name: '관리자', role: 'ADMIN', status: 'ACTIVE' }),
    ]);
    const login = await authApi.post('/api/auth/login', {
      email: 'admin@sagamart.dev',
      password: 'Admin123!',
    });
    expect(login.status).toBe(200);
    expect(claimsOf(login.body.accessToken).claims).toMatchObject({
      email: 'admin@sagamart.dev',
      role: 'ADMIN',
    });

    // A restart (even with another configured password) leaves the existing admin alone.
    await first.stop();
    running.splice(running.indexOf(first), 1);
    const second = await startUserService(auth.url, {
      database,
      bootstrap: { admin: { ...bootstrap.admin, password: 'Changed123!' } },
    });
    running.push(second);
    const again = await client(second).get('/api/admin/users?searchText=admin@sagamart.dev', asAdmin());
    expect(again.body.totalElements).toBe(1);
    expect(again.body.content[0].userId).toBe(listed.body.content[0].userId);
    expect(
      (await authApi.post('/api/auth/login', { email: 'admin@sagamart.dev', password: 'Admin123!' })).status,
    ).toBe(200);
    expect(
      (await authApi.post('/api/auth/login', { email: 'admin@sagamart.dev', password: 'Changed123!' }))
        .status,
    ).toBe(401);
  });

  it('creates the demo agent when bootstrap.agent is on; an admin revokes and grants AGENT, effective at the next token', async () => {
    const port = await freePort();
    const auth = await startAuth({}, { port });
    running.push(auth);
    const users = await startUserService(auth.url, {
      database: { name: uniqueName('t_users') },
      bootstrap: { agent: { enabled: true, maxRetryDelayMs: 200 } },
    });
    running.push(users);
    const authApi = client(auth);
    const credentials = { email: 'agent@sagamart.dev', password: 'Agent123!' };
    // As above: listed in user-service first, then one login.
    const listed = await eventually(async () => {
      const res = await client(users).get('/api/admin/users?searchText=agent@sagamart.dev', asAdmin());
      return res.body.totalElements === 1 ? res : undefined;
    });
    const agent = listed.body.content[0];
    // A person's name: the customer's chat reads "정하은 님과 연결되었습니다", not "상담원 상담원과 …".
    expect(agent).toMatchObject({ name: '정하은', role: 'AGENT' });
    const login = await authApi.post('/api/auth/login', credentials);
    expect(login.status).toBe(200);
    expect(claimsOf(login.body.accessToken).claims).toMatchObject({ role: 'AGENT' });

    // One role per user: back to USER, then AGENT again; each shows in the next token.
    for (const role of ['USER', 'AGENT']) {
      const changed = await client(users).patch(`/api/admin/users/${agent.userId}`, { role }, asAdmin());
      expect(changed.status).toBe(200);
      expect(changed.body.role).toBe(role);
      const next = await authApi.post('/api/auth/login', credentials);
      expect(claimsOf(next.body.accessToken).claims).toMatchObject({ role });
    }
  });
});
