import type { Service } from '@sagamart/kit';
import { asPlatform, eventually, uniqueName } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, http, metricValue, startDiscoveryServer } from './support.ts';

const appName = () => uniqueName('app').replaceAll('_', '-');

describe('discovery server: registry REST API', () => {
  let server: Service;
  let call: ReturnType<typeof http>;

  beforeAll(async () => {
    server = await startDiscoveryServer({ defaultLeaseMs: 20_000 });
    call = http(server.url);
  });
  afterAll(() => server.stop());

  it('registers an instance and lists it with the shape the kit client reads', async () => {
    const app = appName();
    const registered = await call('POST', `/api/registry/apps/${app}`, {
      instanceId: `${app}:1`,
      url: 'http://127.0.0.1:9001/',
      metadata: { zone: 'a' },
    });
    expect(registered.status).toBe(204);
    expect(registered.text).toBe('');

    const all = await call('GET', '/api/registry/apps');
    expect(all.status).toBe(200);
    const listed = all.body.applications.find((a: { name: string }) => a.name === app);
    expect(listed.instances).toHaveLength(1);
    const instance = listed.instances[0];
    expect(instance).toMatchObject({
      app,
      instanceId: `${app}:1`,
      url: 'http://127.0.0.1:9001',
      status: 'UP',
      metadata: { zone: 'a' },
      // No lease given: the configured registry.defaultLeaseMs applies.
      leaseDurationMs: 20_000,
    });
    expect(Date.parse(instance.registeredAt)).not.toBeNaN();
    expect(instance.lastHeartbeatAt).toBe(instance.registeredAt);

    const one = await call('GET', `/api/registry/apps/${app.toUpperCase()}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ name: app, instances: [instance] });
  });

  it('replaces an instance registered again under the same id', async () => {
    const app = appName();
    await call('POST', `/api/registry/apps/${app}`, {
      instanceId: 'i-1',
      url: 'http://127.0.0.1:9001',
      leaseDurationMs: 5_000,
    });
    await call('POST', `/api/registry/apps/${app}`, { instanceId: 'i-2', url: 'http://127.0.0.1:9002' });
    const again = await call('POST', `/api/registry/apps/${app}`, {
      instanceId: 'i-1',
      url: 'https://127.0.0.1:9443',
      status: 'STARTING',
    });
    expect(again.status).toBe(204);
    const { body } = await call('GET', `/api/registry/apps/${app}`);
    expect(
      body.instances.map((i: { instanceId: string; url: string; status: string }) => [
        i.instanceId,
        i.url,
        i.status,
      ]),
    ).toEqual([
      ['i-1', 'https://127.0.0.1:9443', 'STARTING'],
      ['i-2', 'http://127.0.0.1:9002', 'UP'],
    ]);
  });

  it('renews on heartbeat and answers 404 for instances it does not know', async () => {
    const app = appName();
    await call('POST', `/api/registry/apps/${app}`, { instanceId: 'i-1', url: 'http://127.0.0.1:9001' });
    const before = (await call('GET', `/api/registry/apps/${app}/i-1`)).body;
    await new Promise((r) => setTimeout(r, 5));
    const beat = await call('PUT', `/api/registry/apps/${app}/i-1/heartbeat`);
    expect(beat.status).toBe(200);
    expect(beat.body.instanceId).toBe('i-1');
    expect(Date.parse(beat.body.lastHeartbeatAt)).toBeGreaterThan(Date.parse(before.lastHeartbeatAt));
    expect(beat.body.registeredAt).toBe(before.registeredAt);

    for (const path of [
      `/api/registry/apps/${app}/nope/heartbeat`,
      `/api/registry/apps/${appName()}/i-1/heartbeat`,
    ]) {
      const unknown = await call('PUT', path);
      expect(unknown.status).toBe(404);
      expect(unknown.contentType).toContain('application/problem+json');
      expect(unknown.body).toMatchObject({ status: 404, title: 'Not Found' });
    }
  });

  it('changes status, which clients see in the listing', async () => {
    const app = appName();
    await call('POST', `/api/registry/apps/${app}`, { instanceId: 'i-1', url: 'http://127.0.0.1:9001' });
    for (const status of ['OUT_OF_SERVICE', 'DOWN', 'STARTING', 'UP']) {
      const changed = await call('PUT', `/api/registry/apps/${app}/i-1/status`, { status });
      expect(changed.status).toBe(200);
      expect(changed.body.status).toBe(status);
      expect((await call('GET', `/api/registry/apps/${app}`)).body.instances[0].status).toBe(status);
    }
    const unknown = await call('PUT', `/api/registry/apps/${app}/nope/status`, { status: 'DOWN' });
    expect(unknown.status).toBe(404);
    const invalid = await call('PUT', `/api/registry/apps/${app}/i-1/status`, { status: 'SLEEPING' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field)).toEqual(['status']);
  });

  it('deregisters: the instance and its emptied app disappear', async () => {
    const app = appName();
    await call('POST', `/api/registry/apps/${app}`, { instanceId: 'i-1', url: 'http://127.0.0.1:9001' });
    const removed = await call('DELETE', `/api/registry/apps/${app}/i-1`);
    expect(removed.status).toBe(204);
    expect((await call('GET', `/api/registry/apps/${app}`)).status).toBe(404);
    const names = (await call('GET', '/api/registry/apps')).body.applications.map(
      (a: { name: string }) => a.name,
    );
    expect(names).not.toContain(app);
    expect((await call('PUT', `/api/registry/apps/${app}/i-1/heartbeat`)).status).toBe(404);
    const again = await call('DELETE', `/api/registry/apps/${app}/i-1`);
    expect(again.status).toBe(404);
    expect(again.contentType).toContain('application/problem+json');
  });

  it('rejects invalid registrations with a problem listing every bad field', async () => {
    const app = appName();
    const expectFields = (answer: Answer, fields: string[]) => {
      expect(answer.status).toBe(400);
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ status: 400, title: 'Bad Request' });
      expect(answer.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(fields);
    };
    expectFields(
      await call('POST', `/api/registry/apps/${app}`, {
        url: 'ftp://127.0.0.1:21',
        status: 'ASLEEP',
        leaseDurationMs: 5,
        metadata: { zone: { nested: true } },
      }),
      ['instanceId', 'leaseDurationMs', 'metadata.zone', 'status', 'url'],
    );
    expectFields(
      await call('POST', `/api/registry/apps/${app}`, {
        instanceId: 'i',
        url: 'http://',
        leaseDurationMs: 600_001,
      }),
      ['leaseDurationMs', 'url'],
    );
    expectFields(await call('POST', `/api/registry/apps/${app}`, { instanceId: '', url: 'localhost:8080' }), [
      'instanceId',
      'url',
    ]);
    expectFields(
      await call('POST', '/api/registry/apps/-bad%20name', { instanceId: 'i', url: 'http://127.0.0.1:1' }),
      ['app'],
    );

    const notJson = await fetch(`${server.url}/api/registry/apps/${app}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...asPlatform() },
      body: '{not json',
    });
    expect(notJson.status).toBe(400);
    expect(notJson.headers.get('content-type')).toContain('application/problem+json');
    // Nothing was registered by any of the rejected calls.
    expect((await call('GET', `/api/registry/apps/${app}`)).status).toBe(404);
  });

  it('accepts the lease bounds, 1 s and 10 min', async () => {
    const app = appName();
    for (const [id, lease] of [
      ['short', 1_000],
      ['long', 600_000],
    ] as const) {
      expect(
        (
          await call('POST', `/api/registry/apps/${app}`, {
            instanceId: id,
            url: 'http://127.0.0.1:1',
            leaseDurationMs: lease,
          })
        ).status,
      ).toBe(204);
      expect((await call('GET', `/api/registry/apps/${app}/${id}`)).body.leaseDurationMs).toBe(lease);
    }
  });

  it('takes instance ids with the characters the kit uses (name:host:suffix)', async () => {
    const app = appName();
    const instanceId = `${app}:my-host.local:ab12cd34`;
    await call('POST', `/api/registry/apps/${app}`, { instanceId, url: 'http://127.0.0.1:1' });
    const encoded = encodeURIComponent(instanceId);
    expect((await call('PUT', `/api/registry/apps/${app}/${encoded}/heartbeat`)).status).toBe(200);
    expect((await call('PUT', `/api/registry/apps/${app}/${instanceId}/heartbeat`)).status).toBe(200);
    expect((await call('DELETE', `/api/registry/apps/${app}/${encoded}`)).status).toBe(204);
  });

  it('exports a gauge of instances per app and status', async () => {
    const app = appName();
    await call('POST', `/api/registry/apps/${app}`, { instanceId: 'i-1', url: 'http://127.0.0.1:1' });
    await call('POST', `/api/registry/apps/${app}`, { instanceId: 'i-2', url: 'http://127.0.0.1:2' });
    await call('POST', `/api/registry/apps/${app}`, {
      instanceId: 'i-3',
      url: 'http://127.0.0.1:3',
      status: 'DOWN',
    });
    let metrics = (await call('GET', '/metrics')).text;
    expect(metricValue(metrics, 'registry_instances', { app, status: 'UP' })).toBe(2);
    expect(metricValue(metrics, 'registry_instances', { app, status: 'DOWN' })).toBe(1);

    await call('DELETE', `/api/registry/apps/${app}/i-3`);
    metrics = (await call('GET', '/metrics')).text;
    expect(metricValue(metrics, 'registry_instances', { app, status: 'DOWN' })).toBeUndefined();
    expect(metricValue(metrics, 'registry_instances', { app, status: 'UP' })).toBe(2);
  });

  it('documents both APIs in OpenAPI', async () => {
    const spec = await call('GET', '/openapi.json');
    expect(spec.status).toBe(200);
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/registry/apps',
        '/api/registry/apps/{app}',
        '/api/registry/apps/{app}/{instanceId}/heartbeat',
        '/eureka/apps',
        '/eureka/apps/{app}/{instanceId}',
      ]),
    );
  });

  it('serves a dashboard that refreshes itself and escapes what clients sent', async () => {
    const app = appName();
    const hostile = await call('POST', `/api/registry/apps/${app}`, {
      instanceId: '<script>alert("x")</script>',
      url: 'http://127.0.0.1:9001/?a="><img/src=x/onerror=alert(1)>',
    });
    expect(hostile.status).toBe(204);
    await call('POST', `/api/registry/apps/${app}`, {
      instanceId: 'plain-1',
      url: 'http://127.0.0.1:9002',
      status: 'OUT_OF_SERVICE',
    });
    const page = await call('GET', '/');
    expect(page.status).toBe(200);
    expect(page.contentType).toContain('text/html');
    expect(page.text).toContain('<meta http-equiv="refresh" content="5">');
    expect(page.text).toContain(app.toUpperCase());
    expect(page.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page.text).not.toContain('<script');
    expect(page.text).not.toContain('<img');
    expect(page.text).toContain('<a href="http://127.0.0.1:9002">http://127.0.0.1:9002</a>');
    expect(page.text).toContain('OUT_OF_SERVICE');
    expect(page.text).toContain('UP (1), OUT_OF_SERVICE (1)');
  });
});

describe('discovery server: lease expiry', () => {
  let server: Service;
  let call: ReturnType<typeof http>;

  beforeAll(async () => {
    server = await startDiscoveryServer({ evictionIntervalMs: 100 });
    call = http(server.url);
  });
  afterAll(() => server.stop());

  it('evicts an instance that stops heartbeating, and keeps the one that does not', async () => {
    const app = appName();
    await call('POST', `/api/registry/apps/${app}`, {
      instanceId: 'silent',
      url: 'http://127.0.0.1:9001',
      leaseDurationMs: 1_000,
    });
    await call('POST', `/api/registry/apps/${app}`, {
      instanceId: 'alive',
      url: 'http://127.0.0.1:9002',
      leaseDurationMs: 1_000,
    });
    let beating = true;
    const heartbeats = (async () => {
      while (beating) {
        expect((await call('PUT', `/api/registry/apps/${app}/alive/heartbeat`)).status).toBe(200);
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
    try {
      const ids = await eventually(async () => {
        const { body } = await call('GET', `/api/registry/apps/${app}`);
        const remaining = body.instances.map((i: { instanceId: string }) => i.instanceId);
        return remaining.includes('silent') ? undefined : remaining;
      });
      expect(ids).toEqual(['alive']);
    } finally {
      beating = false;
      await heartbeats;
    }
    // The evicted instance's next heartbeat is told to register again.
    expect((await call('PUT', `/api/registry/apps/${app}/silent/heartbeat`)).status).toBe(404);
    const metrics = (await call('GET', '/metrics')).text;
    expect(metricValue(metrics, 'registry_evictions_total', { app })).toBe(1);
    // Once its heartbeats stop, the other one goes too.
    await eventually(async () => (await call('GET', `/api/registry/apps/${app}`)).status === 404);
  });
});
