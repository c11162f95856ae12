import type { Service } from '@sagamart/kit';
import { asService } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, leafCategory, productBody, startProductService } from './support.ts';

// The order saga's side of the stock ledger: commit, release after payment (restock) and tombstones.

interface Sku {
  id: number;
  stock: number;
  reserved: number;
  sold: number;
  status: string;
}
interface Movement {
  skuId: number;
  type: string;
  quantity: number;
  orderId: string | null;
  claimType: string | null;
  orderNumber: string | null;
}

describe('product-service: stock reservations for the order saga', () => {
  let service: Service<unknown>;
  let base: string;
  let leaf: number;
  let n = 0;
  beforeAll(async () => {
    service = await startProductService();
    base = service.url;
    ({ leaf } = await leafCategory(base, '맨투맨'));
  });
  afterAll(() => service.stop());

  async function product(): Promise<{ id: number; skus: Sku[] }> {
    const res = await call(base, 'POST', '/api/admin/products', { body: productBody(`rsv-${++n}`, leaf) });
    expect(res.status).toBe(201);
    return res.body;
  }
  const internal = (method: string, path: string, body?: unknown) =>
    call(base, method, path, { body, headers: asService() });
  const reserve = (orderId: string, items: Array<{ skuId: number; quantity: number }>) =>
    internal('POST', '/internal/stock/reservations', { orderId, items });
  const sku = async (productId: number, skuId: number): Promise<Sku> =>
    (await call(base, 'GET', `/api/admin/products/${productId}`)).body.skus.find((s: Sku) => s.id === skuId);
  const history = async (productId: number): Promise<Movement[]> =>
    (await call(base, 'GET', `/api/admin/products/${productId}/stock-movements?size=100`)).body.content;

  /** initial + adjustments (receipts, not an order's restock) = available + reserved + sold. */
  async function expectInvariant(productId: number) {
    const movements = await history(productId);
    for (const s of (await call(base, 'GET', `/api/admin/products/${productId}`)).body.skus as Sku[]) {
      const added = movements
        .filter(
          (m) =>
            m.skuId === s.id &&
            (['INITIAL', 'ADJUST'].includes(m.type) || (m.type === 'RESTOCK' && m.orderId === null)),
        )
        .reduce((sum, m) => sum + m.quantity, 0);
      expect(added).toBe(s.stock + s.reserved + s.sold);
      expect(s.stock).toBeGreaterThanOrEqual(0);
    }
  }

  it('commits a reservation (reserved → sold) idempotently, and restocks it when a paid order is cancelled', async () => {
    const p = await product();
    const a = p.skus[0]!;
    await reserve('paid-1', [{ skuId: a.id, quantity: 4 }]);
    const committed = await internal('POST', '/internal/stock/reservations/paid-1/commit');
    expect(committed.body).toEqual({
      orderId: 'paid-1',
      state: 'SOLD',
      items: [{ skuId: a.id, quantity: 4 }],
    });
    expect((await internal('POST', '/internal/stock/reservations/paid-1/commit')).body.state).toBe('SOLD');
    expect(await sku(p.id, a.id)).toMatchObject({ stock: 6, reserved: 0, sold: 4 });

    const restocked = await internal('POST', '/internal/stock/reservations/paid-1/release');
    expect(restocked.status).toBe(200);
    expect(restocked.body).toEqual({
      orderId: 'paid-1',
      state: 'RELEASED',
      items: [{ skuId: a.id, quantity: 4 }],
    });
    expect((await internal('POST', '/internal/stock/reservations/paid-1/release')).body.state).toBe(
      'RELEASED',
    );
    expect(await sku(p.id, a.id)).toMatchObject({ stock: 10, reserved: 0, sold: 0, status: 'ACTIVE' });
    expect((await internal('POST', '/internal/stock/reservations/paid-1/commit')).status).toBe(409);

    const forOrder = (await history(p.id))
      .filter((m) => m.orderId === 'paid-1')
      .map((m) => [m.type, m.quantity]);
    expect(forOrder).toEqual([
      ['RESTOCK', 4],
      ['SELL', 0],
      ['RESERVE', -4],
    ]);
    await expectInvariant(p.id);
  });

  it('keeps the order’s number the saga’s calls name on every movement of the order', async () => {
    const p = await product();
    const [a, b] = p.skus;
    const orderNumber = 'ORD-20261207-NUMB3RD1';
    const named = { orderNumber };
    expect(
      (
        await internal('POST', '/internal/stock/reservations', {
          orderId: 'numbered-1',
          orderNumber,
          items: [{ skuId: a!.id, quantity: 2 }],
        })
      ).status,
    ).toBe(200);
    expect((await internal('POST', '/internal/stock/reservations/numbered-1/commit', named)).status).toBe(
      200,
    );
    expect((await internal('POST', '/internal/stock/reservations/numbered-1/release', named)).status).toBe(
      200,
    );
    // Reserved before the calls named the order: the number its commit names reaches the reservation too.
    await reserve('numbered-2', [{ skuId: b!.id, quantity: 1 }]);
    expect((await internal('POST', '/internal/stock/reservations/numbered-2/commit', named)).status).toBe(
      200,
    );

    const of = (orderId: string) =>
      history(p.id).then((all) =>
        all.filter((m) => m.orderId === orderId).map((m) => [m.type, m.claimType, m.orderNumber]),
      );
    expect(await of('numbered-1')).toEqual([
      ['RESTOCK', null, orderNumber],
      ['SELL', null, orderNumber],
      ['RESERVE', null, orderNumber],
    ]);
    expect(await of('numbered-2')).toEqual([
      ['SELL', null, orderNumber],
      ['RESERVE', null, orderNumber],
    ]);

    // The number is the contract's: anything else is refused before any stock moves.
    for (const body of [{ orderNumber: 'not-a-number' }, { orderNumber, extra: 1 }]) {
      const refused = await internal('POST', '/internal/stock/reservations/numbered-2/release', body);
      expect(refused.status).toBe(400);
    }
    const badReserve = await internal('POST', '/internal/stock/reservations', {
      orderId: 'numbered-3',
      orderNumber: 'PNT-20261207-NUMB3RD1',
      items: [{ skuId: a!.id, quantity: 1 }],
    });
    expect(badReserve.status).toBe(400);
    expect(await sku(p.id, b!.id)).toMatchObject({ reserved: 0, sold: 1 });
    await expectInvariant(p.id);
  });

  it('turns SOLD_OUT at zero and back when a release returns the stock', async () => {
    const p = await product();
    const a = p.skus[1]!;
    await reserve('all-of-it', [{ skuId: a.id, quantity: 10 }]);
    expect(await sku(p.id, a.id)).toMatchObject({ stock: 0, reserved: 10, status: 'SOLD_OUT' });
    expect((await reserve('one-more', [{ skuId: a.id, quantity: 1 }])).status).toBe(409);
    await internal('POST', '/internal/stock/reservations/all-of-it/release');
    expect(await sku(p.id, a.id)).toMatchObject({ stock: 10, reserved: 0, status: 'ACTIVE' });
    await expectInvariant(p.id);
  });

  it('leaves a tombstone when the release comes first, so a late reserve takes nothing', async () => {
    const p = await product();
    const a = p.skus[2]!;
    const released = await internal('POST', '/internal/stock/reservations/overtaken/release');
    expect(released.status).toBe(200);
    expect(released.body).toEqual({ orderId: 'overtaken', state: 'RELEASED', items: [] });
    const late = await reserve('overtaken', [{ skuId: a.id, quantity: 2 }]);
    expect(late.status).toBe(200);
    expect(late.body).toEqual({ orderId: 'overtaken', state: 'RELEASED', items: [] });
    expect(await sku(p.id, a.id)).toMatchObject({ stock: 10, reserved: 0 });
    expect((await internal('POST', '/internal/stock/reservations/overtaken/commit')).status).toBe(409);
    expect((await internal('POST', '/internal/stock/reservations/never-seen/commit')).status).toBe(404);
    expect((await history(p.id)).some((m) => m.orderId === 'overtaken')).toBe(false);
  });
});
