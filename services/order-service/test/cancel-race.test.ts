import { type Kysely, sql } from '@sagamart/kit';
import { eventsHandled, eventually, holdLocks, waitForLockWaiters } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVERY, type Json, type Shop, startShop } from './support/shop.ts';

/**
 * A shopper cancels the moment they have paid. The cancel reads the order while the payment's
 * commit is being recorded, and gets the order's lock only once the order is PAID and order.paid has
 * left for shipping-service. The cancel must then stop the parcel first: a refunded order whose
 * parcel still goes out is goods for free.
 */
describe('a cancel racing the payment', () => {
  let shop: Shop;
  beforeAll(async () => {
    // Waybills wait for the admin, so a parcel that exists can always be stopped.
    shop = await startShop({
      afterSale: { shipping: { autoDispatch: false } },
      proxied: ['product-service'],
    });
  }, 120_000);
  afterAll(async () => {
    await shop?.close();
  });

  it('stops the parcel of an order that became PAID while the cancel waited for it', async () => {
    const { skuIds } = await shop.product([10], 10_000);
    const user = await shop.shopper(0);
    const placed = await shop.place(user, {
      items: [{ skuId: skuIds[0], quantity: 1 }],
      delivery: DELIVERY,
    });
    expect(placed.status).toBe(201);
    const { orderId, orderNumber } = placed.body;
    const shipping = shop.service('shipping-service');
    const paidSeen = await eventsHandled(shipping, 'order.paid');

    // The stock is sold, its answer held: the order waits to be recorded PAID.
    const commit = shop
      .proxy('product-service')
      .hold((r) => r.path === `/internal/stock/reservations/${orderId}/commit`, 'response');
    expect((await shop.pay(orderNumber)).status).toBe(200);
    await commit.reached;

    // The order's row locked here, so that recording PAID and the cancel queue up behind it, in turn.
    const db = shop.service('order-service').context.db as Kysely<Json>;
    const lock = await holdLocks(db, (trx) =>
      sql`select id from orders where id = ${orderId} for update`.execute(trx),
    );
    commit.release();
    await waitForLockWaiters(db, 1);
    const cancelling = shop.api('order-service').post(`/api/orders/${orderId}/cancel`, {}, user.headers);
    await waitForLockWaiters(db, 2);
    await lock.release();

    const cancelled = await cancelling;
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const detail = (await shop.order(user, orderId)).body;
    expect(detail.status).toBe('CANCELLED');
    const events = detail.timeline.map((t: Json) => t.event);
    expect(events.indexOf('PAID'), 'the cancel met a PAID order').toBeGreaterThanOrEqual(0);
    expect(events.indexOf('PAID')).toBeLessThan(events.lastIndexOf('CANCELLED'));

    // shipping-service has handled order.paid: the parcel is cancelled, or was never made.
    await eventually(async () => (await eventsHandled(shipping, 'order.paid')) > paidSeen);
    const parcel = await shop.api('shipping-service').get(`/api/shipping/orders/${orderId}`, user.headers);
    if (parcel.status !== 404) {
      expect(parcel.status).toBe(200);
      expect(parcel.body.shipments.map((s: Json) => s.status)).toEqual(['CANCELLED']);
    }
  }, 60_000);

  it('lets go of an unpaid attempt only: unpaidOnly refuses an order approved meanwhile, and keeps it', async () => {
    const { skuIds } = await shop.product([10], 10_000);
    const user = await shop.shopper(0);
    const cancel = (orderId: string) =>
      shop.api('order-service').post(`/api/orders/${orderId}/cancel?unpaidOnly=true`, {}, user.headers);

    // Not paid: let go.
    const unpaid = await shop.place(user, { items: [{ skuId: skuIds[0], quantity: 1 }], delivery: DELIVERY });
    expect(unpaid.body.status).toBe('PAYMENT_PENDING');
    const released = await cancel(unpaid.body.orderId);
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(released.body.status).toBe('CANCELLED');

    // Approved, its stock still being committed (the order reads PAYMENT_PENDING): kept.
    const placed = await shop.place(user, { items: [{ skuId: skuIds[0], quantity: 1 }], delivery: DELIVERY });
    const { orderId, orderNumber } = placed.body;
    const commit = shop
      .proxy('product-service')
      .hold((r) => r.path === `/internal/stock/reservations/${orderId}/commit`, 'response');
    expect((await shop.pay(orderNumber)).status).toBe(200);
    await commit.reached;
    const committing = await cancel(orderId);
    expect(committing.status, JSON.stringify(committing.body)).toBe(409);
    expect(committing.body.type).toContain('order-paid');
    commit.release();
    await eventually(async () => (await shop.order(user, orderId)).body.status === 'PAID');

    // PAID: kept too.
    const paid = await cancel(orderId);
    expect(paid.status).toBe(409);
    expect((await shop.order(user, orderId)).body.status).toBe('PAID');
  }, 60_000);
});
