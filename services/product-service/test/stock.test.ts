import type { Kysely, Service } from '@sagamart/kit';
import { asService } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProductDb } from '../src/infra/schema.ts';
import { ADMIN_ID, call, leafCategory, productBody, startProductService } from './support.ts';

interface Sku {
  id: number;
  skuCode: string;
  stock: number;
  reserved: number;
  sold: number;
  status: string;
}

describe('product-service: stock ledger', () => {
  let service: Service<unknown>;
  let base: string;
  let leaf: number;
  let n = 0;
  beforeAll(async () => {
    service = await startProductService();
    base = service.url;
    ({ leaf } = await leafCategory(base, '후드티'));
  });
  afterAll(() => service.stop());

  async function product(): Promise<{ id: number; skus: Sku[] }> {
    const res = await call(base, 'POST', '/api/admin/products', { body: productBody(`stk-${++n}`, leaf) });
    expect(res.status).toBe(201);
    return res.body;
  }
  const adjust = (productId: number, skuId: number, body: unknown) =>
    call(base, 'POST', `/api/admin/products/${productId}/skus/${skuId}/stock-adjustments`, { body });
  const skusOf = async (productId: number): Promise<Sku[]> =>
    (await call(base, 'GET', `/api/admin/products/${productId}`)).body.skus;
  const reserve = (orderId: string, items: Array<{ skuId: number; quantity: number }>) =>
    call(base, 'POST', '/internal/stock/reservations', { body: { orderId, items }, headers: asService() });

  /** initial + adjustments + restocks = available + reserved + sold, from the history. */
  async function expectInvariant(productId: number) {
    const history = (await call(base, 'GET', `/api/admin/products/${productId}/stock-movements?size=100`))
      .body.content as Array<{
      skuId: number;
      type: string;
      quantity: number;
    }>;
    for (const sku of await skusOf(productId)) {
      const added = history
        .filter((m) => m.skuId === sku.id && ['INITIAL', 'ADJUST', 'RESTOCK'].includes(m.type))
        .reduce((sum, m) => sum + m.quantity, 0);
      expect(added).toBe(sku.stock + sku.reserved + sku.sold);
    }
  }

  it('needs a reason for an adjustment and records every movement', async () => {
    const p = await product();
    const sku = p.skus[0]!;
    expect((await adjust(p.id, sku.id, { type: 'ADJUST', quantity: -2 })).status).toBe(400);
    expect((await adjust(p.id, sku.id, { type: 'ADJUST', quantity: -2, reason: '   ' })).status).toBe(400);
    expect((await adjust(p.id, sku.id, { type: 'ADJUST', quantity: 0, reason: '실사' })).status).toBe(400);
    expect((await adjust(p.id, sku.id, { type: 'RESTOCK', quantity: -1, reason: '입고' })).status).toBe(400);
    expect((await adjust(p.id, 999_999, { type: 'RESTOCK', quantity: 1, reason: '입고' })).status).toBe(404);

    const res = await adjust(p.id, sku.id, { type: 'ADJUST', quantity: -2, reason: '불량 2개 폐기' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ skuId: sku.id, stock: 8, reserved: 0, sold: 0, status: 'ACTIVE' });

    const history = await call(base, 'GET', `/api/admin/products/${p.id}/stock-movements?skuId=${sku.id}`);
    expect(history.body).toMatchObject({ totalElements: 2, page: 0, first: true, last: true });
    expect(history.body.content[0]).toMatchObject({
      type: 'ADJUST',
      quantity: -2,
      stockAfter: 8,
      reason: '불량 2개 폐기',
      actor: ADMIN_ID,
    });
    expect(history.body.content[1]).toMatchObject({
      type: 'INITIAL',
      quantity: 10,
      stockAfter: 10,
      reason: null,
    });
    const initials = await call(base, 'GET', `/api/admin/products/${p.id}/stock-movements?type=INITIAL`);
    expect(initials.body.totalElements).toBe(4);
  });

  it('turns a SKU SOLD_OUT at zero and back when restocked, and never below zero', async () => {
    const p = await product();
    const sku = p.skus[1]!;
    const empty = await adjust(p.id, sku.id, { type: 'ADJUST', quantity: -10, reason: '재고 실사' });
    expect(empty.body).toMatchObject({ stock: 0, status: 'SOLD_OUT' });
    const below = await adjust(p.id, sku.id, { type: 'ADJUST', quantity: -1, reason: '재고 실사' });
    expect(below.status).toBe(409);
    expect(below.body.type).toBe('urn:sagamart:problem:insufficient-stock');
    const back = await adjust(p.id, sku.id, { type: 'RESTOCK', quantity: 5, reason: '입고' });
    expect(back.body).toMatchObject({ stock: 5, status: 'ACTIVE' });
    await expectInvariant(p.id);
  });

  it('refuses to take a SKU past a billion units with a problem naming the limit, and keeps moving its stock', async () => {
    const p = await product();
    const sku = p.skus[0]!;
    // Near the limit already: through the API that is a thousand restocks of at most 1,000,000 each.
    const db = service.context.db as unknown as Kysely<ProductDb>;
    await db.updateTable('skus').set({ stock: 999_000_000 }).where('id', '=', sku.id).execute();
    const full = await adjust(p.id, sku.id, { type: 'RESTOCK', quantity: 1_000_000, reason: '대량 입고' });
    expect(full.body).toMatchObject({ stock: 1_000_000_000 });
    for (const body of [
      { type: 'RESTOCK', quantity: 1, reason: '입고' },
      { type: 'ADJUST', quantity: 1_000_000, reason: '실사' },
    ]) {
      const over = await adjust(p.id, sku.id, body);
      expect(over.status).toBe(409);
      expect(over.body).toMatchObject({ type: 'urn:sagamart:problem:stock-limit', limit: 1_000_000_000 });
      expect(over.body.detail).toContain('1,000,000,000');
    }
    // Units already counted still move: taken away, reserved for an order (reserved counts too).
    const less = await adjust(p.id, sku.id, { type: 'ADJUST', quantity: -5, reason: '실사' });
    expect(less.body).toMatchObject({ stock: 999_999_995 });
    expect((await reserve('ord-limit', [{ skuId: sku.id, quantity: 3 }])).status).toBe(200);
    const refill = await adjust(p.id, sku.id, { type: 'RESTOCK', quantity: 5, reason: '입고' });
    expect(refill.body).toMatchObject({ stock: 1_000_000_000 - 3, reserved: 3 });
    expect((await adjust(p.id, sku.id, { type: 'RESTOCK', quantity: 1, reason: '입고' })).status).toBe(409);
    expect((await skusOf(p.id)).find((s) => s.id === sku.id)).toMatchObject({ stock: 999_999_997 });
  });

  it('reserves all items of an order or none, idempotently by order id', async () => {
    const p = await product();
    const [a, b] = p.skus as [Sku, Sku];
    const tooMany = await reserve('ord-1', [
      { skuId: a.id, quantity: 2 },
      { skuId: b.id, quantity: 11 },
    ]);
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.errors).toHaveLength(1);
    expect((await skusOf(p.id)).find((s) => s.id === a.id)).toMatchObject({ stock: 10, reserved: 0 });

    const ok = await reserve('ord-2', [
      { skuId: b.id, quantity: 3 },
      { skuId: a.id, quantity: 2 },
      { skuId: a.id, quantity: 1 },
    ]);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      orderId: 'ord-2',
      state: 'RESERVED',
      items: [
        { skuId: a.id, quantity: 3 },
        { skuId: b.id, quantity: 3 },
      ],
    });
    const again = await reserve('ord-2', [{ skuId: a.id, quantity: 3 }]);
    expect(again.body).toEqual(ok.body);
    expect((await skusOf(p.id)).find((s) => s.id === a.id)).toMatchObject({ stock: 7, reserved: 3, sold: 0 });

    const sold = await call(base, 'POST', '/internal/stock/reservations/ord-2/sell', {
      headers: asService(),
    });
    expect(sold.body.state).toBe('SOLD');
    expect(
      (await call(base, 'POST', '/internal/stock/reservations/ord-2/sell', { headers: asService() })).body
        .state,
    ).toBe('SOLD');
    expect((await skusOf(p.id)).find((s) => s.id === a.id)).toMatchObject({ stock: 7, reserved: 0, sold: 3 });

    await reserve('ord-3', [{ skuId: b.id, quantity: 7 }]);
    expect((await skusOf(p.id)).find((s) => s.id === b.id)).toMatchObject({
      stock: 0,
      reserved: 7,
      status: 'SOLD_OUT',
    });
    const released = await call(base, 'POST', '/internal/stock/reservations/ord-3/release', {
      headers: asService(),
    });
    expect(released.body).toMatchObject({ state: 'RELEASED', items: [{ skuId: b.id, quantity: 7 }] });
    expect((await skusOf(p.id)).find((s) => s.id === b.id)).toMatchObject({
      stock: 7,
      reserved: 0,
      status: 'ACTIVE',
    });
    expect(
      (await call(base, 'POST', '/internal/stock/reservations/ord-3/sell', { headers: asService() })).status,
    ).toBe(409);

    const types = (
      await call(base, 'GET', `/api/admin/products/${p.id}/stock-movements?size=100`)
    ).body.content.map((m: { type: string }) => m.type);
    expect(new Set(types)).toEqual(new Set(['INITIAL', 'RESERVE', 'SELL', 'RELEASE']));
    await expectInvariant(p.id);
  });

  it('refuses unknown and inactive SKUs', async () => {
    const p = await product();
    expect((await reserve('ord-x', [{ skuId: 987_654, quantity: 1 }])).status).toBe(404);
    const body = productBody(`stk-${n}`, leaf);
    body.skus[0]!.status = 'INACTIVE';
    await call(base, 'PUT', `/api/admin/products/${p.id}`, { body });
    const inactive = await reserve('ord-y', [{ skuId: p.skus[0]!.id, quantity: 1 }]);
    expect(inactive.status).toBe(409);
    expect(inactive.body.type).toBe('urn:sagamart:problem:sku-unavailable');
  });

  it('never oversells under concurrent orders and never deadlocks on crossing SKU orders', async () => {
    const p = await product();
    const [a, b] = p.skus as [Sku, Sku];
    // 8 orders want 3 of a's 10 and 1 of b's 10, listing the SKUs in opposite orders.
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        reserve(
          `race-${i}`,
          i % 2
            ? [
                { skuId: a.id, quantity: 3 },
                { skuId: b.id, quantity: 1 },
              ]
            : [
                { skuId: b.id, quantity: 1 },
                { skuId: a.id, quantity: 3 },
              ],
        ),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 409, 409, 409, 409, 409]);
    const skus = await skusOf(p.id);
    expect(skus.find((s) => s.id === a.id)).toMatchObject({ stock: 1, reserved: 9 });
    expect(skus.find((s) => s.id === b.id)).toMatchObject({ stock: 7, reserved: 3 });
    await expectInvariant(p.id);
  });

  it('looks SKUs up for the order flow', async () => {
    const p = await product();
    const [a, b] = p.skus as [Sku, Sku];
    await adjust(p.id, b.id, { type: 'ADJUST', quantity: -10, reason: '품절 처리' });
    const res = await call(base, 'GET', `/internal/skus?ids=${a.id}&ids=${b.id}&ids=999999`, {
      headers: asService(),
    });
    expect(res.status).toBe(200);
    expect(res.body.content).toHaveLength(2);
    expect(res.body.content[0]).toMatchObject({
      skuId: a.id,
      price: 39_000,
      productId: p.id,
      productStatus: 'ACTIVE',
      categoryIds: [leaf],
      status: 'ACTIVE',
      orderable: true,
    });
    expect(res.body.content[1]).toMatchObject({
      skuId: b.id,
      status: 'SOLD_OUT',
      stock: 0,
      orderable: false,
    });
  });
});
