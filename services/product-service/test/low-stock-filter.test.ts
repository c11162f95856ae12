import { DEFAULT_LOW_STOCK_THRESHOLD } from '@sagamart/contracts';
import type { Service } from '@sagamart/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, leafCategory, productBody, startProductService } from './support.ts';

// The admin dashboard's low-stock card ("10개 중 N개") leads to the product list filtered the same
// way: products with a SKU on sale at or below the threshold the dashboard uses (the shared config
// key `dashboard.lowStockThreshold`), or with one sold out.

/** A product whose SKUs (one per entry) start with the given stock; `overrides` change the product. */
function stocked(
  code: string,
  leaf: number,
  stocks: number[],
  overrides: Record<string, unknown> = {},
  skuStatus = 'ACTIVE',
) {
  const body = productBody(
    code,
    leaf,
    overrides,
    ['블랙'],
    stocks.map((_, i) => `S${i}`),
  );
  return {
    ...body,
    skus: body.skus.map((sku, i) => ({ ...sku, initialStock: stocks[i]!, status: skuStatus })),
  };
}

describe('product-service: the admin product list by stock', () => {
  let service: Service<unknown>;
  let base: string;
  const ids: Record<string, number> = {};

  const names = async (query: string): Promise<string[]> => {
    const res = await call(base, 'GET', `/api/admin/products?size=100&${query}`);
    expect(res.status).toBe(200);
    return (res.body.content as Array<{ code: string }>).map((p) => p.code).sort();
  };

  beforeAll(async () => {
    // Not the bundled default: the filter follows the configured threshold, as the dashboard does.
    service = await startProductService({ dashboard: { lowStockThreshold: 3 } });
    base = service.url;
    const { leaf } = await leafCategory(base, '재고 필터');
    const create = async (
      code: string,
      stocks: number[],
      overrides: Record<string, unknown> = {},
      skuStatus = 'ACTIVE',
    ) => {
      const res = await call(base, 'POST', '/api/admin/products', {
        body: stocked(code, leaf, stocks, overrides, skuStatus),
      });
      if (res.status !== 201) throw new Error(`${code}: ${res.status} ${JSON.stringify(res.body)}`);
      ids[code] = res.body.id;
    };
    await create('PLENTY', [10, 4]);
    await create('AT-LINE', [10, 3]);
    await create('LOW', [2]);
    await create('GONE', [0, 10]);
    // Not on sale, so neither the dashboard nor the filter counts them.
    await create('SKU-OFF', [0], {}, 'INACTIVE');
    await create('PRODUCT-OFF', [1], { status: 'INACTIVE' });
    await create('HIDDEN', [1], { displayed: false });
    await create('DELETED', [1]);
    expect((await call(base, 'DELETE', `/api/admin/products/${ids.DELETED}`)).status).toBe(204);
  });
  afterAll(() => service.stop());

  it('lists products with a SKU on sale at or below the threshold, sold-out ones included', async () => {
    expect(await names('stock=low')).toEqual(['AT-LINE', 'GONE', 'LOW']);
  });

  it('lists products with a SKU on sale that is sold out', async () => {
    expect(await names('stock=soldout')).toEqual(['GONE']);
  });

  // "품절" listed products with hundreds in stock and no word of why: each listed product names the
  // SKUs on sale that matched, by their options in the product's order, with their stock.
  it('names the SKUs that matched, lowest stock first, and none without the filter', async () => {
    const matches = async (query: string) => {
      const res = await call(base, 'GET', `/api/admin/products?size=100&${query}`);
      expect(res.status).toBe(200);
      return Object.fromEntries(
        (res.body.content as Array<{ code: string; stockMatches?: unknown }>).map((p) => [
          p.code,
          p.stockMatches,
        ]),
      );
    };
    const low = await matches('stock=low');
    expect(low['AT-LINE']).toEqual([
      { skuId: expect.any(Number), skuCode: 'AT-LINE-0-S1', optionLabel: '블랙 / S1', stock: 3 },
    ]);
    expect(low.GONE).toEqual([
      { skuId: expect.any(Number), skuCode: 'GONE-0-S0', optionLabel: '블랙 / S0', stock: 0 },
    ]);
    expect(low.LOW).toEqual([expect.objectContaining({ optionLabel: '블랙 / S0', stock: 2 })]);
    const soldOut = await matches('stock=soldout');
    expect(soldOut.GONE).toEqual([expect.objectContaining({ skuCode: 'GONE-0-S0', stock: 0 })]);
    const all = await matches('code=GONE');
    expect(all.GONE).toBeUndefined();
  });

  it('follows a stock adjustment at once', async () => {
    const product = (await call(base, 'GET', `/api/admin/products/${ids.PLENTY}`)).body;
    const sku = product.skus.find((s: { stock: number }) => s.stock === 4);
    const adjusted = await call(
      base,
      'POST',
      `/api/admin/products/${ids.PLENTY}/skus/${sku.id}/stock-adjustments`,
      { body: { type: 'ADJUST', quantity: -4, reason: '실사 차이' } },
    );
    expect(adjusted.status).toBe(200);
    expect(await names('stock=low')).toContain('PLENTY');
    expect(await names('stock=soldout')).toContain('PLENTY');
  });

  it('combines with the other filters and lists everything without it', async () => {
    expect(await names('stock=soldout&name=LOW')).toEqual([]);
    expect(await names(`stock=low&code=GO`)).toEqual(['GONE']);
    expect(await names('')).toEqual(
      expect.arrayContaining(['PLENTY', 'AT-LINE', 'LOW', 'GONE', 'SKU-OFF', 'PRODUCT-OFF', 'HIDDEN']),
    );
  });

  it('refuses an unknown stock filter as a problem naming the field', async () => {
    const res = await call(base, 'GET', '/api/admin/products?stock=few');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'stock' })]);
  });
});

describe('product-service: the low-stock threshold without configuration', () => {
  let service: Service<unknown>;
  beforeAll(async () => {
    service = await startProductService();
  });
  afterAll(() => service.stop());

  it('is the dashboard’s bundled default', async () => {
    const base = service.url;
    const { leaf } = await leafCategory(base, '기본 기준');
    for (const [code, stock] of [
      ['AT-DEFAULT', DEFAULT_LOW_STOCK_THRESHOLD],
      ['ABOVE-DEFAULT', DEFAULT_LOW_STOCK_THRESHOLD + 1],
    ] as const) {
      const res = await call(base, 'POST', '/api/admin/products', { body: stocked(code, leaf, [stock]) });
      expect(res.status).toBe(201);
    }
    const low = await call(base, 'GET', '/api/admin/products?stock=low');
    expect(low.body.content.map((p: { code: string }) => p.code)).toEqual(['AT-DEFAULT']);
  });
});
