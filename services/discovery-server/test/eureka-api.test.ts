import type { Service } from '@sagamart/kit';
import { uniqueName } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startDiscoveryServer } from './support.ts';

const appName = () => uniqueName('legacy').replaceAll('_', '-');

/** A registration as Spring Cloud Netflix's Eureka client sends it. */
function eurekaInstance(app: string, instanceId: string, port: number) {
  return {
    instance: {
      instanceId,
      hostName: '127.0.0.1',
      app: app.toUpperCase(),
      ipAddr: '127.0.0.1',
      status: 'UP',
      overriddenstatus: 'UNKNOWN',
      port: { $: port, '@enabled': 'true' },
      securePort: { $: 443, '@enabled': 'false' },
      countryId: 1,
      dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
      leaseInfo: { renewalIntervalInSecs: 30, durationInSecs: 90 },
      metadata: { '@class': 'java.util.Collections$EmptyMap' },
      homePageUrl: `http://127.0.0.1:${port}/`,
      statusPageUrl: `http://127.0.0.1:${port}/actuator/info`,
      healthCheckUrl: `http://127.0.0.1:${port}/actuator/health`,
      vipAddress: app,
      secureVipAddress: app,
      isCoordinatingDiscoveryServer: 'false',
      lastUpdatedTimestamp: '1700000000000',
      lastDirtyTimestamp: '1700000000000',
    },
  };
}

describe('discovery server: Eureka REST API', () => {
  let server: Service;
  let call: ReturnType<typeof http>;
  const json = { accept: 'application/json' };

  beforeAll(async () => {
    server = await startDiscoveryServer();
    call = http(server.url);
  });
  afterAll(() => server.stop());

  it('a Eureka registration shows up in our API under the lower-case app name', async () => {
    const app = appName();
    const registered = await call(
      'POST',
      `/eureka/apps/${app.toUpperCase()}`,
      eurekaInstance(app, 'e-1', 8090),
    );
    expect(registered.status).toBe(204);
    const ours = await call('GET', `/api/registry/apps/${app}`);
    expect(ours.status).toBe(200);
    expect(ours.body).toMatchObject({
      name: app,
      instances: [
        {
          app,
          instanceId: 'e-1',
          url: 'http://127.0.0.1:8090',
          status: 'UP',
          metadata: {},
          leaseDurationMs: 90_000,
        },
      ],
    });
  });

  it('our registrations show up in Eureka’s shape, upper-case, with ports and lease info', async () => {
    const app = appName();
    await call('POST', `/api/registry/apps/${app}`, {
      instanceId: `${app}:1`,
      url: 'http://127.0.0.1:8082',
      metadata: { zone: 'a' },
      leaseDurationMs: 15_000,
    });
    const all = await call('GET', '/eureka/apps', undefined, json);
    expect(all.status).toBe(200);
    expect(all.contentType).toContain('application/json');
    expect(all.body.applications).toMatchObject({
      versions__delta: '1',
      apps__hashcode: expect.stringMatching(/UP_\d+_/),
    });
    const application = all.body.applications.application.find(
      (a: { name: string }) => a.name === app.toUpperCase(),
    );
    expect(application.instance).toHaveLength(1);
    const instance = application.instance[0];
    expect(instance).toMatchObject({
      instanceId: `${app}:1`,
      hostName: '127.0.0.1',
      app: app.toUpperCase(),
      ipAddr: '127.0.0.1',
      status: 'UP',
      port: { $: 8082, '@enabled': 'true' },
      homePageUrl: 'http://127.0.0.1:8082/',
      statusPageUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:8082\//),
      healthCheckUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:8082\//),
      vipAddress: app,
      metadata: { zone: 'a' },
      dataCenterInfo: { name: 'MyOwn' },
      leaseInfo: { durationInSecs: 15, renewalIntervalInSecs: 5 },
    });
    expect(instance.leaseInfo.registrationTimestamp).toBeGreaterThan(0);
    expect(instance.leaseInfo.lastRenewalTimestamp).toBe(instance.leaseInfo.registrationTimestamp);

    // Spring's client asks for "apps/" with a trailing slash.
    expect((await call('GET', '/eureka/apps/', undefined, json)).body).toEqual(all.body);
    const one = await call('GET', `/eureka/apps/${app.toUpperCase()}`, undefined, json);
    expect(one.body).toEqual({ application });
    expect((await call('GET', `/eureka/apps/${app}/${app}:1`, undefined, json)).body).toEqual({ instance });
    expect((await call('GET', `/eureka/instances/${app}:1`, undefined, json)).body).toEqual({ instance });
    expect((await call('GET', `/eureka/apps/${appName()}`, undefined, json)).status).toBe(404);
  });

  it('the delta lists recent changes with the full registry’s hash, so clients can reconcile', async () => {
    const app = appName();
    await call('POST', `/api/registry/apps/${app}`, { instanceId: 'x', url: 'http://127.0.0.1:1' });
    await call('PUT', `/eureka/apps/${app}/x/status?value=DOWN`);
    const full = await call('GET', '/eureka/apps', undefined, json);
    const delta = await call('GET', '/eureka/apps/delta', undefined, json);
    expect(delta.body.applications.apps__hashcode).toBe(full.body.applications.apps__hashcode);
    expect(full.body.applications.apps__hashcode).toMatch(/^DOWN_\d+_/);
    const mine = delta.body.applications.application.find(
      (a: { name: string }) => a.name === app.toUpperCase(),
    );
    expect(
      mine.instance.map((i: { actionType: string; status: string }) => [i.actionType, i.status]),
    ).toEqual([
      ['ADDED', 'UP'],
      ['MODIFIED', 'DOWN'],
    ]);
  });

  it('answers XML to clients that accept only XML', async () => {
    const app = appName();
    await call('POST', `/eureka/apps/${app}`, eurekaInstance(app, 'x-1', 8091));
    const xml = await call('GET', `/eureka/apps/${app}`, undefined, { accept: 'application/xml' });
    expect(xml.status).toBe(200);
    expect(xml.contentType).toContain('application/xml');
    expect(xml.text).toContain(
      `<application><name>${app.toUpperCase()}</name><instance><instanceId>x-1</instanceId>`,
    );
    expect(xml.text).toContain('<port enabled="true">8091</port>');
  });

  it('heartbeats renew Eureka registrations and answer 404 for unknown ones, even with an empty JSON body', async () => {
    const app = appName();
    await call('POST', `/eureka/apps/${app}`, eurekaInstance(app, 'e-1', 8090));
    const before = (await call('GET', `/api/registry/apps/${app}/e-1`)).body.lastHeartbeatAt;
    await new Promise((r) => setTimeout(r, 5));
    const beat = await fetch(
      `${server.url}/eureka/apps/${app.toUpperCase()}/e-1?status=UP&lastDirtyTimestamp=1700000000000`,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
      },
    );
    expect(beat.status).toBe(200);
    const after = (await call('GET', `/api/registry/apps/${app}/e-1`)).body.lastHeartbeatAt;
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
    expect((await call('PUT', `/eureka/apps/${app}/unknown`)).status).toBe(404);
  });

  it('status overrides and cancellation go through to the shared registry', async () => {
    const app = appName();
    await call('POST', `/api/registry/apps/${app}`, { instanceId: 'i-1', url: 'http://127.0.0.1:8082' });
    expect((await call('PUT', `/eureka/apps/${app}/i-1/status?value=OUT_OF_SERVICE`)).status).toBe(200);
    expect((await call('GET', `/api/registry/apps/${app}/i-1`)).body.status).toBe('OUT_OF_SERVICE');
    expect((await call('DELETE', `/eureka/apps/${app}/i-1/status?value=UP`)).status).toBe(200);
    expect((await call('GET', `/api/registry/apps/${app}/i-1`)).body.status).toBe('UP');
    expect((await call('PUT', `/eureka/apps/${app}/i-1/status?value=SLEEPING`)).status).toBe(400);

    expect((await call('DELETE', `/eureka/apps/${app.toUpperCase()}/i-1`)).status).toBe(200);
    expect((await call('GET', `/api/registry/apps/${app}`)).status).toBe(404);
    expect((await call('DELETE', `/eureka/apps/${app}/i-1`)).status).toBe(404);
  });

  it('rejects Eureka registrations it cannot route to, with the fields at fault', async () => {
    const app = appName();
    const noAddress = await call('POST', `/eureka/apps/${app}`, {
      instance: { instanceId: 'x', port: { $: 8080, '@enabled': 'true' } },
    });
    expect(noAddress.status).toBe(400);
    expect(noAddress.contentType).toContain('application/problem+json');
    expect(noAddress.body.errors.map((e: { field: string }) => e.field)).toEqual(['instance']);

    const otherApp = await call('POST', `/eureka/apps/${app}`, eurekaInstance('someone-else', 'x', 8080));
    expect(otherApp.status).toBe(400);
    expect(otherApp.body.errors.map((e: { field: string }) => e.field)).toEqual(['instance.app']);

    const invalid = await call('POST', `/eureka/apps/${app}`, {
      instance: {
        ...eurekaInstance(app, 'x', 8080).instance,
        status: 'ASLEEP',
        leaseInfo: { durationInSecs: 0 },
      },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'instance.leaseInfo.durationInSecs',
      'instance.status',
    ]);
    expect((await call('POST', `/eureka/apps/${app}`, {})).status).toBe(400);
    expect((await call('GET', `/api/registry/apps/${app}`)).status).toBe(404);
  });
});
