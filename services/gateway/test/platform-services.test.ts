import type { Service } from '@sagamart/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type FakeAuth, startFakeAuth, startGateway, stopAll, TestDiscovery } from './harness.ts';

// `discovery.url` may carry the platform's Basic login (`http://sagamart:<password>@host:8761/eureka/`,
// as docs/security.md shows): the admin console lists the registry, and never that password.
describe('gateway: the platform services an admin sees', () => {
  const platformPassword = 'platform-password-in-url';
  // An instance registered with credentials in its URL (an operator's own client may do that).
  const discovery = new (class extends TestDiscovery {
    override async applications() {
      const applications = await super.applications();
      applications.set('legacy-service', [
        {
          app: 'legacy-service',
          instanceId: 'legacy-service-1',
          // Nothing listens there: only its listing matters.
          url: `http://legacy:${platformPassword}@127.0.0.1:1`,
          status: 'UP',
          metadata: {},
        },
      ]);
      return applications;
    }
  })();
  let auth: FakeAuth;
  let gateway: Service<unknown>;

  beforeAll(async () => {
    auth = await startFakeAuth();
    discovery.set('auth-service', auth.service.url);
    gateway = await startGateway(
      discovery,
      {},
      { discovery: { mode: 'registry', url: `http://sagamart:${platformPassword}@127.0.0.1:1/eureka/` } },
    );
  });
  afterAll(() => stopAll([gateway, auth?.service]));

  it('lists the registry and every instance without the credentials in their URLs', async () => {
    const adminToken = await auth.sign({ sub: 'admin-1', role: 'ADMIN' });
    const res = await fetch(`${gateway.url}/api/platform/services`, { headers: bearer(adminToken) });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(platformPassword);
    const { services } = JSON.parse(text) as {
      services: Array<{ name: string; instances: Array<{ url: string }> }>;
    };
    const urlsOf = (name: string) => services.find((s) => s.name === name)?.instances.map((i) => i.url);
    expect(urlsOf('discovery-server')).toEqual(['http://127.0.0.1:1/eureka/']);
    expect(urlsOf('legacy-service')).toEqual(['http://127.0.0.1:1/']);
    expect(urlsOf('auth-service')).toEqual([auth.service.url]);
  });
});
