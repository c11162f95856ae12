import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineService, type Service } from '@sagamart/kit';
import { asPlatform, asService, startTestService } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  type FakeAuth,
  startEcho,
  startFakeAuth,
  startGateway,
  stopAll,
  TestDiscovery,
} from './harness.ts';

// Issue 8, defect 7: security headers on the web app and the API, no caching of personal answers,
// and neither /metrics nor the /internal operations of the OpenAPI documents public.

/** A service with a public and an internal operation in its OpenAPI document. */
const inventory = defineService({
  name: 'inventory-service',
  port: 0,
  routes(app) {
    app.get('/api/inventory', { schema: { summary: 'public' } }, async () => ({}));
    app.post('/internal/inventory/:id/reserve', { schema: { summary: 'internal' } }, async () => ({}));
  },
});

describe('gateway browser hardening', () => {
  const discovery = new TestDiscovery();
  let webRoot: string;
  let auth: FakeAuth;
  let echo: Service<unknown>;
  let specs: Service<unknown>;
  let gw: Service<unknown>;
  let scraped: Service<unknown>;
  const call = (base: Service<unknown>, path: string, init: RequestInit = {}) =>
    fetch(`${base.url}${path}`, init);

  beforeAll(async () => {
    webRoot = await mkdtemp(join(tmpdir(), 'sagamart-web-'));
    await writeFile(join(webRoot, 'index.html'), '<!doctype html><div id="root"></div>');
    auth = await startFakeAuth();
    echo = await startEcho('orders-service', 'orders-1');
    specs = await startTestService(inventory, { config: { database: { url: '' } } });
    discovery.set('auth-service', auth.service.url);
    discovery.set('orders-service', echo.url);
    discovery.set('inventory-service', specs.url);
    const routes = [
      { id: 'orders', path: '/api/orders', service: 'orders-service', role: 'USER' },
      { id: 'catalog', path: '/api/catalog', service: 'orders-service', role: 'NONE' },
    ];
    gw = await startGateway(discovery, { webRoot, routes });
    scraped = await startGateway(discovery, { routes }, { metrics: { scrapeToken: 'prometheus-secret' } });
  });
  afterAll(async () => {
    await stopAll([gw, scraped, echo, specs, auth.service]);
    await rm(webRoot, { recursive: true, force: true });
  });

  const expectBrowserPolicy = (res: Response) => {
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  };

  it('sends a strict policy with the web app', async () => {
    const res = await call(gw, '/', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expectBrowserPolicy(res);
  });

  it('sends it with API answers and problems too', async () => {
    expectBrowserPolicy(await call(gw, '/api/catalog/items'));
    expectBrowserPolicy(await call(gw, '/api/orders'));
  });

  it('marks answers to a signed-in caller no-store', async () => {
    const token = await auth.sign({ sub: 'user-7' });
    const personal = await call(gw, '/api/orders/mine', { headers: bearer(token) });
    expect(personal.status).toBe(200);
    expect(personal.headers.get('cache-control')).toBe('no-store');
    const anonymous = await call(gw, '/api/catalog/items');
    expect(anonymous.headers.get('cache-control')).not.toBe('no-store');
  });

  it('does not serve /metrics publicly, not even to a signed-in user', async () => {
    for (const headers of [
      {},
      bearer(await auth.sign({ sub: 'user-7' })),
      bearer(await auth.sign({ sub: 'admin-1', role: 'ADMIN' })),
    ]) {
      const res = await call(gw, '/metrics', { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.text()).not.toContain('http_server_requests');
    }
  });

  it('serves /metrics to a scraper with the platform credentials or the configured token only', async () => {
    expect((await call(scraped, '/metrics')).status).toBe(401);
    expect((await call(scraped, '/metrics', { headers: bearer('guess') })).status).toBe(401);
    const res = await call(scraped, '/metrics', { headers: bearer('prometheus-secret') });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('http_server_requests');
    // The same rule as every service's own port: the platform's Basic login. (A client's service
    // token is stripped at the gateway's front door, so it does not count here.)
    expect((await call(gw, '/metrics', { headers: asPlatform() })).status).toBe(200);
    expect((await call(gw, '/metrics', { headers: asService('gateway') })).status).toBe(401);
  });

  it('publishes the OpenAPI documents without their /internal operations', async () => {
    const direct = await (await call(specs, '/openapi.json')).json();
    expect(Object.keys(direct.paths)).toContain('/internal/inventory/{id}/reserve');
    const res = await call(gw, '/docs/specs/inventory-service.json');
    expect(res.status).toBe(200);
    const published = await res.json();
    expect(Object.keys(published.paths)).toEqual(['/api/inventory']);
  });

  it('serves the API docs page without an inline script', async () => {
    const page = await (await call(gw, '/docs')).text();
    expect(page).not.toMatch(/<script>/);
    const init = await call(gw, '/docs/init.js');
    expect(init.status).toBe(200);
    expect(await init.text()).toContain('/docs/specs/inventory-service.json');
  });
});
