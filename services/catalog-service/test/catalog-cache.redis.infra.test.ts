import { infra, uniqueName } from '@sagamart/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { call, createCategory, createProduct, type Pair, productBody, startPair, until } from './support.ts';

describe.runIf(infra.enabled && infra.available('redis'))('catalog detail cache on Redis', () => {
  let pair: Pair;
  let redis: Redis;
  const prefix = `${uniqueName('test')}:detail:`;

  beforeAll(async () => {
    pair = await startPair({
      catalog: {
        redis: { url: infra.redisUrl },
        catalog: { cache: { ttlSeconds: 3_600, redisPrefix: prefix } },
      },
    });
    redis = new Redis(infra.redisUrl);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await pair.stop();
  });

  it('caches details in Redis and drops them when events change the product', async () => {
    const p = pair.product.url;
    const c = pair.catalog.url;
    const leaf = await createCategory(p, '모자', await createCategory(p, '소품'));
    const body = productBody('redis-1', leaf, { name: '레디스 볼캡' });
    const created = await createProduct(p, body);
    const detail = () => call(c, 'GET', `/api/catalog/products/${created.id}`, { headers: {} });
    await until(detail, (r) => r.status === 200);
    await until(
      () => redis.get(`${prefix}${created.id}`),
      (raw) => raw !== null && JSON.parse(raw).name === '레디스 볼캡',
    );

    await call(p, 'PUT', `/api/admin/products/${created.id}`, { body: { ...body, name: '레디스 볼캡 2' } });
    await until(detail, (r) => r.body.name === '레디스 볼캡 2');
    // The cache drops the entry once more shortly after a change (a read racing the event may have
    // refilled it), so the next read fills it again: read until Redis holds the new name.
    await until(
      async () => {
        await detail();
        return redis.get(`${prefix}${created.id}`);
      },
      (raw) => raw !== null && JSON.parse(raw).name === '레디스 볼캡 2',
    );
  });
});
