import { type ConfigTree, defineService, flattenConfig, type Service } from '@sagamart/kit';
import { startTestService } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEcho, startGateway, stopAll, TestDiscovery } from './harness.ts';

/** What the (fake) config server currently says about the gateway. */
let served: ConfigTree;

const configServer = defineService({
  name: 'config-server',
  port: 0,
  configSource: 'local',
  routes(app) {
    app.get('/gateway/default', async () => ({
      name: 'gateway',
      profiles: ['default'],
      label: null,
      version: null,
      state: null,
      propertySources: [{ name: 'file:config/gateway.yml', source: flattenConfig(served) }],
    }));
  },
});

const settings = (
  capacity: number,
  extraRoutes: ConfigTree[] = [],
  origin = 'http://localhost:5173',
): ConfigTree => ({
  gateway: {
    cors: { allowedOrigins: [origin] },
    rateLimits: {
      default: { capacity: 1000, refillPerSecond: 1000 },
      tight: { capacity, refillPerSecond: 0.01 },
    },
    routes: [
      { id: 'limited', path: '/api/limited', service: 'catalog-service', role: 'NONE', rateLimit: 'tight' },
      ...extraRoutes,
    ],
  },
});

describe('gateway settings refreshed live', () => {
  const discovery = new TestDiscovery();
  let config: Service<unknown>;
  let catalog: Service<unknown>;
  let gw: Service<unknown>;
  const call = (path: string) => fetch(`${gw.url}${path}`).then((res) => res.status);

  beforeAll(async () => {
    served = settings(1);
    [config, catalog] = await Promise.all([
      startTestService(configServer, { config: { database: { url: '' } } }),
      startEcho('catalog-service', 'catalog-1'),
    ]);
    discovery.set('catalog-service', catalog.url);
    gw = await startGateway(discovery, {}, { config: { server: { url: config.url } } });
  });
  afterAll(() => stopAll([gw, config, catalog]));

  it('applies a new CORS policy without a restart', async () => {
    const preflight = (origin: string) =>
      fetch(`${gw.url}/api/limited/a`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET' },
      }).then((res) => res.headers.get('access-control-allow-origin'));
    expect(await preflight('https://shop.example')).toBeNull();
    served = settings(1, [], 'https://shop.example');
    await gw.context.config.refresh();
    expect(await preflight('https://shop.example')).toBe('https://shop.example');
  });

  it('applies new rate limits and routes without a restart, and refuses broken ones', async () => {
    served = settings(1);
    await gw.context.config.refresh();
    expect(await call('/api/limited/a')).toBe(200);
    expect(await call('/api/limited/a')).toBe(429);
    expect(await call('/api/catalog/a')).toBe(404);

    served = settings(100, [
      { id: 'catalog', path: '/api/catalog', service: 'catalog-service', role: 'NONE' },
    ]);
    await gw.context.config.refresh();
    expect(await call('/api/limited/a')).toBe(200);
    expect(await call('/api/catalog/a')).toBe(200);

    // A route naming a rate-limit class that does not exist: the last good settings stay.
    served = settings(100, [
      { id: 'broken', path: '/api/broken', service: 'catalog-service', role: 'NONE', rateLimit: 'nope' },
    ]);
    await gw.context.config.refresh();
    expect(await call('/api/catalog/a')).toBe(200);
    expect(await call('/api/broken/a')).toBe(404);
  });
});
