import { type ConfigTree, defineService, type Service } from '@sagamart/kit';
import {
  eventually,
  freePort,
  metricValue,
  scrapeMetrics,
  startTestService,
  uniqueName,
} from '@sagamart/testkit';
import { Type } from 'typebox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import discoveryServer from '../src/index.ts';
import { http, startDiscoveryServer } from './support.ts';

const WhoAmI = Type.Object({ instanceId: Type.String() });

/**
 * The kit's discovery client (RegistryDiscovery) and ServiceClient end to end against the real
 * discovery server: registration, heartbeats, round robin, deregistration and re-registration.
 */
describe('kit discovery client against the discovery server', () => {
  let registry: Service;
  let call: ReturnType<typeof http>;
  const running: Service[] = [];
  let app: string;

  beforeEach(async () => {
    registry = await startDiscoveryServer({ evictionIntervalMs: 100 });
    call = http(registry.url);
    app = uniqueName('echo').replaceAll('_', '-');
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
    await registry.stop();
  });

  const clientConfig = (): ConfigTree => ({
    database: { url: '' },
    discovery: { mode: 'registry', url: registry.url, heartbeatMs: 200, leaseMs: 1_000, fetchMs: 200 },
  });

  /** A tiny service that says which instance answered. */
  function echoService(name = app, register = true) {
    return defineService({
      name,
      port: 0,
      register,
      routes(server, ctx) {
        server.get('/whoami', async () => ({ instanceId: ctx.instanceId }));
      },
    });
  }

  async function start(
    factory: ReturnType<typeof echoService>,
    instanceId: string,
    config: ConfigTree = clientConfig(),
  ) {
    const service = await startTestService(factory, { instanceId, config });
    running.push(service);
    return service;
  }

  async function registered(
    name = app,
  ): Promise<Array<{ instanceId: string; url: string; status: string; registeredAt: string }>> {
    const answer = await call('GET', `/api/registry/apps/${name}`);
    return answer.status === 200 ? answer.body.instances : [];
  }

  /** Waits until the caller's discovery cache holds exactly these UP instances. */
  async function callerSees(caller: Service, ids: string[]) {
    await eventually(async () => {
      const instances = (await caller.context.discovery.applications()).get(app) ?? [];
      const up = instances.filter((i) => i.status === 'UP').map((i) => i.instanceId);
      return up.length === ids.length && ids.every((id) => up.includes(id));
    });
  }

  it('registers both instances, then round-robins calls between them', async () => {
    const echo = echoService();
    const a = await start(echo, `${app}-a`);
    const b = await start(echo, `${app}-b`);
    const instances = await registered();
    expect(instances.map((i) => [i.instanceId, i.url, i.status])).toEqual([
      [`${app}-a`, a.url, 'UP'],
      [`${app}-b`, b.url, 'UP'],
    ]);
    expect(instances[0]).toMatchObject({ leaseDurationMs: 1_000, metadata: { transport: 'none' } });

    const caller = await start(echoService(uniqueName('caller').replaceAll('_', '-')), 'caller-1');
    await callerSees(caller, [`${app}-a`, `${app}-b`]);

    const chosen = [];
    for (let n = 0; n < 4; n++) chosen.push((await caller.context.discovery.choose(app))?.url);
    expect(new Set(chosen)).toEqual(new Set([a.url, b.url]));
    expect(chosen[0]).not.toBe(chosen[1]);
    expect(chosen[2]).toBe(chosen[0]);
    expect(chosen[3]).toBe(chosen[1]);

    const client = caller.context.client(app);
    const answered = [];
    for (let n = 0; n < 6; n++) answered.push((await client.get('/whoami', { response: WhoAmI })).instanceId);
    expect(new Set(answered)).toEqual(new Set([`${app}-a`, `${app}-b`]));
    for (let n = 1; n < answered.length; n++) expect(answered[n]).not.toBe(answered[n - 1]);
  });

  /** Requests the registry answered on one route (its own request metrics). */
  async function answered(method: string, route: string): Promise<number> {
    const text = await scrapeMetrics(registry);
    return metricValue(text, 'http_server_requests_seconds_count', { method, route, status: '200' }) ?? 0;
  }

  it('at idle, heartbeats confirm the cached registry: it is not read again every fetchMs', async () => {
    await start(echoService(), `${app}-a`);
    const caller = await start(echoService(uniqueName('caller').replaceAll('_', '-')), 'caller-1');
    await callerSees(caller, [`${app}-a`]);
    const heartbeat = '/api/registry/apps/:app/:instanceId/heartbeat';
    const beatsBefore = await answered('PUT', heartbeat);
    const readsBefore = await answered('GET', '/api/registry/apps');

    // Both clients heartbeat every 200 ms and would read the registry as often without the version.
    const beats = await eventually(async () => {
      const n = (await answered('PUT', heartbeat)) - beatsBefore;
      return n >= 20 ? n : undefined;
    });
    const reads = (await answered('GET', '/api/registry/apps')) - readsBefore;
    expect(reads).toBeLessThan(beats / 4);
  });

  it('a heartbeat answer that names a newer registry makes the client read it (fetchMs aside)', async () => {
    const slowFetch = (): ConfigTree => ({
      ...clientConfig(),
      discovery: { mode: 'registry', url: registry.url, heartbeatMs: 200, leaseMs: 1_000, fetchMs: 600_000 },
    });
    const echo = echoService();
    await start(echo, `${app}-a`, slowFetch());
    const caller = await start(
      echoService(uniqueName('caller').replaceAll('_', '-')),
      'caller-1',
      slowFetch(),
    );
    await callerSees(caller, [`${app}-a`]);

    await start(echo, `${app}-b`, slowFetch());
    await callerSees(caller, [`${app}-a`, `${app}-b`]);
  });

  it('deregisters at once on stop; callers keep working and then forget the stopped instance', async () => {
    const echo = echoService();
    await start(echo, `${app}-a`);
    const b = await start(echo, `${app}-b`);
    const caller = await start(echoService(uniqueName('caller').replaceAll('_', '-')), 'caller-1');
    await callerSees(caller, [`${app}-a`, `${app}-b`]);

    await b.stop();
    expect((await registered()).map((i) => i.instanceId)).toEqual([`${app}-a`]);

    // The caller's cache may still name b for a moment: idempotent calls retry on the next instance.
    const client = caller.context.client(app);
    for (let n = 0; n < 4; n++)
      expect((await client.get('/whoami', { response: WhoAmI })).instanceId).toBe(`${app}-a`);
    await callerSees(caller, [`${app}-a`]);
  });

  it('re-registers on the next heartbeat after the registry forgot it (heartbeat 404)', async () => {
    const a = await start(echoService(), `${app}-a`);
    const [before] = await registered();
    expect(before?.instanceId).toBe(`${app}-a`);

    expect((await call('DELETE', `/api/registry/apps/${app}/${encodeURIComponent(`${app}-a`)}`)).status).toBe(
      204,
    );
    expect(await registered()).toEqual([]);

    const after = await eventually(async () => {
      const instances = await registered();
      return instances.length === 1 ? instances[0] : undefined;
    });
    expect(after).toMatchObject({ instanceId: `${app}-a`, url: a.url, status: 'UP' });
    expect(Date.parse(after!.registeredAt)).toBeGreaterThan(Date.parse(before!.registeredAt));
  });

  it('registers soon after a registry that comes up after it, not at its next heartbeat', async () => {
    const port = await freePort();
    const lateUrl = `http://127.0.0.1:${port}`;
    // Heartbeats minutes apart: only the registration's own retry can list it within the test.
    await start(echoService(), `${app}-early`, {
      database: { url: '' },
      discovery: {
        mode: 'registry',
        url: lateUrl,
        heartbeatMs: 200_000,
        leaseMs: 600_000,
        fetchMs: 600_000,
      },
    });
    const late = await startTestService(discoveryServer, {
      config: { database: { url: '' }, server: { port } },
    });
    try {
      const listed = await eventually(async () => {
        const answer = await http(late.url)('GET', `/api/registry/apps/${app}`);
        return answer.status === 200 ? answer.body.instances : undefined;
      });
      expect(listed.map((i: { instanceId: string }) => i.instanceId)).toEqual([`${app}-early`]);
    } finally {
      await late.stop();
    }
  });

  it('keeps choosing what a restarted registry has not heard from again yet, for one lease', async () => {
    const port = await freePort();
    const registryAt = (url: string) => ({ mode: 'registry', url, fetchMs: 200 });
    const url = `http://127.0.0.1:${port}`;
    let first = await startTestService(discoveryServer, {
      config: { database: { url: '' }, server: { port } },
    });
    try {
      // The echo heartbeats minutes apart, so after the restart it stays unlisted for the whole test.
      const echo = await start(echoService(), `${app}-a`, {
        database: { url: '' },
        discovery: { ...registryAt(url), heartbeatMs: 200_000, leaseMs: 600_000 },
      });
      const caller = await start(echoService(uniqueName('caller').replaceAll('_', '-')), 'caller-1', {
        database: { url: '' },
        discovery: { ...registryAt(url), heartbeatMs: 200, leaseMs: 10_000 },
      });
      await callerSees(caller, [`${app}-a`]);

      await first.stop();
      first = await startTestService(discoveryServer, {
        config: { database: { url: '' }, server: { port } },
      });
      const restarted = http(first.url);
      // The caller's heartbeat is refused (404), it registers again, and its next answer names the new
      // registry, whose copy it reads: one without the echo.
      await eventually(async () => {
        const answer = await restarted('GET', '/api/registry/apps');
        const names = (answer.body.applications as Array<{ name: string }>).map((a) => a.name);
        return names.length === 1 && !names.includes(app);
      });
      // Read it now rather than at the next heartbeat (RegistryDiscovery.refresh, public on the class).
      await (caller.context.discovery as unknown as { refresh(): Promise<void> }).refresh();
      expect((await caller.context.discovery.choose(app))?.url).toBe(echo.url);
      expect((await caller.context.client(app).get('/whoami', { response: WhoAmI })).instanceId).toBe(
        `${app}-a`,
      );
    } finally {
      await first.stop();
    }
  });

  it('an instance that stops heartbeating without deregistering is evicted, and callers stop seeing it', async () => {
    const a = await start(echoService(), `${app}-a`);
    // A crashed instance: registered like the kit does, then silent (its port is closed).
    const crashed = await call('POST', `/api/registry/apps/${app}`, {
      instanceId: `${app}-crashed`,
      url: 'http://127.0.0.1:9',
      leaseDurationMs: 1_000,
    });
    expect(crashed.status).toBe(204);
    const caller = await start(echoService(uniqueName('caller').replaceAll('_', '-')), 'caller-1');

    await eventually(async () => (await registered()).length === 1);
    expect((await registered()).map((i) => i.url)).toEqual([a.url]);
    await callerSees(caller, [`${app}-a`]);
    expect((await caller.context.client(app).get('/whoami', { response: WhoAmI })).instanceId).toBe(
      `${app}-a`,
    );
  });

  it('status changes reach the registry and take an instance out of rotation, across re-registration', async () => {
    const echo = echoService();
    const a = await start(echo, `${app}-a`);
    await start(echo, `${app}-b`);
    const caller = await start(echoService(uniqueName('caller').replaceAll('_', '-')), 'caller-1');
    await callerSees(caller, [`${app}-a`, `${app}-b`]);

    await a.context.discovery.setStatus('OUT_OF_SERVICE');
    expect((await registered()).map((i) => [i.instanceId, i.status])).toEqual([
      [`${app}-a`, 'OUT_OF_SERVICE'],
      [`${app}-b`, 'UP'],
    ]);
    await callerSees(caller, [`${app}-b`]);
    for (let n = 0; n < 3; n++)
      expect((await caller.context.discovery.choose(app))?.instanceId).toBe(`${app}-b`);

    // After the registry forgets it, the instance registers again with the status it last set.
    await call('DELETE', `/api/registry/apps/${app}/${encodeURIComponent(`${app}-a`)}`);
    const back = await eventually(async () => (await registered()).find((i) => i.instanceId === `${app}-a`));
    expect(back!.status).toBe('OUT_OF_SERVICE');
  });

  it('finds an instance registered through the Eureka API', async () => {
    const legacyName = uniqueName('legacy').replaceAll('_', '-');
    // Not registered by the kit: a "Eureka client" registers it below.
    const legacy = await start(echoService(legacyName, false), `${legacyName}-1`);
    const port = Number(new URL(legacy.url).port);
    const registeredThroughEureka = await call('POST', `/eureka/apps/${legacyName.toUpperCase()}`, {
      instance: {
        instanceId: `${legacyName}-1`,
        hostName: '127.0.0.1',
        app: legacyName.toUpperCase(),
        ipAddr: '127.0.0.1',
        status: 'UP',
        port: { $: port, '@enabled': 'true' },
        securePort: { $: 443, '@enabled': 'false' },
        dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
        leaseInfo: { renewalIntervalInSecs: 30, durationInSecs: 90 },
      },
    });
    expect(registeredThroughEureka.status).toBe(204);

    const caller = await start(echoService(uniqueName('caller').replaceAll('_', '-')), 'caller-1');
    const answer = await caller.context.client(legacyName).get('/whoami', { response: WhoAmI });
    expect(answer.instanceId).toBe(`${legacyName}-1`);
  });
});
