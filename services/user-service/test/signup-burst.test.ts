import { defineService, type Service } from '@sagamart/kit';
import { eventually, startTestService } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, signupBody, startUserService } from './support.ts';

/** auth-service's credential endpoint, held open while the gate is closed: a slow auth-service. */
function startSlowAuth() {
  const arrived: string[] = [];
  let open = true;
  let release = () => {};
  let released = Promise.resolve();
  const service = defineService({
    name: 'auth-service',
    port: 0,
    routes(app) {
      app.put('/internal/credentials/:userId', async (req, reply) => {
        arrived.push((req.params as { userId: string }).userId);
        if (!open) await released;
        return reply.status(204).send();
      });
    },
  });
  return {
    arrived,
    close() {
      open = false;
      released = new Promise((resolve) => {
        release = resolve;
      });
    },
    open() {
      open = true;
      release();
    },
    start: () => startTestService(service, { config: { database: { url: '' } } }),
  };
}

describe('signup while auth-service is slow', () => {
  const auth = startSlowAuth();
  let authService: Service<unknown>;
  let user: Service<unknown>;

  beforeAll(async () => {
    authService = await auth.start();
    // Two pooled connections, and an auth call that may take its time.
    user = await startUserService(authService.url, {
      database: { poolSize: 2 },
      http: { client: { timeoutMs: 30_000 } },
    });
  });
  afterAll(async () => {
    auth.open();
    await user.stop();
    await authService.stop();
  });

  it('holds no connection while waiting on auth: a burst of signups does not starve other requests', async () => {
    const api = client(user);
    const existing = signupBody();
    expect((await api.post('/api/users/signup', existing)).status).toBe(201);

    auth.close();
    const burst = Array.from({ length: 10 }, () => signupBody());
    const answers = Promise.all(burst.map((body) => api.post('/api/users/signup', body)));
    // All ten reach auth at once: none of them waits for one of the two connections.
    await eventually(() => auth.arrived.length === 11);
    // Meanwhile the service still answers requests that need the database.
    const duplicate = await api.post('/api/users/signup', { ...signupBody(), email: existing.email });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code ?? duplicate.body.type).toMatch(/email-taken/);

    auth.open();
    expect((await answers).map((res) => res.status)).toEqual(burst.map(() => 201));
    // Each of them now owns its email.
    for (const body of burst.slice(0, 3)) {
      expect((await api.post('/api/users/signup', { ...signupBody(), email: body.email })).status).toBe(409);
    }
  });
});
