import { randomUUID } from 'node:crypto';
import {
  type ClaimReason,
  ExchangeCollected,
  ReturnCompleted,
  type ReturnCompletedPayload,
} from '@sagamart/contracts';
import {
  type ConfigTree,
  DeploymentCredentials,
  type Kysely,
  type MessagingTables,
  SERVICE_TOKEN_HEADER,
  type Service,
} from '@sagamart/kit';
import { asService, EventProbe, eventually, TEST_DEPLOYMENT_SECRET, uniqueName } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, leafCategory, productBody, SHOPPER, startProductService } from './support.ts';

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
  let base: string;
  let leaf: number;
  beforeAll(async () => {
    const config: ConfigTree = {
      bus: { database: uniqueName('t_bus'), pollMs: 200 },
      events: { baseDelayMs: 50 },
    };
    [service, probe] = await Promise.all([startProductService(config), EventProbe.start(config)]);
    base = service.url;
    ({ leaf } = await leafCategory(base, '맨투맨'));
  });
  afterAll(async () => {
    await Promise.all([service?.stop(), probe?.stop()]);
  });

  const asShippingService = {
    [SERVICE_TOKEN_HEADER]: new DeploymentCredentials('shipping-service', {
      current: TEST_DEPLOYMENT_SECRET,
    }).mint('product-service'),
  };
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

  function returned(
    orderId: string,
    skuId: number,
    reason: ClaimReason | undefined,
    quantity = 1,
  ): ReturnCompletedPayload {
    return {
      claimId: randomUUID(),
      orderId,
      orderNumber: 'ORD-20261207-RT12RT34',
      userId: randomUUID(),
      version: 4,
      ...(reason ? { reason } : {}),
      items: [{ orderItemId: 1, skuId, quantity, refundAmount: 39_000 * quantity, pointsRefund: 0 }],
      refundAmount: 39_000 * quantity,
      pointsRefund: 0,
      feeAmount: 0,
      restoreCoupon: false,
      couponId: null,
      wholeOrder: false,
      completedAt: new Date().toISOString(),
    };
  }

  it('puts a change-of-mind or wrong-item unit back on sale and holds a defective or damaged one', async () => {
    const { productId, skuId, orderId } = await soldProduct('back-1', 4);
    expect(await skuOf(productId, skuId)).toMatchObject({ stock: 6, sold: 4, held: 0 });

    const changeOfMind = returned(orderId, skuId, 'CHANGE_OF_MIND');
    await probe.publish(ReturnCompleted, changeOfMind);
    await eventually(async () => ((await skuOf(productId, skuId)).sold === 3 ? true : undefined));
    expect(await skuOf(productId, skuId)).toMatchObject({ stock: 7, sold: 3, held: 0 });

    const defective = returned(orderId, skuId, 'DEFECTIVE');
    await probe.publish(ReturnCompleted, defective);
    await eventually(async () => ((await skuOf(productId, skuId)).sold === 2 ? true : undefined));
    // Not for sale: the next shopper cannot buy it.
    expect(await skuOf(productId, skuId)).toMatchObject({ stock: 7, sold: 2, held: 1 });

    await probe.publish(ReturnCompleted, returned(orderId, skuId, 'WRONG_ITEM'));
    await probe.publish(ReturnCompleted, returned(orderId, skuId, 'DAMAGED_IN_TRANSIT'));
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
    const defective = returned(orderId, skuId, 'DEFECTIVE');
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
    await probe.publish(ReturnCompleted, returned(orderId, skuId, undefined));
    await eventually(async () => ((await skuOf(productId, skuId)).held === 2 ? true : undefined));
    expect(await skuOf(productId, skuId)).toMatchObject({ stock: 7, sold: 1, held: 2 });
  });

  it('holds the old option of an exchange sent back damaged and still sells the new one', async () => {
    const { productId, skuId, otherSkuId, orderId } = await soldProduct('back-3', 2);
    const claimId = randomUUID();
    const reserved = await call(base, 'POST', '/internal/stock/reservations', {
      body: { orderId: claimId, items: [{ skuId: otherSkuId, quantity: 1 }] },
      headers: asShippingService,
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
    await probe.publish(ReturnCompleted, returned(orderId, skuId, 'DEFECTIVE', 3));
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
});
