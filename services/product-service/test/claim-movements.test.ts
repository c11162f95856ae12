import { randomUUID } from 'node:crypto';
import { ExchangeCollected, ReturnCompleted } from '@sagamart/contracts';
import type { Service } from '@sagamart/kit';
import { asService, EventProbe, eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asShippingService,
  call,
  leafCategory,
  productBody,
  returnCompleted,
  sharedBusConfig,
  startProductService,
} from './support.ts';

// The admin's stock history of returns and exchanges: their movements are keyed by the claim's id,
// so the history says which kind of claim and the order's number, not an id the admin cannot use.

interface Movement {
  skuId: number;
  type: string;
  quantity: number;
  reason: string | null;
  orderId: string | null;
  claimType: string | null;
  orderNumber: string | null;
}

describe('product-service: stock movements of returns and exchanges', () => {
  let service: Service<unknown>;
  let probe: EventProbe;
  let base: string;
  let leaf: number;
  beforeAll(async () => {
    const config = sharedBusConfig();
    [service, probe] = await Promise.all([startProductService(config), EventProbe.start(config)]);
    base = service.url;
    ({ leaf } = await leafCategory(base, '후드티'));
  });
  afterAll(async () => {
    await Promise.all([service?.stop(), probe?.stop()]);
  });

  const asOrderService = asService();
  const history = async (productId: number): Promise<Movement[]> =>
    (await call(base, 'GET', `/api/admin/products/${productId}/stock-movements?size=100`)).body.content;

  it('names the claim and the order’s number instead of showing a claim as an order', async () => {
    const created = await call(base, 'POST', '/api/admin/products', { body: productBody('claims-1', leaf) });
    expect(created.status).toBe(201);
    const productId: number = created.body.id;
    const [worn, wanted] = created.body.skus as Array<{ id: number }>;
    const orderId = randomUUID();
    const orderNumber = 'ORD-20261207-AB12CD34';
    const returnId = randomUUID();
    const exchangeId = randomUUID();

    // The order's two units, sold.
    const reserved = await call(base, 'POST', '/internal/stock/reservations', {
      body: { orderId, items: [{ skuId: worn!.id, quantity: 2 }] },
      headers: asOrderService,
    });
    expect(reserved.status).toBe(200);
    expect(
      (
        await call(base, 'POST', `/internal/stock/reservations/${orderId}/commit`, {
          headers: asOrderService,
        })
      ).status,
    ).toBe(200);
    // An exchange of one unit is approved: its new option is held under the claim's id.
    const held = await call(base, 'POST', '/internal/stock/reservations', {
      body: { orderId: exchangeId, items: [{ skuId: wanted!.id, quantity: 1 }] },
      headers: asShippingService(),
    });
    expect(held.status).toBe(200);
    expect((await history(productId)).find((m) => m.orderId === exchangeId)).toMatchObject({
      type: 'RESERVE',
      claimType: 'EXCHANGE',
      orderNumber: null,
    });

    const claimRef = { orderId, orderNumber, userId: randomUUID(), version: 4 };
    await probe.publish(ReturnCompleted, {
      ...returnCompleted(orderId, worn!.id, 'CHANGE_OF_MIND'),
      ...claimRef,
      claimId: returnId,
    });
    await probe.publish(ExchangeCollected, {
      ...claimRef,
      claimId: exchangeId,
      reason: 'CHANGE_OF_MIND',
      items: [{ orderItemId: 1, skuId: worn!.id, newSkuId: wanted!.id, quantity: 1 }],
      collectedAt: new Date().toISOString(),
    });
    const movements = await eventually(async () => {
      const all = await history(productId);
      return all.filter((m) => m.orderId !== null).length === 6 ? all : undefined;
    });
    const of = (key: string, type: string) => movements.find((m) => m.orderId === key && m.type === type);

    expect(of(returnId, 'RETURN')).toMatchObject({
      claimType: 'RETURN',
      orderNumber,
      reason: null,
      quantity: 1,
    });
    expect(of(exchangeId, 'RETURN')).toMatchObject({ claimType: 'EXCHANGE', orderNumber, reason: null });
    expect(of(exchangeId, 'SELL')).toMatchObject({ claimType: 'EXCHANGE', orderNumber });
    // The reservation made before any event named the order is named by the exchange's event.
    expect(of(exchangeId, 'RESERVE')).toMatchObject({ claimType: 'EXCHANGE', orderNumber });
    // The order's own movements stay an order's.
    expect(of(orderId, 'RESERVE')).toMatchObject({ claimType: null });
    expect(of(orderId, 'SELL')).toMatchObject({ claimType: null });
  });
});
