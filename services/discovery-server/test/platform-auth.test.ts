import type { Service } from '@sagamart/kit';
import { eventually, startTestService, testPlatformLogin, uniqueName } from '@sagamart/testkit';
import { Eureka } from 'eureka-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import discoveryServer from '../src/index.ts';
import { http, startDiscoveryServer } from './support.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** A Netflix Eureka client (eureka-js-client) pointed at `serviceUrl`, registering one instance. */
function eurekaClient(serviceUrl: string, app: string) {
  return new Eureka({
    logger: quiet,
    instance: {
      app,
      instanceId: `${app}-1`,
      hostName: '127.0.0.1',
      ipAddr: '127.0.0.1',
      port: { $: 9099, '@enabled': true },
      vipAddress: app,
      statusPageUrl: 'http://127.0.0.1:9099/info',
      dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
    },
    eureka: {
      serviceUrls: { default: [serviceUrl] },
      maxRetries: 0,
      heartbeatInterval: 60_000,
      registryFetchInterval: 200,
    },
  });
}

const started = (client: Eureka) =>
  new Promise<void>((resolve, reject) => client.start((error) => (error ? reject(error) : resolve())));
const stopped = (client: Eureka) => new Promise<void>((resolve) => client.stop(() => resolve()));

/**
 * Only the deployment's services may register or read the registry: otherwise anyone on the network
 * could register a fake auth-service serving its own JWKS. Secured the Spring Cloud way (HTTP Basic,
 * `http://user:password@host:8761/eureka`), so Eureka clients keep working.
 */
describe('discovery server: platform credentials', () => {
  let server: Service;
  beforeAll(async () => {
    server = await startDiscoveryServer();
  });
  afterAll(() => server.stop());

  it('refuses registration, heartbeats and reads without the credentials (401)', async () => {
    const app = uniqueName('fake').replaceAll('_', '-');
    const anonymous = (method: string, path: string, body?: unknown) =>
      fetch(`${server.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const fakeAuth = { instanceId: 'auth-1', url: 'http://127.0.0.1:6666', leaseDurationMs: 15_000 };
    for (const [method, path, body] of [
      ['POST', '/api/registry/apps/auth-service', fakeAuth],
      ['POST', `/eureka/apps/${app.toUpperCase()}`, { instance: { app, hostName: 'x' } }],
      ['PUT', '/api/registry/apps/auth-service/auth-1/heartbeat', undefined],
      ['GET', '/api/registry/apps', undefined],
      ['GET', '/eureka/apps', undefined],
      ['GET', '/', undefined],
    ] as const) {
      const res = await anonymous(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    }
    // Nothing got in.
    const call = http(server.url);
    expect((await call('GET', '/api/registry/apps/auth-service')).status).toBe(404);
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
  });

  it("gives Prometheus's metrics-only token /metrics, but no registration or read", async () => {
    const scrapeToken = 'prometheus-only-token';
    const scraped = await startTestService(discoveryServer, {
      config: { database: { url: '' }, metrics: { scrapeToken } },
    });
    try {
      const scraper = { authorization: `Bearer ${scrapeToken}` };
      const metrics = await fetch(`${scraped.url}/metrics`, { headers: scraper });
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('http_server_requests_seconds');
      const call = http(scraped.url);
      const fakeAuth = { instanceId: 'auth-1', url: 'http://127.0.0.1:6666', leaseDurationMs: 15_000 };
      for (const [method, path, body] of [
        ['POST', '/api/registry/apps/auth-service', fakeAuth],
        ['DELETE', '/api/registry/apps/auth-service/auth-1', undefined],
        ['GET', '/api/registry/apps', undefined],
        ['GET', '/eureka/apps', undefined],
      ] as const)
        expect((await call(method, path, body, scraper)).status, `${method} ${path}`).toBe(401);
      expect((await call('GET', '/api/registry/apps/auth-service')).status).toBe(404);
    } finally {
      await scraped.stop();
    }
  });

  it('lets a real Eureka client register and fetch with credentials in the service URL', async () => {
    const app = uniqueName('spring').replaceAll('_', '-');
    const { host } = new URL(server.url);
    const { user, password } = testPlatformLogin;
    const client = eurekaClient(`http://${user}:${password}@${host}/eureka/apps/`, app);
    await started(client);
    try {
      const call = http(server.url);
      const ours = await call('GET', `/api/registry/apps/${app}`);
      expect(ours.status).toBe(200);
      expect(ours.body.instances[0]).toMatchObject({ instanceId: `${app}-1`, url: 'http://127.0.0.1:9099' });
      // And it reads the registry back.
      await eventually(() => client.getInstancesByAppId(app.toUpperCase()).length === 1);
    } finally {
      await stopped(client);
    }
  });

  it('refuses the same client without credentials, or with wrong ones', async () => {
    const app = uniqueName('stranger').replaceAll('_', '-');
    const { host } = new URL(server.url);
    for (const url of [`http://${host}/eureka/apps/`, `http://sagamart:guess@${host}/eureka/apps/`]) {
      const client = eurekaClient(url, app);
      await expect(started(client)).rejects.toThrow();
      await stopped(client);
    }
    expect((await http(server.url)('GET', `/api/registry/apps/${app}`)).status).toBe(404);
  });
});
