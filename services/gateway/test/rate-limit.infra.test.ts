import type { Service } from '@sagamart/kit';
import { infra, uniqueName } from '@sagamart/testkit';
import { Redis } from 'ioredis';
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

describe.skipIf(!infra.enabled)('gateway rate limits in Redis', () => {
  const discovery = new TestDiscovery();
  const keyPrefix = `${uniqueName('t_gw')}:`;
  let auth: FakeAuth;
  let catalog: Service<unknown>;
  let first: Service<unknown>;
  let second: Service<unknown>;
  let redis: Redis;

  beforeAll(async () => {
    [auth, catalog] = await Promise.all([startFakeAuth(), startEcho('catalog-service', 'catalog-1')]);
    discovery.set('auth-service', auth.service.url);
    discovery.set('catalog-service', catalog.url);
    const settings = {
      rateLimitKeyPrefix: keyPrefix,
      rateLimits: {
        default: { capacity: 1000, refillPerSecond: 1000 },
        tight: { capacity: 2, refillPerSecond: 0.01 },
      },
      routes: [
        { id: 'limited', path: '/api/limited', service: 'catalog-service', role: 'NONE', rateLimit: 'tight' },
      ],
    };
    // Two gateways on one Redis: the limits are the platform's, not each instance's.
    [first, second] = await Promise.all([
      startGateway(discovery, settings, { redis: { url: infra.redisUrl } }),
      startGateway(discovery, settings, { redis: { url: infra.redisUrl } }),
    ]);
    redis = new Redis(infra.redisUrl);
  });

  afterAll(async () => {
    await stopAll([first, second, auth?.service, catalog]);
    if (redis) {
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    }
  });

  it('shares each caller’s bucket across gateways and answers 429 with Retry-After', async () => {
    const token = await auth.sign({ sub: 'redis-user-1' });
    expect((await fetch(`${first.url}/api/limited/a`, { headers: bearer(token) })).status).toBe(200);
    expect((await fetch(`${second.url}/api/limited/a`, { headers: bearer(token) })).status).toBe(200);
    const refused = await fetch(`${first.url}/api/limited/a`, { headers: bearer(token) });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await fetch(`${second.url}/api/limited/a`, { headers: bearer(token) })).status).toBe(429);

    const other = await auth.sign({ sub: 'redis-user-2' });
    expect((await fetch(`${second.url}/api/limited/a`, { headers: bearer(other) })).status).toBe(200);
  });

  it('keeps buckets in keys that expire', async () => {
    const token = await auth.sign({ sub: 'redis-user-ttl' });
    expect((await fetch(`${first.url}/api/limited/a`, { headers: bearer(token) })).status).toBe(200);
    const key = `${keyPrefix}tight/2/0.01:user:redis-user-ttl`;
    expect(await redis.hget(key, 'tokens')).toBe('1');
    expect(await redis.pttl(key)).toBeGreaterThan(0);
  });
});
