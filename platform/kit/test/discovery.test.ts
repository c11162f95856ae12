import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defineService, type Service, type ServiceInstance } from '@sagamart/kit';
import { eventually, startTestService, uniqueName } from '@sagamart/testkit';
import { afterEach, describe, expect, it } from 'vitest';

interface Call {
  method: string;
  path: string;
  body: unknown;
}

/**
 * A stand-in registry that records what the kit's RegistryDiscovery sends and answers as the real
 * one does (the real server is exercised in services/discovery-server/test/kit-client.test.ts).
 */
async function startFakeRegistry(port = 0) {
  const calls: Call[] = [];
  const known = new Set<string>();
  let applications: Array<{ name: string; instances: ServiceInstance[] }> = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const path = decodeURIComponent(req.url ?? '');
      const body = raw ? JSON.parse(raw) : undefined;
      calls.push({ method: req.method ?? '', path, body });
      const [, , , , app, instanceId, action] = path.split('/'); // /api/registry/apps/:app/:id/:action
      const key = `${app}/${instanceId ?? body?.instanceId}`;
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ applications }));
      } else if (req.method === 'POST') {
        known.add(key);
        res.writeHead(204).end();
      } else if (req.method === 'PUT' && action === 'heartbeat') {
        res.writeHead(known.has(key) ? 200 : 404).end();
      } else if (req.method === 'DELETE') {
        known.delete(key);
        res.writeHead(204).end();
      } else {
        res.writeHead(200).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    forget: (app: string, instanceId: string) => known.delete(`${app}/${instanceId}`),
    serve(apps: Array<{ name: string; instances: ServiceInstance[] }>) {
      applications = apps;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const instance = (app: string, id: string, status: ServiceInstance['status'] = 'UP'): ServiceInstance => ({
  app,
  instanceId: id,
  url: `http://127.0.0.1:1/${id}`,
  status,
  metadata: {},
});

describe('kit discovery', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function start(name: string, options: Parameters<typeof startTestService>[1] = {}): Promise<Service> {
    const service = await startTestService(defineService({ name, port: 0 }), options);
    cleanup.push(() => service.stop());
    return service;
  }

  describe('registry mode (Eureka-style client)', () => {
    const registryConfig = (url: string) => ({
      database: { url: '' },
      discovery: { mode: 'registry', url, heartbeatMs: 100, leaseMs: 3_000, fetchMs: 100 },
    });

    it('registers with id, url, status, metadata and lease, heartbeats, and deregisters on stop', async () => {
      const registry = await startFakeRegistry();
      cleanup.push(() => registry.close());
      const name = uniqueName('svc').replaceAll('_', '-');
      const service = await startTestService(defineService({ name, port: 0 }), {
        instanceId: `${name}-1`,
        config: registryConfig(registry.url),
      });

      expect(registry.calls[0]).toEqual({
        method: 'POST',
        path: `/api/registry/apps/${name}`,
        body: {
          instanceId: `${name}-1`,
          url: service.url,
          status: 'UP',
          metadata: { transport: 'none', configSource: 'defaults' },
          leaseDurationMs: 3_000,
        },
      });
      const heartbeat = `/api/registry/apps/${name}/${name}-1/heartbeat`;
      await eventually(
        () => registry.calls.filter((c) => c.method === 'PUT' && c.path === heartbeat).length >= 2,
      );
      // Accepted heartbeats do not cause registrations.
      expect(registry.calls.filter((c) => c.method === 'POST')).toHaveLength(1);

      await service.stop();
      const last = registry.calls.findLast((c) => c.method !== 'GET');
      expect(last).toMatchObject({ method: 'DELETE', path: `/api/registry/apps/${name}/${name}-1` });
      // A second instance heartbeating on the same cadence is the clock: once it has beaten twice,
      // the stopped one would have beaten too if its heartbeat were still running.
      const after = registry.calls.length;
      await start(`${name}-witness`, {
        instanceId: `${name}-witness-1`,
        config: registryConfig(registry.url),
      });
      const witnessBeat = `/api/registry/apps/${name}-witness/${name}-witness-1/heartbeat`;
      await eventually(
        () =>
          registry.calls.slice(after).filter((c) => c.method === 'PUT' && c.path === witnessBeat).length >= 2,
      );
      expect(
        registry.calls.slice(after).filter((c) => c.method !== 'GET' && c.path.includes(`/${name}-1`)),
      ).toEqual([]);
    });

    it('registers again when a heartbeat answers 404, keeping the status it set', async () => {
      const registry = await startFakeRegistry();
      cleanup.push(() => registry.close());
      const name = uniqueName('svc').replaceAll('_', '-');
      const service = await start(name, { instanceId: `${name}-1`, config: registryConfig(registry.url) });
      await service.context.discovery.setStatus('OUT_OF_SERVICE');
      expect(registry.calls.at(-1)).toMatchObject({
        method: 'PUT',
        path: `/api/registry/apps/${name}/${name}-1/status`,
        body: { status: 'OUT_OF_SERVICE' },
      });

      registry.forget(name, `${name}-1`);
      const registrations = () => registry.calls.filter((c) => c.method === 'POST');
      await eventually(() => registrations().length === 2);
      expect(registrations()[1]?.body).toMatchObject({
        instanceId: `${name}-1`,
        url: service.url,
        status: 'OUT_OF_SERVICE',
      });
    });

    it('starts while the registry is down, and registers once it is up', async () => {
      const probe = await startFakeRegistry();
      const port = Number(new URL(probe.url).port);
      await probe.close();
      const name = uniqueName('svc').replaceAll('_', '-');
      const service = await start(name, {
        instanceId: `${name}-1`,
        config: registryConfig(`http://127.0.0.1:${port}`),
      });
      expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      const registry = await startFakeRegistry(port);
      cleanup.push(() => registry.close());
      await eventually(() =>
        registry.calls.some((c) => c.method === 'POST' && c.path === `/api/registry/apps/${name}`),
      );
    });

    it('chooses only UP instances, round robin, and looks again when it knows none', async () => {
      const registry = await startFakeRegistry();
      cleanup.push(() => registry.close());
      const caller = await start(uniqueName('caller').replaceAll('_', '-'), {
        config: registryConfig(registry.url),
      });
      const discovery = caller.context.discovery;
      expect(await discovery.choose('orders')).toBeUndefined();

      registry.serve([
        {
          name: 'orders',
          instances: [instance('orders', 'o1'), instance('orders', 'o2', 'DOWN'), instance('orders', 'o3')],
        },
      ]);
      const first = await eventually(() => discovery.choose('orders'));
      const picks = [first!.instanceId];
      for (let n = 0; n < 3; n++) picks.push((await discovery.choose('orders'))!.instanceId);
      expect(new Set(picks)).toEqual(new Set(['o1', 'o3']));
      expect(picks[0]).not.toBe(picks[1]);
      expect(picks[2]).toBe(picks[0]);

      const apps = await discovery.applications();
      expect(apps.get('orders')?.map((i) => i.instanceId)).toEqual(['o1', 'o2', 'o3']);

      registry.serve([]);
      await eventually(async () => (await discovery.applications()).get('orders') === undefined);
      expect(await discovery.choose('orders')).toBeUndefined();
    });
  });

  describe('static mode', () => {
    it('takes instances from config, DISCOVERY_STATIC_* variables and a name template, round robin', async () => {
      const caller = await start(uniqueName('caller').replaceAll('_', '-'), {
        env: { DISCOVERY_STATIC_ORDER_SERVICE: 'http://127.0.0.1:7001,http://127.0.0.1:7002' },
        config: {
          database: { url: '' },
          discovery: {
            mode: 'static',
            static: {
              'user-service': 'http://127.0.0.1:8082',
              'product-service': ['http://127.0.0.1:8083', 'http://127.0.0.1:8093'],
            },
            template: 'http://{app}.internal:8080',
          },
        },
      });
      const discovery = caller.context.discovery;
      const urls = async (app: string, n: number) => {
        const out = [];
        for (let i = 0; i < n; i++) out.push((await discovery.choose(app))?.url);
        return out;
      };
      expect(await urls('user-service', 2)).toEqual(['http://127.0.0.1:8082', 'http://127.0.0.1:8082']);
      expect(await urls('product-service', 3)).toEqual([
        'http://127.0.0.1:8083',
        'http://127.0.0.1:8093',
        'http://127.0.0.1:8083',
      ]);
      expect(await urls('order-service', 2)).toEqual(['http://127.0.0.1:7001', 'http://127.0.0.1:7002']);
      expect(await urls('cart-service', 1)).toEqual(['http://cart-service.internal:8080']);
      expect([...(await discovery.applications()).keys()].sort()).toEqual([
        'order-service',
        'product-service',
        'user-service',
      ]);
    });

    it('knows no instance of an unlisted app without a template', async () => {
      const caller = await start(uniqueName('caller').replaceAll('_', '-'), {
        config: { database: { url: '' }, discovery: { mode: 'static', static: { a: 'http://127.0.0.1:1' } } },
      });
      expect(await caller.context.discovery.choose('b')).toBeUndefined();
    });
  });
});
