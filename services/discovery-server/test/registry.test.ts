import { describe, expect, it } from 'vitest';
import { Registry } from '../src/domain/registry.ts';

function fixture() {
  let now = 1_000_000;
  const registry = new Registry(() => now);
  return {
    registry,
    advance: (ms: number) => {
      now += ms;
      return now;
    },
    now: () => now,
  };
}

const user = (instanceId: string, leaseDurationMs = 15_000) => ({
  app: 'user-service',
  instanceId,
  url: `http://127.0.0.1:80${instanceId.slice(-2)}`,
  leaseDurationMs,
});

describe('registry (domain)', () => {
  it('registers instances as UP with both timestamps at registration time', () => {
    const { registry, now } = fixture();
    const { instance, replaced } = registry.register({ ...user('u-01'), metadata: { zone: 'a' } });
    expect(replaced).toBe(false);
    expect(instance).toMatchObject({ app: 'user-service', status: 'UP', metadata: { zone: 'a' } });
    expect(instance.registeredAt).toBe(now());
    expect(instance.lastHeartbeatAt).toBe(now());
    expect(registry.application('user-service')?.instances.map((i) => i.instanceId)).toEqual(['u-01']);
  });

  it('looks apps up case-insensitively and stores them lower-case', () => {
    const { registry } = fixture();
    registry.register({ ...user('u-01'), app: 'USER-SERVICE' });
    expect(registry.application('user-service')?.name).toBe('user-service');
    expect(registry.get('User-Service', 'u-01')?.app).toBe('user-service');
    expect(registry.renew('USER-service', 'u-01')).toBeDefined();
  });

  it('replaces an instance registered again under the same id', () => {
    const { registry, advance } = fixture();
    registry.register(user('u-01'));
    advance(500);
    const { instance, replaced } = registry.register({
      ...user('u-01'),
      url: 'http://127.0.0.1:9999',
      status: 'STARTING',
    });
    expect(replaced).toBe(true);
    expect(registry.size).toBe(1);
    expect(registry.get('user-service', 'u-01')).toEqual(instance);
    expect(instance).toMatchObject({ url: 'http://127.0.0.1:9999', status: 'STARTING' });
  });

  it('renews the lease on heartbeat and answers undefined for unknown instances', () => {
    const { registry, advance } = fixture();
    registry.register(user('u-01'));
    const at = advance(4_000);
    expect(registry.renew('user-service', 'u-01')?.lastHeartbeatAt).toBe(at);
    expect(registry.renew('user-service', 'nope')).toBeUndefined();
    expect(registry.renew('other-service', 'u-01')).toBeUndefined();
  });

  it('changes status without touching the lease', () => {
    const { registry, advance } = fixture();
    const { instance } = registry.register(user('u-01'));
    advance(1_000);
    const down = registry.setStatus('user-service', 'u-01', 'OUT_OF_SERVICE');
    expect(down?.status).toBe('OUT_OF_SERVICE');
    expect(down?.lastHeartbeatAt).toBe(instance.lastHeartbeatAt);
    expect(registry.setStatus('user-service', 'nope', 'DOWN')).toBeUndefined();
  });

  it('cancels instances and drops apps left empty', () => {
    const { registry } = fixture();
    registry.register(user('u-01'));
    registry.register(user('u-02'));
    expect(registry.cancel('user-service', 'u-01')?.instanceId).toBe('u-01');
    expect(registry.cancel('user-service', 'u-01')).toBeUndefined();
    expect(registry.application('user-service')?.instances).toHaveLength(1);
    registry.cancel('user-service', 'u-02');
    expect(registry.application('user-service')).toBeUndefined();
    expect(registry.applications()).toEqual([]);
  });

  it('evicts only instances silent for longer than their own lease', () => {
    const { registry, advance } = fixture();
    registry.register(user('u-01', 1_000));
    registry.register(user('u-02', 1_000));
    registry.register(user('u-03', 10_000));
    advance(600);
    registry.renew('user-service', 'u-02');
    // Exactly at the lease boundary nothing has expired yet.
    expect(registry.evict(registry.get('user-service', 'u-01')!.lastHeartbeatAt + 1_000)).toEqual([]);
    const evicted = registry.evict(advance(500));
    expect(evicted.map((i) => i.instanceId)).toEqual(['u-01']);
    expect(registry.application('user-service')?.instances.map((i) => i.instanceId)).toEqual([
      'u-02',
      'u-03',
    ]);
    expect(registry.evict(advance(1_000)).map((i) => i.instanceId)).toEqual(['u-02']);
    expect(registry.evict(advance(20_000)).map((i) => i.instanceId)).toEqual(['u-03']);
    expect(registry.size).toBe(0);
  });

  it('lists apps by name and instances by id, and counts them per status', () => {
    const { registry } = fixture();
    registry.register(user('u-02'));
    registry.register({ ...user('o-01'), app: 'order-service' });
    registry.register({ ...user('u-01'), status: 'DOWN' });
    registry.register(user('u-03'));
    expect(registry.applications().map((a) => [a.name, a.instances.map((i) => i.instanceId)])).toEqual([
      ['order-service', ['o-01']],
      ['user-service', ['u-01', 'u-02', 'u-03']],
    ]);
    expect(registry.counts()).toEqual([
      { app: 'order-service', status: 'UP', count: 1 },
      { app: 'user-service', status: 'UP', count: 2 },
      { app: 'user-service', status: 'DOWN', count: 1 },
    ]);
    expect(registry.findInstance('u-03')?.app).toBe('user-service');
    expect(registry.findInstance('nope')).toBeUndefined();
  });

  it('hands out snapshots: later changes do not alter instances already returned', () => {
    const { registry, advance } = fixture();
    const metadata = { zone: 'a' };
    const { instance } = registry.register({ ...user('u-01'), metadata });
    metadata.zone = 'b';
    advance(1_000);
    registry.renew('user-service', 'u-01');
    registry.setStatus('user-service', 'u-01', 'DOWN');
    expect(instance).toMatchObject({ status: 'UP', metadata: { zone: 'a' } });
    expect(instance.lastHeartbeatAt).toBe(instance.registeredAt);
  });
});
