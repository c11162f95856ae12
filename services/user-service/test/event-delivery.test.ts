import type { Service } from '@sagamart/kit';
import { eventually, uniqueName } from '@sagamart/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { asAdmin, client, signedUpUser, startAuth, startUserService } from './support.ts';

describe('user events as the durable path to auth-service', () => {
  const running: Service<unknown>[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  it('a suspension made while auth is down reaches it through user.updated once it is back', async () => {
    const bus = { database: uniqueName('t_bus'), pollMs: 200 };
    const authDb = { name: uniqueName('t_auth') };
    const firstAuth = await startAuth({ bus, database: authDb });
    const user = await startUserService(firstAuth.url, { bus });
    running.push(user);
    const userApi = client(user);
    const u = await signedUpUser({ userApi, authApi: client(firstAuth) });
    await firstAuth.stop();

    const res = await userApi.patch(`/api/admin/users/${u.userId}`, { status: 'SUSPENDED' }, asAdmin());
    expect(res.status).toBe(200);

    // auth comes back (same database, same bus) and catches up from its queue.
    const auth = await startAuth({ bus, database: authDb });
    running.push(auth);
    const authApi = client(auth);
    await eventually(
      async () =>
        (await authApi.post('/api/auth/login', { email: u.email, password: u.password })).status === 403,
    );
    expect((await authApi.post('/api/auth/refresh', { refreshToken: u.tokens.refreshToken })).status).toBe(
      401,
    );
  });
});
