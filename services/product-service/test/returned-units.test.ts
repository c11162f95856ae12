import { randomUUID } from 'node:crypto';
import { ExchangeCollected, ReturnCompleted, StockChanged, topology } from '@sagamart/contracts';
import type { Kysely, MessagingTables, Service } from '@sagamart/kit';
import {
  asService,
  defineEventRecorder,
  EventProbe,
  eventually,
  jsonClient,
  type SeenEvent,
  startTestService,
  uniqueName,
} from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asShippingService,
  call,
  insertOldProduct,
  leafCategory,
  productBody,
  returnCompleted,
  SHOPPER,
  sharedBusConfig,
  startBeforeMigration,
  startProductService,
} from './support.ts';

// Units a shopper sends back go on sale again only when nothing is wrong with them: a defective or
// damaged unit is held for the admin's inspection, who puts it on sale or writes it off.

interface Sku {
  id: number;
  stock: number;
  reserved: number;
  sold: number;
  held: number;
}

describe('product-service: units sent back by returns and exchanges', () => {
  let service: Service<unknown>;
  let probe: EventProbe;
  /** Stands in for stock.changed's consumers. */
  let recorder: Service<unknown>;
  let base: string;
  let leaf: number;
  beforeAll(async () => {
    const config = sharedBusConfig();
    const recorderName = uniqueName('stock-recorder').replaceAll('_', '-');
    const routes = {
      'product-service': topology['product-service']!,
      [recorderName]: [StockChanged.name],
    };
    [service, probe, recorder] = await Promise.all([
      startProductService(config, routes),
      EventProbe.start(config),
      startTestService(defineEventRecorder(recorderName, [StockChanged.name]), {
        topology: routes,
        config: config,
      }),
    ]);
    base = service.url;
    ({ leaf } = await leafCategory(base, '맨투맨'));
  });
  afterAll(async () => {
    await Promise.all([service?.stop(), probe?.stop(), recorder?.stop()]);
  });

  const skusOf = async (productId: number): Promise<Sku[]> =>
    (await call(base, 'GET', `/api/admin/products/${productId}`)).body.skus;
  const skuOf = async (productId: number, skuId: number): Promise<Sku> =>
    (await skusOf(productId)).find((s) => s.id === skuId)!;
  const movementsOf = async (productId: number, key: string) =>
    (
      (await call(base, 'GET', `/api/admin/products/${productId}/stock-movements?size=100`)).body
        .content as Array<{ orderId: string | null; type: string; skuId: number }>
    ).filter((m) => m.orderId === key);
  /** Every count of a SKU adds up to what came in (10 at creation, nothing adjusted). */
  const total = (sku: Sku) => sku.stock + sku.reserved + sku.sold + sku.held;

  /** A product of four SKUs (10 each) and `quantity` units of its first SKU sold to an order. */
  async function soldProduct(code: string, quantity: number) {
    const created = await call(base, 'POST', '/api/admin/products', { body: productBody(code, leaf) });
    expect(created.status).toBe(201);
    const productId: number = created.body.id;
    const skus = created.body.skus as Array<{ id: number }>;
    const orderId = randomUUID();
    const reserved = await call(base, 'POST', '/internal/stock/reservations', {
      body: { orderId, items: [{ skuId: skus[0]!.id, quantity }] },
      headers: asService(),
    });
    expect(reserved.status).toBe(200);
    const sold = await call(base, 'POST', `/internal/stock/reservations/${orderId}/commit`, {
      headers: asService(),
    });
    expect(sold.status).toBe(200);
    return { productId, skuId: skus[0]!.id, otherSkuId: skus[1]!.id, orderId };
  }

  it('puts a change-of-mind or wrong-item unit back on sale and holds a defective or damaged one', async () => {
    const { productId, skuId, orderId } = await soldProduct('back-1', 4);
    expect(await skuOf(productId, skuId)).toMatchObject({ stock: 6, sold: 4, held: 0 });

    const changeOfMind = returnCompleted(orderId, skuId, 'CHANGE_OF_MIND');
    await probe.publish(ReturnCompleted, changeOfMind);
    await eventually(async () => ((await skuOf(productId, skuId)).sold === 3 ? true : undefined));
    expect(await skuOf(productId, skuId)).toMatchObject({ stock: 7, sold: 3, held: 0 });

    const defective = returnCompleted(orderId, skuId, 'DEFECTIVE');
    await probe.publish(ReturnCompleted, defective);
    await eventually(async () => ((await skuOf(productId, skuId)).sold === 2 ? true : undefined));
    // Not for sale: the next shopper cannot buy it.
    expect(await skuOf(productId, skuId)).toMatchObject({ stock: 7, sold: 2, held: 1 });

    await probe.publish(ReturnCompleted, returnCompleted(orderId, skuId, 'WRONG_ITEM'));
    await probe.publish(ReturnCompleted, returnCompleted(orderId, skuId, 'DAMAGED_IN_TRANSIT'));
    const after = await eventually(async () => {
      const sku = await skuOf(productId, skuId);
      return sku.sold === 0 ? sku : undefined;
    });
    expect(after).toMatchObject({ stock: 8, sold: 0, held: 2 });
    expect(total(after)).toBe(10);
    expect((await movementsOf(productId, changeOfMind.claimId)).map((m) => m.type)).toEqual(['RETURN']);
    expect((await movementsOf(productId, defective.claimId)).map((m) => m.type)).toEqual(['HOLD']);

    // A shopper orders everything on sale: the held units are not among it.
    const greedy = await call(base, 'POST', '/internal/stock/reservations', {
      body: { orderId: randomUUID(), items: [{ skuId, quantity: 9 }] },
      headers: asService(),
    });
    expect(greedy.status).toBe(409);
  });

  it('holds a unit once however often its claim’s event arrives, and holds one an older event names no reason for', async () => {
    const { productId, skuId, orderId } = await soldProduct('back-2', 3);
    const defective = returnCompleted(orderId, skuId, 'DEFECTIVE');
    await probe.publish(ReturnCompleted, defective);
    await eventually(async () => ((await skuOf(productId, skuId)).held === 1 ? true : undefined));

    // shipping-service's outbox sends it again (another message: the inbox does not know it).
    const again = randomUUID();
    await probe.publish(ReturnCompleted, defective, again);
    const inbox = (service.context.db as unknown as Kysely<MessagingTables>).selectFrom('inbox');
    await eventually(async () =>
      inbox.select('message_id').where('message_id', '=', again).executeTakeFirst(),
    );
    expect(await skuOf(productId, skuId)).toMatchObject({ stock: 7, sold: 2, held: 1 });
    expect(await movementsOf(productId, defective.claimId)).toHaveLength(1);

    // Published before shipping-service named the reason: held for inspection, never sold unseen.
    await probe.publish(ReturnCompleted, returnCompleted(orderId, skuId, undefined));
    await eventually(async () => ((await skuOf(productId, skuId)).held === 2 ? true : undefined));
    expect(await skuOf(productId, skuId)).toMatchObject({ stock: 7, sold: 1, held: 2 });
  });

  it('holds the old option of an exchange sent back damaged and still sells the new one', async () => {
    const { productId, skuId, otherSkuId, orderId } = await soldProduct('back-3', 2);
    const claimId = randomUUID();
    const reserved = await call(base, 'POST', '/internal/stock/reservations', {
      body: { orderId: claimId, items: [{ skuId: otherSkuId, quantity: 1 }] },
      headers: asShippingService(),
    });
    expect(reserved.status).toBe(200);
    await probe.publish(ExchangeCollected, {
      claimId,
      orderId,
      orderNumber: 'ORD-20261207-EX12EX34',
      userId: randomUUID(),
      version: 4,
      reason: 'DAMAGED_IN_TRANSIT',
      items: [{ orderItemId: 1, skuId, newSkuId: otherSkuId, quantity: 1 }],
      collectedAt: new Date().toISOString(),
    });
    await eventually(async () => ((await skuOf(productId, otherSkuId)).sold === 1 ? true : undefined));
    expect(await skuOf(productId, skuId)).toMatchObject({ stock: 8, sold: 1, held: 1 });
    expect(await skuOf(productId, otherSkuId)).toMatchObject({ stock: 9, reserved: 0, sold: 1, held: 0 });
    expect((await movementsOf(productId, claimId)).map((m) => m.type).sort()).toEqual([
      'HOLD',
      'RESERVE',
      'SELL',
    ]);
  });

  it('lets the admin put held units on sale or write them off after inspection', async () => {
    const { productId, skuId, orderId } = await soldProduct('back-4', 3);
    await probe.publish(ReturnCompleted, returnCompleted(orderId, skuId, 'DEFECTIVE', 3));
    await eventually(async () => ((await skuOf(productId, skuId)).held === 3 ? true : undefined));
    const path = (action: string, sku = skuId) =>
      `/api/admin/products/${productId}/skus/${sku}/held-stock/${action}`;

    const released = await call(base, 'POST', path('release'), {
      body: { quantity: 1, reason: '검수 통과' },
    });
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ skuId, stock: 8, sold: 0, held: 2 });

    const discarded = await call(base, 'POST', path('discard'), { body: { quantity: 2, reason: '오염' } });
    expect(discarded.status).toBe(200);
    expect(discarded.body).toMatchObject({ skuId, stock: 8, sold: 0, held: 0 });
    // Written off: the SKU now holds what came in less what was thrown away.
    expect(total(await skuOf(productId, skuId))).toBe(8);

    const history = (
      await call(base, 'GET', `/api/admin/products/${productId}/stock-movements?skuId=${skuId}`)
    ).body.content;
    expect(history.slice(0, 2)).toMatchObject([
      { type: 'DISCARD', quantity: 0, stockAfter: 8, heldAfter: 0, reason: '오염', orderId: null },
      { type: 'RELEASE_HELD', quantity: 1, stockAfter: 8, heldAfter: 2, reason: '검수 통과', orderId: null },
    ]);

    // Nothing left to decide on, bad quantities, someone else's SKU, and a shopper are refused.
    const tooMany = await call(base, 'POST', path('release'), { body: { quantity: 1 } });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.type).toBe('urn:sagamart:problem:insufficient-held');
    expect((await call(base, 'POST', path('discard'), { body: { quantity: 0 } })).status).toBe(400);
    expect((await call(base, 'POST', path('release', 999_999), { body: { quantity: 1 } })).status).toBe(404);
    expect(
      (await call(base, 'POST', path('release'), { body: { quantity: 1 }, headers: SHOPPER })).status,
    ).toBe(403);
  });

  it('records how many units each hold, release and write-off moved, in the history and on stock.changed', async () => {
    const { productId, skuId, orderId } = await soldProduct('back-5', 3);
    const defective = returnCompleted(orderId, skuId, 'DEFECTIVE', 3);
    await probe.publish(ReturnCompleted, defective);
    await eventually(async () => ((await skuOf(productId, skuId)).held === 3 ? true : undefined));
    const path = (action: string) => `/api/admin/products/${productId}/skus/${skuId}/held-stock/${action}`;
    expect((await call(base, 'POST', path('release'), { body: { quantity: 1 } })).status).toBe(200);
    expect(
      (await call(base, 'POST', path('discard'), { body: { quantity: 2, reason: '오염' } })).status,
    ).toBe(200);

    // The admin looks for what was written off: the amount is there, not only the count after.
    const history = async (type: string) =>
      (await call(base, 'GET', `/api/admin/products/${productId}/stock-movements?type=${type}`)).body.content;
    expect(await history('DISCARD')).toMatchObject([
      { type: 'DISCARD', quantity: 0, heldChange: -2, heldAfter: 0, reason: '오염' },
    ]);
    expect(await history('HOLD')).toMatchObject([{ type: 'HOLD', quantity: 0, heldChange: 3, heldAfter: 3 }]);
    expect(await history('RELEASE_HELD')).toMatchObject([
      { type: 'RELEASE_HELD', quantity: 1, heldChange: -1, heldAfter: 2 },
    ]);
    // Movements that leave `held` alone say so.
    expect((await history('INITIAL'))[0]).toMatchObject({ quantity: 10, heldChange: 0 });

    const seen = await eventually(async () => {
      const events: SeenEvent[] = (await jsonClient(recorder, { anonymous: true }).get('/events')).body;
      const mine = events.filter((e) => e.payload.skuId === skuId).map((e) => e.payload.movement);
      return mine.some((m) => m.type === 'DISCARD') ? mine : undefined;
    });
    expect(seen.filter((m) => ['HOLD', 'RELEASE_HELD', 'DISCARD'].includes(m.type))).toMatchObject([
      { type: 'HOLD', quantity: 0, heldChange: 3 },
      { type: 'RELEASE_HELD', quantity: 1, heldChange: -1 },
      { type: 'DISCARD', quantity: 0, heldChange: -2 },
    ]);
  });

  it('lists the products holding units, with how many, deleted ones too while they hold any', async () => {
    const holding = await soldProduct('back-6', 2);
    const other = await soldProduct('back-7', 1);
    await probe.publish(
      ReturnCompleted,
      returnCompleted(holding.orderId, holding.skuId, 'DAMAGED_IN_TRANSIT', 2),
    );
    await eventually(async () =>
      (await skuOf(holding.productId, holding.skuId)).held === 2 ? true : undefined,
    );
    const list = async (query: string) =>
      (await call(base, 'GET', `/api/admin/products?size=100&${query}`)).body.content as Array<{
        id: number;
        heldTotal: number;
        deleted: boolean;
      }>;
    const find = async (query: string, id: number) => (await list(query)).find((p) => p.id === id);

    expect(await find('', holding.productId)).toMatchObject({ heldTotal: 2, deleted: false });
    expect(await find('', other.productId)).toMatchObject({ heldTotal: 0 });
    const held = await list('held=true');
    expect(held.some((p) => p.id === holding.productId)).toBe(true);
    expect(held.every((p) => p.heldTotal > 0)).toBe(true);
    expect((await list('held=false')).some((p) => p.id === holding.productId)).toBe(false);

    // Deleted (kept: it has orders) while units wait for inspection: still listed, marked deleted.
    for (const { productId } of [holding, other])
      expect((await call(base, 'DELETE', `/api/admin/products/${productId}`)).status).toBe(204);
    expect(await find('', holding.productId)).toMatchObject({ heldTotal: 2, deleted: true });
    expect(await find('held=true', holding.productId)).toMatchObject({ heldTotal: 2, deleted: true });
    expect(await find('', other.productId)).toBeUndefined();
    expect(await find('includeDeleted=true', other.productId)).toMatchObject({ deleted: true });

    // Written off, nothing waits: it leaves the list like any deleted product.
    const discarded = await call(
      base,
      'POST',
      `/api/admin/products/${holding.productId}/skus/${holding.skuId}/held-stock/discard`,
      { body: { quantity: 2 } },
    );
    expect(discarded.status).toBe(200);
    expect(await find('', holding.productId)).toBeUndefined();
  });
});

// Rows written before 0009 recorded no held change: it is worked out from the SKU's held count before
// and after each one, so the history of earlier write-offs says how many went too.
describe('migration 0009: the held change of earlier movements', () => {
  it('fills in what each hold, release and write-off moved, per SKU', async () => {
    const { database, old, db } = await startBeforeMigration('0009');
    const { id: categoryId } = await db
      .insertInto('categories')
      .values({ parent_id: null, name: '맨투맨', depth: 1, display_order: 0, displayed: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    const productId = await insertOldProduct(db, { code: 'OLD-1', name: '기본 맨투맨' });
    await db
      .insertInto('product_categories')
      .values({ product_id: productId, category_id: categoryId })
      .execute();
    const sku = async (code: string) =>
      (
        await db
          .insertInto('skus')
          .values({
            product_id: productId,
            sku_code: code,
            options: JSON.stringify({}) as never,
            price: 39_000,
            status: 'ACTIVE',
            removed: false,
            position: 0,
            stock: 7,
            reserved: 0,
            sold: 0,
            stock_version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const [a, b] = [await sku('OLD-1-A'), await sku('OLD-1-B')];
    // [sku, type, quantity, stock, sold, held] after each movement, the two SKUs interleaved.
    const rows: Array<
      [number, 'INITIAL' | 'HOLD' | 'RELEASE_HELD' | 'DISCARD', number, number, number, number]
    > = [
      [a, 'INITIAL', 10, 10, 0, 0],
      [b, 'INITIAL', 10, 10, 0, 0],
      [a, 'HOLD', 0, 10, 0, 3],
      [b, 'HOLD', 0, 10, 0, 1],
      [a, 'RELEASE_HELD', 1, 11, 0, 2],
      [a, 'DISCARD', 0, 11, 0, 0],
    ];
    for (const [skuId, type, quantity, stock, sold, held] of rows)
      await db
        .insertInto('stock_movements')
        .values({
          sku_id: skuId,
          product_id: productId,
          type,
          quantity,
          stock_after: stock,
          reserved_after: 0,
          sold_after: sold,
          held_after: held,
          reason: null,
          order_id: null,
          claim_type: null,
          order_number: null,
          actor: null,
        })
        .execute();
    await old.stop();

    const migrated = await startProductService({ database: { name: database } });
    try {
      const history = (await call(migrated.url, 'GET', `/api/admin/products/${productId}/stock-movements`))
        .body.content as Array<{ skuId: number; type: string; heldChange: number }>;
      expect(history.map((m) => [m.skuId, m.type, m.heldChange])).toEqual([
        [a, 'DISCARD', -2],
        [a, 'RELEASE_HELD', -1],
        [b, 'HOLD', 1],
        [a, 'HOLD', 3],
        [b, 'INITIAL', 0],
        [a, 'INITIAL', 0],
      ]);
    } finally {
      await migrated.stop();
    }
  });
});
