import { randomUUID } from 'node:crypto';
import { databaseUrl, HEADER, openDatabase, PostgresTransport, sql } from '@sagamart/kit';
import { asService, holdLocks, pgServerUrl, waitForLockWaiters } from '@sagamart/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ADMIN,
  call,
  createCategory,
  createProduct,
  names,
  type Pair,
  productBody,
  SHOPPER,
  search,
  startPair,
  until,
} from './support.ts';

describe('catalog rebuild', () => {
  let pair: Pair | undefined;
  afterEach(async () => {
    await pair?.stop();
    pair = undefined;
  });

  const rebuildAndWait = async (c: string) => {
    const started = await call(c, 'POST', '/api/admin/catalog/rebuild', { headers: ADMIN });
    expect(started.status).toBe(202);
    expect(started.body.state).toBe('RUNNING');
    const done = await until(
      () => call(c, 'GET', '/api/admin/catalog/rebuild', { headers: ADMIN }),
      (r) => r.body.id === started.body.id && r.body.state !== 'RUNNING',
      60_000,
    );
    expect(done.body).toMatchObject({ state: 'SUCCEEDED', error: null });
    return done.body;
  };

  it('rebuilds the read model from product-service, answering searches throughout', async () => {
    // The catalog listens on another bus: it learns nothing by events, only by the rebuild.
    pair = await startPair({ sharedBus: false, catalog: { catalog: { rebuild: { pageSize: 7 } } } });
    const p = pair.product.url;
    const c = pair.catalog.url;
    const top = await createCategory(p, '상의');
    const leaf = await createCategory(p, '후드 티셔츠', top);
    await createCategory(p, '숨김', null, { displayed: false });
    for (let i = 1; i <= 20; i++)
      await createProduct(p, productBody(`rb-${i}`, leaf, { name: `리빌드 후드티 ${i}` }));
    const hidden = await createProduct(
      p,
      productBody('rb-hidden', leaf, { name: '리빌드 숨김', displayed: false }),
    );
    const withKeyword = await createProduct(p, productBody('rb-kw', leaf, { name: '키워드 상품' }));
    await call(p, 'POST', `/api/admin/products/${withKeyword.id}/keywords`, {
      body: { keyword: '스웻후디' },
    });
    const stocked = await createProduct(p, productBody('rb-stock', leaf, { name: '재고 상품' }));
    await call(p, 'POST', `/api/admin/products/${stocked.id}/skus/${stocked.skus[0].id}/stock-adjustments`, {
      body: { type: 'ADJUST', quantity: -10, reason: '폐기' },
    });

    expect((await search(c)).totalElements).toBe(0);
    expect((await call(c, 'POST', '/api/admin/catalog/rebuild', { headers: SHOPPER })).status).toBe(403);
    expect((await call(c, 'GET', '/api/admin/catalog/rebuild', { headers: ADMIN })).status).toBe(404);

    // Searches keep answering while the rebuild runs and swaps.
    let searching = true;
    const statuses: number[] = [];
    const load = (async () => {
      while (searching)
        statuses.push(
          (await call(c, 'GET', `/api/catalog/products?q=${encodeURIComponent('후드티')}`, { headers: {} }))
            .status,
        );
    })();
    const run = await rebuildAndWait(c);
    searching = false;
    await load;
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set([200]));

    expect(run).toMatchObject({ products: 23, categories: 3 });
    expect((await search(c, 'size=100')).totalElements).toBe(22);
    expect((await search(c, `q=${encodeURIComponent('후드티')}&size=100`)).totalElements).toBe(20);
    expect(names(await search(c, `q=${encodeURIComponent('스웻후디')}`))).toEqual(['키워드 상품']);
    expect((await call(c, 'GET', `/api/catalog/products/${hidden.id}`, { headers: {} })).status).toBe(404);
    const stock = (await call(c, 'GET', `/api/catalog/products/${stocked.id}`, { headers: {} })).body.skus[0];
    expect(stock).toMatchObject({ stock: 0, status: 'SOLD_OUT' });
    const tree = (await call(c, 'GET', '/api/catalog/categories/tree', { headers: {} })).body;
    expect(tree.map((x: { name: string }) => x.name)).toEqual(['상의']);
  });

  it('keeps what events delivered and serves fresh details after a rebuild', async () => {
    pair = await startPair();
    const p = pair.product.url;
    const c = pair.catalog.url;
    const leaf = await createCategory(p, '가방', await createCategory(p, '잡화'));
    const bag = await createProduct(p, productBody('rb-bag', leaf, { name: '데일리 백팩' }));
    await call(p, 'POST', `/api/admin/products/${bag.id}/keywords`, { body: { keyword: '책가방' } });
    await until(
      () => search(c, `q=${encodeURIComponent('책가방')}`),
      (page) => page.totalElements === 1,
    );
    // The categories' events too (they travel apart from the product's): the detail names its path.
    const before = (
      await until(
        () => call(c, 'GET', `/api/catalog/products/${bag.id}`, { headers: {} }),
        (r) => r.body.breadcrumb?.length === 2,
      )
    ).body;

    await rebuildAndWait(c);
    const after = (await call(c, 'GET', `/api/catalog/products/${bag.id}`, { headers: {} })).body;
    expect(after).toEqual(before);
    expect(names(await search(c, `q=${encodeURIComponent('책가방')}`))).toEqual(['데일리 백팩']);

    // Events keep flowing into the swapped-in tables.
    const body = productBody('rb-bag', leaf, { name: '데일리 백팩 2' });
    await call(p, 'PUT', `/api/admin/products/${bag.id}`, { body });
    await until(
      () => call(c, 'GET', `/api/catalog/products/${bag.id}`, { headers: {} }),
      (r) => r.body.name === '데일리 백팩 2',
    );
    // A second rebuild works on the renamed tables too.
    await rebuildAndWait(c);
    expect(names(await search(c, `q=${encodeURIComponent('책가방')}`))).toEqual(['데일리 백팩 2']);
  });

  it('never replaces newer data the live tables hold with an older full-sync read', async () => {
    pair = await startPair();
    const p = pair.product.url;
    const c = pair.catalog.url;
    const leaf = await createCategory(p, '모자', await createCategory(p, '소품'));
    const cap = await createProduct(p, productBody('rb-cap', leaf, { name: '볼캡' }));
    await until(
      () => call(c, 'GET', `/api/catalog/products/${cap.id}`, { headers: {} }),
      (r) => r.status === 200,
    );
    // A newer version than product-service will return in the sync (as if its event beat the read).
    const snapshot = (await call(p, 'GET', `/internal/products/${cap.id}`, { headers: asService() })).body;
    const bus = new PostgresTransport({ url: databaseUrl(pgServerUrl(), pair.bus) });
    const id = randomUUID();
    const newer = { ...snapshot, version: snapshot.version + 10, name: '이벤트가 더 최신' };
    newer.skus = newer.skus.map((s: { stockVersion: number }) => ({
      ...s,
      stock: 1,
      stockVersion: s.stockVersion + 10,
    }));
    await bus.publish([
      {
        id,
        topic: 'product.updated',
        headers: {
          [HEADER.messageId]: id,
          [HEADER.event]: 'product.updated',
          [HEADER.version]: '1',
          [HEADER.occurredAt]: new Date().toISOString(),
        },
        payload: newer,
      },
    ]);
    await bus.close();
    await until(
      () => call(c, 'GET', `/api/catalog/products/${cap.id}`, { headers: {} }),
      (r) => r.body.name === '이벤트가 더 최신',
    );

    await rebuildAndWait(c);
    const after = (await call(c, 'GET', `/api/catalog/products/${cap.id}`, { headers: {} })).body;
    expect(after.name).toBe('이벤트가 더 최신');
    expect(after.skus.every((s: { stock: number }) => s.stock === 1)).toBe(true);
  });

  it('runs statements longer than the service’s statement bound: the swap waits for a writer past it', async () => {
    // A bound far below what a big catalog's statements take (a merge or a VACUUM over every row);
    // here the swap's lock waits behind a writer for twice as long.
    const BOUND_MS = 1_500;
    pair = await startPair({ sharedBus: false, catalog: { database: { queryTimeoutMs: BOUND_MS } } });
    const p = pair.product.url;
    const c = pair.catalog.url;
    const leaf = await createCategory(p, '양말', await createCategory(p, '잡화'));
    await createProduct(p, productBody('rb-sock', leaf, { name: '긴 양말' }));
    const opened = openDatabase(
      databaseUrl(pgServerUrl(), pair.catalog.context.config.string('database.name')),
      { max: 2, queryTimeoutMs: 0 },
    );
    try {
      // A writer of the live products (an event's transaction, say) holding on.
      const writer = await holdLocks(opened.db, (trx) =>
        sql`lock table catalog_products in row exclusive mode`.execute(trx),
      );
      const started = await call(c, 'POST', '/api/admin/catalog/rebuild', { headers: ADMIN });
      expect(started.status).toBe(202);
      await waitForLockWaiters(opened.db, 1, 30_000);
      await new Promise((resolve) => setTimeout(resolve, 2 * BOUND_MS));
      await writer.release();
      const done = await until(
        () => call(c, 'GET', '/api/admin/catalog/rebuild', { headers: ADMIN }),
        (r) => r.body.id === started.body.id && r.body.state !== 'RUNNING',
        30_000,
      );
      expect(done.body).toMatchObject({ state: 'SUCCEEDED', error: null, products: 1 });
      expect(names(await search(c, `q=${encodeURIComponent('양말')}`))).toEqual(['긴 양말']);
    } finally {
      await opened.close();
    }
  });
});
