import type { Service } from '@sagamart/kit';
import { eventually, startTestService, uniqueName } from '@sagamart/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import configServer from '../../config-server/src/index.ts';
import { bundledConfigRepo } from '../../config-server/src/infra/config-repository.ts';
import userService from '../src/index.ts';
import { asAdmin, client, startAuth } from './support.ts';

/**
 * A production deployment serves the committed config/ with its own ENCRYPT_KEY: the development
 * {cipher} values cannot be decrypted there, and their keys come back as `invalid.<key>`.
 */
describe('user-service in production mode, on the bundled config/ with a production ENCRYPT_KEY', () => {
  const running: Service<unknown>[] = [];
  let configs: Service<unknown>;
  let auth: Service<unknown>;
  beforeAll(async () => {
    configs = await startTestService(configServer, {
      config: {
        configServer: { repo: bundledConfigRepo },
        database: { url: '' },
        encrypt: { key: 'a-production-encrypt-key' },
      },
    });
    auth = await startAuth();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });
  afterAll(async () => {
    await auth?.stop();
    await configs?.stop();
  });

  const startUsers = async (env: Record<string, string>) => {
    const users = await startTestService(userService, {
      env: { NODE_ENV: 'production', BOOTSTRAP_ADMIN_PASSWORD: 'Own-Admin-Pass1!', ...env },
      config: {
        config: { server: { url: configs.url } },
        database: { name: uniqueName('t_users') },
        discovery: { mode: 'static', static: { 'auth-service': auth.url } },
      },
    });
    running.push(users);
    return users;
  };
  const ready = (users: Service<unknown>) =>
    eventually(async () => (await fetch(`${users.url}/health/ready`)).status === 200);
  const listed = async (users: Service<unknown>, email: string) =>
    (await client(users).get(`/api/admin/users?searchText=${email}`, asAdmin())).body.totalElements;

  it('does not create the demo agent', async () => {
    const users = await startUsers({});
    // Readiness waits for every bootstrap account to be created (or turned off): once ready, an
    // enabled agent would be listed.
    await ready(users);
    expect(await listed(users, 'admin@sagamart.dev')).toBe(1);
    expect(await listed(users, 'agent@sagamart.dev')).toBe(0);
    const login = await client(auth).post('/api/auth/login', {
      email: 'agent@sagamart.dev',
      password: 'Agent123!',
    });
    expect(login.status).toBe(401);
  });

  it('refuses to start with the demo agent turned on and its development password', async () => {
    await expect(startUsers({ BOOTSTRAP_AGENT_ENABLED: 'true' })).rejects.toThrow(
      /bootstrap\.agent\.password is the development default \(the config server could not decrypt its \{cipher\} value.*set BOOTSTRAP_AGENT_PASSWORD/,
    );
  });

  it('creates the demo agent turned on with a password of its own', async () => {
    const users = await startUsers({
      BOOTSTRAP_AGENT_ENABLED: 'true',
      BOOTSTRAP_AGENT_PASSWORD: 'Own-Agent-Pass1!',
    });
    await ready(users);
    const login = await client(auth).post('/api/auth/login', {
      email: 'agent@sagamart.dev',
      password: 'Own-Agent-Pass1!',
    });
    expect(login.status).toBe(200);
  });
});
