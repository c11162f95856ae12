import { READ_MODEL_GENERATION_HEADER } from '@sagamart/contracts';
import type { Service } from '@sagamart/kit';
import {
  eventually,
  metricValue,
  pgServerUrl,
  scrapeMetrics,
  startTestService,
  type TcpProxy,
  tcpProxy,
} from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import catalogService from '../src/index.ts';
import { call, createCategory, createProduct, type Pair, productBody, startPair, until } from './support.ts';

/**
 * Two catalog instances on one read model and one bus, with in-process detail caches. The second one's
 * connections to PostgreSQL (its database and the bus) go through a proxy the test cuts: while it is
 * cut, the first applies a change and broadcasts the invalidation and the new generation, which the
 * second never hears. A long TTL and heartbeat: only its catching up once the connection is back can
 * make the second instance show the change soon.
 */
describe('a catalog instance whose bus connection was down', () => {
  const settings = {
    catalog: { cache: { ttlSeconds: 3_600, redeleteMs: 100 }, generation: { heartbeatMs: 600_000 } },
  };
  let pair: Pair;
  let proxy: TcpProxy;
  let second: Service<unknown>;
  let leaf: number;

  beforeAll(async () => {
    pair = await startPair({ catalog: settings });
    proxy = await tcpProxy(pgServerUrl());
    second = await startTestService(catalogService, {
      config: {
        ...settings,
        database: { url: proxy.url, name: pair.catalog.context.config.string('database.name') },
        bus: { database: pair.bus, pollMs: 200 },
        events: { baseDelayMs: 20, maxDelayMs: 200 },
        discovery: { mode: 'static', static: { 'product-service': pair.product.url } },
      },
    });
    leaf = await createCategory(pair.product.url, '모자', await createCategory(pair.product.url, '잡화'));
  });
  afterAll(async () => {
    await second?.stop();
    await proxy?.close();
    await pair?.stop();
  });

  const detail = (base: string, id: number) =>
    call(base, 'GET', `/api/catalog/products/${id}`, { headers: {} });
  const noRedeletesPending = (base: string) =>
    until(
      () => scrapeMetrics(base),
      (text) => metricValue(text, 'catalog_detail_cache_redeletes_pending') === 0,
    );

  it('drops its cached details and catches up on the generation once the connection is back', async () => {
    const body = productBody('outage-1', leaf, { name: '버킷햇' });
    const created = await createProduct(pair.product.url, body);
    for (const base of [pair.catalog.url, second.url])
      await until(
        () => detail(base, created.id),
        (r) => r.status === 200 && r.body.name === '버킷햇',
      );
    // Every invalidation of the product's creation has passed; the second instance keeps its detail now.
    for (const base of [pair.catalog.url, second.url]) await noRedeletesPending(base);
    expect((await detail(second.url, created.id)).body.name).toBe('버킷햇');
    const transport = second.context.transport!;
    await eventually(() => transport.listening());

    proxy.down();
    await eventually(() => !transport.listening());
    await call(pair.product.url, 'PUT', `/api/admin/products/${created.id}`, {
      body: { ...body, name: '볼캡' },
    });
    await until(
      () => detail(pair.catalog.url, created.id),
      (r) => r.body.name === '볼캡',
    );
    // Its re-delete may advance the generation once more: read it once that has run.
    await noRedeletesPending(pair.catalog.url);
    const generation = Number(
      (await detail(pair.catalog.url, created.id)).headers.get(READ_MODEL_GENERATION_HEADER),
    );
    // From its cache (its database is cut off too): the invalidation did not reach it.
    const stale = await detail(second.url, created.id);
    expect(stale.body.name).toBe('버킷햇');
    expect(Number(stale.headers.get(READ_MODEL_GENERATION_HEADER))).toBeLessThan(generation);
    proxy.up();

    await eventually(() => transport.listening(), 20_000);
    // Read once the re-delete that follows dropping everything has run: finding a detail read since, it
    // would advance the generation itself, and the generation would prove nothing.
    await noRedeletesPending(second.url);
    const fresh = await until(
      () => detail(second.url, created.id),
      (r) => r.status === 200 && Number(r.headers.get(READ_MODEL_GENERATION_HEADER)) >= generation,
    );
    expect(fresh.body.name).toBe('볼캡');
  });
});
