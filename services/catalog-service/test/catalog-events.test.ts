import { randomUUID } from 'node:crypto';
import type { ProductSnapshot } from '@sagamart/contracts';
import { databaseUrl, HEADER, PostgresTransport, type Service } from '@sagamart/kit';
import { pgServerUrl, scrapeMetrics, startTestService, uniqueName } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import catalogService from '../src/index.ts';
import { call, search, until } from './support.ts';

/**
 * Events straight onto the bus, as product-service would send them but in the orders and repetitions
 * a real transport can produce: an older version never overwrites newer data, a duplicate changes nothing.
 */
describe('catalog consumers are idempotent and order-safe', () => {
  let catalog: Service<unknown>;
  let bus: PostgresTransport;
  let c: string;

  beforeAll(async () => {
    const busName = uniqueName('t_bus');
    catalog = await startTestService(catalogService, { config: { bus: { database: busName, pollMs: 200 } } });
    c = catalog.url;
    bus = new PostgresTransport({ url: databaseUrl(pgServerUrl(), busName), pollMs: 200 });
  });
  afterAll(async () => {
    await catalog.stop();
    await bus.close();
  });

  async function send(topic: string, payload: unknown, id: string = randomUUID()): Promise<string> {
    await bus.publish([
      {
        id,
        topic,
        headers: {
          [HEADER.messageId]: id,
          [HEADER.event]: topic,
          [HEADER.version]: '1',
          [HEADER.source]: 'test',
          [HEADER.occurredAt]: new Date().toISOString(),
        },
        payload,
      },
    ]);
    return id;
  }

  function snapshot(
    productId: number,
    version: number,
    fields: Partial<ProductSnapshot> = {},
    stock = { stock: 10, stockVersion: 1 },
  ): ProductSnapshot {
    return {
      productId,
      version,
      code: `P-${productId}`,
      name: `상품 ${productId} v${version}`,
      description: '<p>설명</p>',
      descriptionText: '설명',
      basePrice: 10_000,
      salePrice: 9_000,
      status: 'ACTIVE',
      displayed: true,
      deleted: false,
      categoryIds: [1],
      optionGroups: [],
      skus: [
        {
          skuId: productId * 10,
          skuCode: `P-${productId}-1`,
          options: {},
          price: 9_000,
          status: 'ACTIVE',
          removed: false,
          stock: stock.stock,
          reserved: 0,
          sold: 0,
          stockVersion: stock.stockVersion,
        },
      ],
      images: [],
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: new Date().toISOString(),
      ...fields,
    };
  }

  const stockChanged = (productId: number, version: number, stock: number) => ({
    productId,
    skuId: productId * 10,
    skuCode: `P-${productId}-1`,
    version,
    movement: { id: version, type: 'ADJUST', quantity: 1, orderId: null },
    stock,
    reserved: 0,
    sold: 0,
    status: stock > 0 ? 'ACTIVE' : 'SOLD_OUT',
    occurredAt: new Date().toISOString(),
  });

  const detail = (id: number) => call(c, 'GET', `/api/catalog/products/${id}`, { headers: {} });

  async function metric(name: string, labels: string): Promise<number> {
    const text = await scrapeMetrics(c);
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`${name}{`) && labels.split(',').every((label) => l.includes(label)));
    return Number(line?.split(' ').at(-1) ?? 0);
  }
  /** Waits until the catalog has handled `count` more stale events of this topic than before. */
  async function staleHandled(topic: string, before: number, count = 1): Promise<void> {
    await until(
      () => metric('catalog_events_stale_total', `event="${topic}"`),
      (n) => n >= before + count,
    );
  }

  it('ignores an older product version arriving after a newer one', async () => {
    await send('product.created', snapshot(101, 1));
    await send('product.updated', snapshot(101, 3, { name: '최신 이름' }));
    await until(
      () => detail(101),
      (r) => r.body.name === '최신 이름',
    );
    const before = await metric('catalog_events_stale_total', 'event="product.updated"');
    await send('product.updated', snapshot(101, 2, { name: '옛 이름', salePrice: 1 }));
    await staleHandled('product.updated', before);
    expect((await detail(101)).body).toMatchObject({ name: '최신 이름', salePrice: 9_000 });
  });

  it("carries the product's colours on its card, as its latest snapshot lists them", async () => {
    const card = async () =>
      (await search(c, 'q=108')).content.find((found: { id: number }) => found.id === 108);
    await send('product.created', snapshot(108, 1));
    await until(card, (found) => found?.colours?.length === 0);
    const optionGroups = [
      { name: '사이즈', values: ['M', 'L'] },
      { name: '색상', values: ['네이비', '차콜'] },
    ];
    await send('product.updated', snapshot(108, 2, { optionGroups }));
    await until(card, (found) => found?.colours?.length === 2);
    expect((await card()).colours).toEqual(['네이비', '차콜']);
    expect((await detail(108)).body.colours).toEqual(['네이비', '차콜']);
  });

  it('applies a duplicate delivery once', async () => {
    await send('product.created', snapshot(102, 1));
    const id = await send('stock.changed', stockChanged(102, 2, 4));
    await until(
      () => detail(102),
      (r) => r.body.skus?.[0]?.stock === 4,
    );
    const before = await metric('events_consumed_total', 'event="stock.changed",result="duplicate"');
    await send('stock.changed', stockChanged(102, 2, 4), id);
    await until(
      () => metric('events_consumed_total', 'event="stock.changed",result="duplicate"'),
      (n) => n === before + 1,
    );
    // The same version under a new message id is stale, not applied twice.
    const stale = await metric('catalog_events_stale_total', 'event="stock.changed"');
    await send('stock.changed', stockChanged(102, 2, 99));
    await staleHandled('stock.changed', stale);
    expect((await detail(102)).body.skus[0].stock).toBe(4);
  });

  it('keeps the newest stock whichever order stock events and snapshots arrive in', async () => {
    // Stock first (version 7), product afterwards with an older stock reading (version 1).
    await send('stock.changed', stockChanged(103, 7, 3));
    await send('product.created', snapshot(103, 1, {}, { stock: 10, stockVersion: 1 }));
    const shown = await until(
      () => detail(103),
      (r) => r.status === 200,
    );
    expect(shown.body.skus[0].stock).toBe(3);
    const before = await metric('catalog_events_stale_total', 'event="stock.changed"');
    await send('stock.changed', stockChanged(103, 5, 8));
    await staleHandled('stock.changed', before);
    expect((await detail(103)).body.skus[0].stock).toBe(3);
  });

  it('shows a new SKU only once the update defining it arrives, even when its stock comes first', async () => {
    const sku = (size: string, skuId: number, stock: number) => ({
      skuId,
      skuCode: `P-109-${size}`,
      options: { 사이즈: size },
      price: 9_000,
      status: 'ACTIVE' as const,
      removed: false,
      stock,
      reserved: 0,
      sold: 0,
      stockVersion: 1,
    });
    // Sold out in its one size.
    await send(
      'product.created',
      snapshot(109, 1, { optionGroups: [{ name: '사이즈', values: ['M'] }], skus: [sku('M', 1091, 0)] }),
    );
    await until(
      () => detail(109),
      (r) => r.status === 200,
    );
    // The admin adds size L with 5 units: its stock.changed overtakes the product.updated.
    const handled = await metric('events_consumed_total', 'event="stock.changed",result="ok"');
    await send('stock.changed', { ...stockChanged(109, 1, 5), skuId: 1092, skuCode: 'P-109-L' });
    await until(
      () => metric('events_consumed_total', 'event="stock.changed",result="ok"'),
      (n) => n >= handled + 1,
    );
    const early = await detail(109);
    expect(early.body.skus.map((s: { id: number }) => s.id)).toEqual([1091]);
    expect(early.body.inStock).toBe(false);
    expect((await search(c, 'q=109&inStock=true')).totalElements).toBe(0);

    await send(
      'product.updated',
      snapshot(109, 2, {
        optionGroups: [{ name: '사이즈', values: ['M', 'L'] }],
        skus: [sku('M', 1091, 0), sku('L', 1092, 5)],
      }),
    );
    const defined = await until(
      () => detail(109),
      (r) => r.body.skus?.length === 2,
    );
    expect(defined.body.skus[1]).toEqual({
      id: 1092,
      skuCode: 'P-109-L',
      options: { 사이즈: 'L' },
      price: 9_000,
      stock: 5,
      status: 'ACTIVE',
    });
    expect(defined.body.inStock).toBe(true);
    expect((await search(c, 'q=109&inStock=true')).totalElements).toBe(1);
  });

  it('never brings a deleted product back with an older update', async () => {
    await send('product.created', snapshot(104, 1));
    await until(
      () => detail(104),
      (r) => r.status === 200,
    );
    await send('product.deleted', {
      productId: 104,
      version: 3,
      mode: 'HARD',
      deletedAt: new Date().toISOString(),
    });
    await until(
      () => detail(104),
      (r) => r.status === 404,
    );
    const before = await metric('catalog_events_stale_total', 'event="product.updated"');
    await send('product.updated', snapshot(104, 2));
    await staleHandled('product.updated', before);
    expect((await detail(104)).status).toBe(404);
  });

  it('orders keyword changes by their own version', async () => {
    await send('product.created', snapshot(105, 1, { name: '키워드 순서' }));
    await send('keyword.created', {
      productId: 105,
      version: 2,
      keywordId: 1,
      keyword: '새것',
      keywords: ['새것'],
    });
    const search = (q: string) =>
      call(c, 'GET', `/api/catalog/products?q=${encodeURIComponent(q)}`, { headers: {} });
    await until(
      () => search('새것'),
      (r) => r.body.totalElements === 1,
    );
    const before = await metric('catalog_events_stale_total', 'event="keyword.deleted"');
    await send('keyword.deleted', {
      productId: 105,
      version: 1,
      keywordId: 1,
      keyword: '옛것',
      keywords: ['옛것'],
    });
    await staleHandled('keyword.deleted', before);
    expect((await search('새것')).body.totalElements).toBe(1);
    expect((await search('옛것')).body.totalElements).toBe(0);
    // A product update carries no keywords and must not clear them.
    await send('product.updated', snapshot(105, 2, { name: '키워드 순서 2' }));
    await until(
      () => detail(105),
      (r) => r.body.name === '키워드 순서 2',
    );
    expect((await search('새것')).body.content[0].name).toBe('키워드 순서 2');
  });

  it('ignores an older category version', async () => {
    const category = (version: number, name: string) => ({
      categoryId: 7,
      version,
      parentId: null,
      name,
      depth: 1,
      displayOrder: 0,
      displayed: true,
    });
    const tree = () => call(c, 'GET', '/api/catalog/categories/tree', { headers: {} });
    await send('category.updated', category(4, '새 이름'));
    await until(tree, (r) => r.body.some((x: { name: string }) => x.name === '새 이름'));
    const before = await metric('catalog_events_stale_total', 'event="category.created"');
    await send('category.created', category(1, '처음 이름'));
    await staleHandled('category.created', before);
    expect((await tree()).body.map((x: { name: string }) => x.name)).toEqual(['새 이름']);
  });
});
