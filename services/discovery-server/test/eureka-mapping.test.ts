import { describe, expect, it } from 'vitest';
import {
  fromEurekaInstance,
  reconcileHashCode,
  toEurekaApplications,
  toEurekaDelta,
  toEurekaInstance,
} from '../src/domain/eureka.ts';
import { Registry } from '../src/domain/registry.ts';
import { toXml } from '../src/routes/eureka-xml.ts';

/** What Spring Cloud Netflix's Eureka client sends when user-service registers. */
const springInstance = {
  instanceId: '192.168.0.7:user-service:8082',
  hostName: '192.168.0.7',
  app: 'USER-SERVICE',
  ipAddr: '192.168.0.7',
  status: 'UP' as const,
  overriddenstatus: 'UNKNOWN',
  port: { $: 8082, '@enabled': 'true' },
  securePort: { $: 443, '@enabled': 'false' },
  countryId: 1,
  dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
  leaseInfo: { renewalIntervalInSecs: 30, durationInSecs: 90 },
  metadata: { '@class': 'java.util.Collections$EmptyMap', 'management.port': 8082 },
  homePageUrl: 'http://192.168.0.7:8082/',
  statusPageUrl: 'http://192.168.0.7:8082/actuator/info',
  healthCheckUrl: 'http://192.168.0.7:8082/actuator/health',
  vipAddress: 'user-service',
  secureVipAddress: 'user-service',
};

describe('Eureka mapping (domain)', () => {
  it('maps a Spring Eureka registration to ours: url from host and port, lease in ms, plain metadata', () => {
    const parsed = fromEurekaInstance('USER-SERVICE', springInstance, 15_000);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.registration).toMatchObject({
      app: 'USER-SERVICE',
      instanceId: '192.168.0.7:user-service:8082',
      url: 'http://192.168.0.7:8082',
      status: 'UP',
      metadata: { 'management.port': '8082' },
      leaseDurationMs: 90_000,
      details: { renewalIntervalMs: 30_000, healthCheckUrl: 'http://192.168.0.7:8082/actuator/health' },
    });
  });

  it('prefers the secure port when enabled, and falls back to homePageUrl without a port', () => {
    const secure = fromEurekaInstance(
      'a',
      { hostName: 'a.local', port: 80, securePort: { $: '8443', '@enabled': true } },
      1_000,
    );
    expect(secure.ok && secure.registration.url).toBe('https://a.local:8443');
    const home = fromEurekaInstance('a', { instanceId: 'a1', homePageUrl: 'http://10.0.0.1:9000/' }, 1_000);
    expect(home.ok && home.registration).toMatchObject({
      url: 'http://10.0.0.1:9000',
      leaseDurationMs: 1_000,
      status: 'UP',
    });
    const ipv6 = fromEurekaInstance('a', { ipAddr: '::1', port: 8080 }, 1_000);
    expect(ipv6.ok && ipv6.registration).toMatchObject({ url: 'http://[::1]:8080', instanceId: '::1' });
  });

  it('keeps UNKNOWN instances out of load balancing as STARTING', () => {
    const parsed = fromEurekaInstance('a', { hostName: 'h', port: 1, status: 'UNKNOWN' }, 1_000);
    expect(parsed.ok && parsed.registration.status).toBe('STARTING');
  });

  it('rejects registrations with no address, no id, or another app in the body', () => {
    const parsed = fromEurekaInstance(
      'order-service',
      { app: 'USER-SERVICE', port: { $: 8082, '@enabled': 'false' } },
      1_000,
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((e) => e.field).sort()).toEqual([
      'instance',
      'instance.app',
      'instance.instanceId',
    ]);
  });

  it('shows instances the way Eureka does', () => {
    let now = 1_700_000_000_000;
    const registry = new Registry(() => now);
    registry.register({
      app: 'user-service',
      instanceId: 'u1',
      url: 'http://127.0.0.1:8082',
      leaseDurationMs: 15_000,
      metadata: { k: 'v' },
    });
    now += 5_000;
    registry.renew('user-service', 'u1');
    const shown = toEurekaInstance(registry.get('user-service', 'u1')!);
    expect(shown).toMatchObject({
      instanceId: 'u1',
      hostName: '127.0.0.1',
      app: 'USER-SERVICE',
      ipAddr: '127.0.0.1',
      status: 'UP',
      port: { $: 8082, '@enabled': 'true' },
      securePort: { '@enabled': 'false' },
      homePageUrl: 'http://127.0.0.1:8082/',
      healthCheckUrl: 'http://127.0.0.1:8082/health/ready',
      vipAddress: 'user-service',
      metadata: { k: 'v' },
      leaseInfo: {
        durationInSecs: 15,
        renewalIntervalInSecs: 5,
        registrationTimestamp: 1_700_000_000_000,
        lastRenewalTimestamp: 1_700_000_005_000,
      },
    });
    const https = new Registry(() => now);
    https.register({ app: 'x', instanceId: 'x1', url: 'https://x.example', leaseDurationMs: 1_000 });
    expect(toEurekaInstance(https.get('x', 'x1')!)).toMatchObject({
      port: { '@enabled': 'false' },
      securePort: { $: 443, '@enabled': 'true' },
    });
  });

  it('computes the reconcile hash from status counts in status-name order', () => {
    const registry = new Registry(() => 0);
    expect(reconcileHashCode(registry.applications())).toBe('');
    registry.register({ app: 'a', instanceId: '1', url: 'http://h:1', leaseDurationMs: 1_000 });
    registry.register({ app: 'b', instanceId: '2', url: 'http://h:2', leaseDurationMs: 1_000 });
    registry.register({
      app: 'b',
      instanceId: '3',
      url: 'http://h:3',
      leaseDurationMs: 1_000,
      status: 'DOWN',
    });
    registry.register({
      app: 'b',
      instanceId: '4',
      url: 'http://h:4',
      leaseDurationMs: 1_000,
      status: 'OUT_OF_SERVICE',
    });
    expect(reconcileHashCode(registry.applications())).toBe('DOWN_1_OUT_OF_SERVICE_1_UP_2_');
    const apps = toEurekaApplications(registry.applications());
    expect(apps.applications.application.map((a) => [a.name, a.instance.length])).toEqual([
      ['A', 1],
      ['B', 3],
    ]);
  });

  it('keeps the changes of the retention window, in order, for the delta', () => {
    let now = 0;
    const registry = new Registry(
      () => now,
      () => 60_000,
    );
    registry.register({ app: 'a', instanceId: '1', url: 'http://h:1', leaseDurationMs: 90_000 });
    now = 10_000;
    registry.register({ app: 'b', instanceId: '2', url: 'http://h:2', leaseDurationMs: 90_000 });
    registry.renew('b', '2'); // a heartbeat changes nothing a client sees
    registry.setStatus('b', '2', 'UP'); // nor does the same status
    registry.setStatus('b', '2', 'DOWN');
    // Restarted at a new address under the same id: the old address goes, the new one comes.
    registry.register({ app: 'b', instanceId: '2', url: 'http://h:22', leaseDurationMs: 90_000 });
    registry.cancel('a', '1');
    const changes = () =>
      registry.recentChanges().map((c) => [c.action, c.instance.app, c.instance.url, c.instance.status]);
    expect(changes()).toEqual([
      ['ADDED', 'a', 'http://h:1', 'UP'],
      ['ADDED', 'b', 'http://h:2', 'UP'],
      ['MODIFIED', 'b', 'http://h:2', 'DOWN'],
      ['DELETED', 'b', 'http://h:2', 'DOWN'],
      ['ADDED', 'b', 'http://h:22', 'UP'],
      ['DELETED', 'a', 'http://h:1', 'UP'],
    ]);
    now = 60_001;
    expect(changes()).toHaveLength(5);
    now = 70_001;
    expect(changes()).toEqual([]);

    now = 80_000;
    registry.setStatus('b', '2', 'OUT_OF_SERVICE');
    const delta = toEurekaDelta(registry.applications(), registry.recentChanges()).applications;
    expect(delta.apps__hashcode).toBe('OUT_OF_SERVICE_1_');
    expect(delta.application).toEqual([
      {
        name: 'B',
        instance: [expect.objectContaining({ actionType: 'MODIFIED', status: 'OUT_OF_SERVICE' })],
      },
    ]);
  });

  it('writes Eureka XML: attributes from @keys, text from $, repeated elements, everything escaped', () => {
    const xml = toXml({
      application: {
        name: 'A<B',
        instance: [
          { port: { $: 8082, '@enabled': 'true' }, metadata: { 'zone.name': 'x&y', 'bad key': 'dropped' } },
          { port: { $: 9, '@enabled': 'false' } },
        ],
      },
    });
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<application><name>A&lt;B</name>' +
        '<instance><port enabled="true">8082</port><metadata><zone.name>x&amp;y</zone.name></metadata></instance>' +
        '<instance><port enabled="false">9</port></instance>' +
        '</application>',
    );
  });
});
