import { readFileSync } from 'node:fs';
import { type ConfigTree, mergeConfig, type Service } from '@sagamart/kit';
import { metricValue, scrapeMetrics, startTestService } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import gateway from '../../gateway/src/index.ts';
import { call, createCategory, createProduct, type Pair, productBody, startPair, until } from './support.ts';

/** The platform's route table (config/gateway.yml): the catalog route is marked cacheable there. */
function platformRoutes(): ConfigTree[] {
  const file = new URL('../../../config/gateway.yml', import.meta.url);
  return (parse(readFileSync(file, 'utf8')) as { gateway: { routes: ConfigTree[] } }).gateway.routes;
}

/**
 * The gateway's response cache (ADR 0009) in front of the real catalog, on one transport: product
 * details are kept by the gateway, and a change applied by the catalog reaches shoppers through the
 * gateway as soon as the catalog's generation broadcast does. The catalog's heartbeat is off here, so
 * only the broadcast after the change can make the gateway fetch again.
 * `transport` is extra config for all three services (none: the PostgreSQL bus they share).
 */
export function gatewayCacheSuite(label: string, transport: () => ConfigTree = () => ({})) {
  describe(`catalog product detail through the gateway (${label})`, () => {
    let pair: Pair;
    let gw: Service<unknown>;
    let p: string;
    let leaf = 0;

    const cache = async (result: string) =>
      metricValue(await scrapeMetrics(gw), 'gateway_response_cache_total', { result }) ?? 0;
    // biome-ignore lint/suspicious/noExplicitAny: tests read the detail's JSON freely
    const detail = async (id: number): Promise<any> => {
      const res = await fetch(`${gw.url}/api/catalog/products/${id}`);
      return { status: res.status, body: res.status === 200 ? await res.json() : undefined };
    };

    beforeAll(async () => {
      const shared = transport();
      // No heartbeat within the test: only the broadcasts after each change can reach the gateway.
      const quiet = { catalog: { generation: { heartbeatMs: 600_000 } } };
      pair = await startPair({ catalog: mergeConfig(shared, quiet), product: shared });
      p = pair.product.url;
      gw = await startTestService(gateway, {
        config: mergeConfig(shared, {
          bus: { database: pair.bus, pollMs: 200 },
          discovery: { mode: 'static', static: { 'catalog-service': pair.catalog.url } },
          gateway: {
            routes: platformRoutes(),
            rateLimits: { default: { capacity: 1000, refillPerSecond: 1000 } },
            responseCache: { heardWithinMs: 600_000 },
          },
        }),
      });
      leaf = await createCategory(p, '니트', await createCategory(p, '상의'));
    });
    afterAll(async () => {
      await gw?.stop();
      await pair?.stop();
    });

    it('serves a repeated detail from the gateway, and a rename right after the catalog applied it', async () => {
      const body = productBody('gw-cache-1', leaf, { name: '게이트웨이 울 니트' });
      const created = await createProduct(p, body);
      const first = await until(
        () => detail(created.id),
        (d) => d.status === 200,
      );
      expect(first.body.name).toBe('게이트웨이 울 니트');
      // The product's own events may still be arriving (each a change): asked until one answer is kept.
      const hits = await cache('hit');
      await until(
        async () => [await detail(created.id), await cache('hit')] as const,
        ([, now]) => now > hits,
      );

      await call(p, 'PUT', `/api/admin/products/${created.id}`, {
        body: { ...body, name: '게이트웨이 캐시미어 니트' },
      });
      const renamed = await until(
        () => detail(created.id),
        (d) => d.body?.name === '게이트웨이 캐시미어 니트',
      );
      expect(renamed.body.id).toBe(created.id);
      // And kept again under the new generation (the rename's own events may still be arriving).
      const hitsAfter = await cache('hit');
      const [again] = await until(
        async () => [await detail(created.id), await cache('hit')] as const,
        ([, now]) => now > hitsAfter,
      );
      expect(again.body.name).toBe('게이트웨이 캐시미어 니트');
    });

    it('answers If-None-Match with 304 from the gateway, and a hidden product with 404', async () => {
      const body = productBody('gw-cache-2', leaf, { name: '게이트웨이 면 니트' });
      const created = await createProduct(p, body);
      await until(
        () => detail(created.id),
        (d) => d.status === 200,
      );
      const res = await fetch(`${gw.url}/api/catalog/products/${created.id}`);
      const etag = res.headers.get('etag')!;
      expect(res.headers.get('cache-control')).toBe('public, no-cache');
      const notModified = await fetch(`${gw.url}/api/catalog/products/${created.id}`, {
        headers: { 'if-none-match': etag },
      });
      expect(notModified.status).toBe(304);
      await call(p, 'PUT', `/api/admin/products/${created.id}`, { body: { ...body, displayed: false } });
      await until(
        () => detail(created.id),
        (d) => d.status === 404,
      );
    });
  });
}
