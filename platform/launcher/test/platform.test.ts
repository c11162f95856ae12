import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, freePort } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startPlatform } from '../src/index.ts';

// The whole platform as `npm start` runs it: embedded PostgreSQL and one process per service,
// shifted by a port offset so it can run beside a developer's own `npm start`.
describe('launcher: the whole platform, one process per service', () => {
  let platform: Platform;
  let dataDir: string;
  const leaseMs = 3_000;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sagamart-launcher-'));
    platform = await startPlatform({
      dataDir,
      quiet: true,
      postgresPort: await freePort(),
      portOffset: Number(process.env.SAGAMART_PLATFORM_TEST_PORT_OFFSET ?? 20_000),
      env: {
        LOG_LEVEL: 'warn',
        DISCOVERY_LEASEMS: String(leaseMs),
        DISCOVERY_HEARTBEATMS: '1000',
        DISCOVERY_FETCHMS: '1000',
        REGISTRY_EVICTIONINTERVALMS: '250',
        GATEWAY_BREAKER_HALFOPENAFTERMS: '1000',
      },
    });
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
  }, 60_000);

  it('brings every service up behind the gateway', async () => {
    expect((await fetch(`${platform.gatewayUrl}/health/ready`)).status).toBe(200);
    const asPlatform = { headers: { authorization: platform.platformAuthorization } };
    const registry = (await (
      await fetch(`${platform.discoveryUrl}/api/registry/apps`, asPlatform)
    ).json()) as {
      applications: Array<{ name: string; instances: Array<{ status: string }> }>;
    };
    const names = registry.applications.map((a) => a.name);
    for (const s of platform.services().filter((s) => s.name !== 'discovery-server')) {
      expect(names).toContain(s.name);
    }
    for (const s of platform.services()) {
      expect(s.pid).toBeGreaterThan(0);
      expect(s.pid).not.toBe(process.pid);
    }
  });

  it('keeps the generated deployment credentials in the data folder, readable by the owner only', async () => {
    const { readFile, stat } = await import('node:fs/promises');
    const file = join(dataDir, 'credentials.json');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(platform.login);
    expect((await stat(file)).mode & 0o077).toBe(0);
  });

  it('serves Spring-shaped configuration', async () => {
    expect((await fetch(`${platform.configUrl}/gateway/default`)).status).toBe(401);
    const env = (await (
      await fetch(`${platform.configUrl}/gateway/default`, {
        headers: { authorization: platform.platformAuthorization },
      })
    ).json()) as {
      name: string;
      profiles: string[];
      propertySources: Array<{ name: string; source: Record<string, unknown> }>;
    };
    expect(env.name).toBe('gateway');
    expect(env.profiles).toEqual(['default']);
    expect(env.propertySources.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('gateway.yml'),
        expect.stringContaining('application.yml'),
      ]),
    );
    expect(Object.keys(env.propertySources[0]!.source)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^gateway\./)]),
    );
  });

  it('drops a killed service, answers 503 for its routes, and recovers when it is back', async () => {
    const victim = 'auth-service';
    const route = `${platform.gatewayUrl}/api/auth/.well-known/jwks.json`;
    expect((await fetch(route)).status).toBe(200);

    platform.process(victim)!.child.kill('SIGKILL');

    const unavailable = await eventually(async () => {
      const res = await fetch(route);
      return res.status === 503 ? res : undefined;
    });
    expect(unavailable.headers.get('content-type')).toContain('application/problem+json');
    expect(((await unavailable.json()) as { detail: string }).detail).toContain(victim);

    // The registry evicts the silent instance within its lease (plus the eviction sweep).
    await eventually(async () => {
      const res = await fetch(`${platform.discoveryUrl}/api/registry/apps`, {
        headers: { authorization: platform.platformAuthorization },
      });
      const body = (await res.json()) as { applications: Array<{ name: string; instances: unknown[] }> };
      return !body.applications.some((a) => a.name === victim && a.instances.length > 0);
    }, leaseMs + 5_000);

    await platform.restart(victim);
    await eventually(async () => (await fetch(route)).status === 200, 15_000);
  }, 60_000);
});
