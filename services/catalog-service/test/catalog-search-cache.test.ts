import { asService, startTestService, uniqueName } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import catalogService from '../src/index.ts';
import {
  call,
  createCategory,
  createProduct,
  names,
  type Pair,
  productBody,
  search,
  startPair,
  until,
} from './support.ts';

/**
 * Repeated searches come from the cache, and follow every change to the read model. A second catalog
 * instance shares the first one's database but hears no event (a bus of its own): what it answers
 * can only change because the first instance's changes advance the shared generation.
 */
describe('catalog search cache', () => {
  let pair: Pair;
  let p: string;
  let c: string;
  let reader: Awaited<ReturnType<typeof startTestService>>;
  let leaf = 0;

  const cacheHits = async (base: string) => {
    const text = await (await fetch(`${base}/metrics`, { headers: asService() })).text();
    return Number(/^catalog_search_cache_total\{result="hit"[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
  };

  beforeAll(async () => {
    pair = await startPair();
    p = pair.product.url;
    c = pair.catalog.url;
    reader = await startTestService(catalogService, {
      config: {
        database: { name: pair.catalog.context.config.string('database.name') },
        bus: { database: uniqueName('t_bus') },
        discovery: { mode: 'static', static: { 'product-service': p } },
      },
    });
    leaf = await createCategory(p, '니트', await createCategory(p, '상의'));
  });
  afterAll(async () => {
    await reader?.stop();
    await pair?.stop();
  });

  it('answers a repeated search from the cache, with the same page', async () => {
    await createProduct(p, productBody('cache-1', leaf, { name: '캐시 울 니트' }));
    const q = `q=${encodeURIComponent('캐시')}`;
    const first = await until(
      () => search(reader.url, q),
      (page) => page.totalElements === 1,
    );
    // The product's events may still be arriving (each one a change): asked again until one is a hit.
    const hits = await cacheHits(reader.url);
    const [again] = await until(
      async () => [await search(reader.url, q), await cacheHits(reader.url)] as const,
      ([, now]) => now > hits,
    );
    expect(again).toEqual(first);
  });

  it('follows product changes applied by another instance, and on the instance that applied them', async () => {
    const body = productBody('cache-2', leaf, { name: '캐시 캐시미어 니트' });
    const created = await createProduct(p, body);
    const q = `q=${encodeURIComponent('캐시미어')}`;
    for (const base of [reader.url, c])
      await until(
        () => search(base, q),
        (page) => page.totalElements === 1,
      );
    // Cached on both now; a rename must reach both (the reader hears no event itself).
    await call(p, 'PUT', `/api/admin/products/${created.id}`, {
      body: { ...body, name: '캐시미어 라운드 니트' },
    });
    for (const base of [reader.url, c])
      await until(
        () => search(base, q),
        (page) => names(page)[0] === '캐시미어 라운드 니트',
      );
    // Hidden: gone from the cached page too.
    await call(p, 'PUT', `/api/admin/products/${created.id}`, {
      body: { ...body, name: '캐시미어 라운드 니트', displayed: false },
    });
    for (const base of [reader.url, c])
      await until(
        () => search(base, q),
        (page) => page.totalElements === 0,
      );
  });

  it('follows keyword changes, which change what a search finds', async () => {
    const created = await createProduct(p, productBody('cache-3', leaf, { name: '가디건 니트' }));
    await until(
      () => search(c, `q=${encodeURIComponent('가디건')}`),
      (page) => page.totalElements === 1,
    );
    const q = `q=${encodeURIComponent('겨울신상')}`;
    expect((await search(reader.url, q)).totalElements).toBe(0);
    expect((await search(reader.url, q)).totalElements).toBe(0);
    await call(p, 'POST', `/api/admin/products/${created.id}/keywords`, { body: { keyword: '겨울신상' } });
    expect(
      names(
        await until(
          () => search(reader.url, q),
          (page) => page.totalElements === 1,
        ),
      ),
    ).toEqual(['가디건 니트']);
  });
});
