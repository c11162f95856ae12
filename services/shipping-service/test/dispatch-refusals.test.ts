import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OrderPaidPayload } from '@sagamart/contracts';
import { eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COURIER_KEY, type Harness, startHarness } from './harness.ts';

// A parcel the courier refuses for good (a 4xx) is not sent again every lease, forever and unseen:
// its dispatch is marked failed with the courier's reason, for the admin, who issues it again once
// the cause is fixed. So is an exchange's parcel whose stock product-service refuses to sell for
// good. A courier or product-service that cannot answer (5xx, 429) is still simply tried again.

/** A server answering `status` to every call, counting the calls whose path ends in `counted`. */
async function startAnswering(status: number, counted: string) {
  let calls = 0;
  const server: Server = createServer((req, res) => {
    if (req.url?.endsWith(counted)) calls += 1;
    req.resume();
    res.writeHead(status, { 'content-type': 'application/json' }).end('{"code":"BUSY","message":"busy"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: () => calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Failure {
  code: string;
  message: string;
  failedAt: string;
}

describe('a parcel the courier refuses', () => {
  let h: Harness;
  beforeAll(async () => {
    // Each parcel is due autoDispatchDelayMs after payment, longer than the dispatcher's lease: a
    // refused parcel still in the dispatcher's passes would come due again before the next paid one.
    h = await startHarness({
      shipping: {
        shipping: {
          autoDispatchDelayMs: 600,
          tracking: { pollIntervalMs: 100, tickMs: 50, retryBaseMs: 100, retryMaxMs: 400, leaseMs: 300 },
        },
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** The order's parcel in the admin's shipment list. */
  async function adminShipment(order: OrderPaidPayload) {
    const list = await h.api.get(`/api/admin/shipping?orderNumber=${order.orderNumber}`, h.admin);
    expect(list.status).toBe(200);
    return list.body.content[0];
  }
  const failureOf = (order: OrderPaidPayload): Promise<Failure> =>
    eventually(async () => (await adminShipment(order))?.dispatchFailure);

  /** Stored before the address limits were tightened: 401 characters, one more than the courier takes. */
  const tooLong = () =>
    h.paidOrder({
      receiver: {
        ...h.paidOrder().receiver,
        address: '가'.repeat(200),
        addressDetail: '나'.repeat(200),
      },
    });

  it('is marked failed with the courier’s reason, and the dispatcher leaves it for the admin', async () => {
    const refused = tooLong();
    await h.publishPaid(refused);
    const failure = await failureOf(refused);
    expect(failure).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('address') });
    expect(await adminShipment(refused)).toMatchObject({
      status: 'READY',
      courierStatus: 'NOT_SENT',
      trackingNumber: null,
    });
    // The shopper's view names no courier error.
    const own = (await h.shippingOf(refused)).body.shipments[0];
    expect(own).toMatchObject({ status: 'READY', trackingNumber: null });
    expect(own).not.toHaveProperty('dispatchFailure');

    // A parcel paid now comes due after the refused one's lease ran out: the pass that sends it would
    // have sent the refused one again first (passes go by due time), and the courier refused it again.
    const next = h.paidOrder();
    await h.publishPaid(next);
    await h.waybillOf(next);
    expect(await failureOf(refused)).toEqual(failure);
  });

  it('is tried again by the admin’s issue, who is told the courier’s reason again', async () => {
    const refused = tooLong();
    await h.publishPaid(refused);
    const first = await failureOf(refused);
    const { id } = await adminShipment(refused);

    const issued = await h.api.post('/api/admin/shipping/waybills', { shipmentIds: [id] }, h.admin);
    expect(issued.status).toBe(200);
    expect(issued.body.results[0]).toMatchObject({
      shipmentId: id,
      trackingNumber: null,
      error: { code: 'INVALID_REQUEST' },
    });
    const again = await failureOf(refused);
    expect(again.code).toBe('INVALID_REQUEST');
    expect(Date.parse(again.failedAt)).toBeGreaterThan(Date.parse(first.failedAt));
  });

  it('when the courier refuses the shop’s account, the admin issues the parcel once the account is right', async () => {
    await h.stopCourier();
    await h.restartCourier({ mockCourier: { accountKey: 'someone_elses_key', stepMs: 0 } });
    const order = h.paidOrder();
    await h.publishPaid(order);
    expect(await failureOf(order)).toMatchObject({ code: 'INVALID_ACCOUNT_KEY' });

    await h.stopCourier();
    await h.restartCourier({ mockCourier: { accountKey: COURIER_KEY, stepMs: 0 } });
    const { id } = await adminShipment(order);
    const issued = await h.api.post('/api/admin/shipping/waybills', { shipmentIds: [id] }, h.admin);
    expect(issued.body.results[0]).toMatchObject({ trackingNumber: expect.any(String), error: null });
    expect(await adminShipment(order)).toMatchObject({
      courierStatus: 'ACCEPTED',
      trackingNumber: issued.body.results[0].trackingNumber,
      dispatchFailure: null,
    });
    await h.awaitEvent('shipment.dispatched', order.orderId);
  });

  for (const status of [503, 429]) {
    it(`is not what a courier answering ${status} does: that one is tried again until it answers`, async () => {
      const busy = await startAnswering(status, '/bulk-upload');
      try {
        h.discovery.set('mock-courier', busy.url);
        const order = h.paidOrder();
        await h.publishPaid(order);
        await eventually(() => busy.calls() >= 2);
        expect(await adminShipment(order)).toMatchObject({
          courierStatus: 'NOT_SENT',
          dispatchFailure: null,
        });

        h.discovery.set('mock-courier', h.courier.url);
        await h.waybillOf(order);
      } finally {
        h.discovery.set('mock-courier', h.courier.url);
        await busy.close();
      }
    });
  }

  describe('an exchange’s new option', () => {
    /** A delivered order with an exchange of one T-shirt approved (its new option reserved). */
    async function exchangeApproved() {
      h.skus.set(102, { productId: 10, price: 10_000 });
      const { order } = await h.delivered();
      const asked = await h.api.post(
        `/api/orders/${order.orderId}/exchanges`,
        {
          items: [{ orderItemId: order.items[0]!.orderItemId, quantity: 1, newSkuId: 102 }],
          reason: 'WRONG_ITEM',
        },
        h.owner(order),
      );
      expect(asked.status).toBe(201);
      const approved = await h.api.post(
        `/api/admin/shipping/exchanges/${asked.body.id}/approve`,
        undefined,
        h.admin,
      );
      expect(approved.status).toBe(200);
      return {
        order,
        claimId: asked.body.id as string,
        pickup: approved.body.pickupTrackingNumber as string,
      };
    }
    /** The exchange's parcel in the admin's shipment list. */
    async function reshipOf(order: OrderPaidPayload) {
      const list = await h.api.get(
        `/api/admin/shipping?orderNumber=${order.orderNumber}&kind=EXCHANGE`,
        h.admin,
      );
      return list.body.content[0];
    }
    const commitsOf = async (claimId: string) =>
      (await h.reservations()).find((r) => r.claim_id === claimId)?.commits ?? 0;

    /** An exchange collected whose reservation product-service gave back meanwhile: its parcel marked failed. */
    async function stockRefused() {
      const { order, claimId, pickup } = await exchangeApproved();
      // product-service gave the stock back meanwhile: selling it is refused (409) however often asked.
      await h.releaseReservation(claimId);
      await h.advance(pickup, 'DELIVERED');
      await h.awaitEvent('exchange.collected', order.orderId);
      const failure: Failure = await eventually(async () => (await reshipOf(order))?.dispatchFailure);
      return { order, claimId, failure };
    }
    const issue = (shipmentId: string) =>
      h.api.post('/api/admin/shipping/waybills', { shipmentIds: [shipmentId] }, h.admin);

    it('whose stock product-service refuses to sell is marked failed for the admin, not sent again', async () => {
      const { order, claimId, failure } = await stockRefused();
      expect(failure).toMatchObject({ code: 'STOCK_REFUSED', message: expect.stringContaining('RELEASED') });
      expect(await reshipOf(order)).toMatchObject({ status: 'READY', courierStatus: 'NOT_SENT' });
      const asked = await commitsOf(claimId);
      expect(asked).toBeGreaterThan(0);

      // As above: the pass that sends a parcel paid now would have tried the refused one again first.
      const next = h.paidOrder();
      await h.publishPaid(next);
      await h.waybillOf(next);
      expect(await commitsOf(claimId)).toBe(asked);
      expect((await reshipOf(order)).dispatchFailure).toEqual(failure);
    });

    it('is reserved again when the admin issues it again, and ships', async () => {
      const { order, claimId } = await stockRefused();
      const { id } = await reshipOf(order);

      const issued = await issue(id);
      expect(issued.status).toBe(200);
      expect(issued.body.results[0]).toMatchObject({ trackingNumber: expect.any(String), error: null });
      expect(await reshipOf(order)).toMatchObject({ courierStatus: 'ACCEPTED', dispatchFailure: null });
      const reship = await h.awaitEvent('shipment.dispatched', order.orderId, 2);
      expect(reship.payload).toMatchObject({ kind: 'EXCHANGE', claimId });
      // A new reservation of the same options under a new key, sold as the parcel left; the released
      // one stays released.
      const reservations = (await h.reservations()).filter((r) => r.claim_id.startsWith(claimId));
      expect(reservations).toHaveLength(2);
      expect(reservations).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ claim_id: claimId, state: 'RELEASED' }),
          expect.objectContaining({ state: 'SOLD' }),
        ]),
      );
    });

    it('is not shipped while its options are sold out: the admin is told so in words, and it stays marked', async () => {
      const { order, claimId } = await stockRefused();
      const { id } = await reshipOf(order);
      const soldOut = await startAnswering(409, '/internal/stock/reservations');
      try {
        h.discovery.set('product-service', soldOut.url);
        const issued = await issue(id);
        expect(issued.status).toBe(200);
        const answer = issued.body.results[0];
        expect(answer).toMatchObject({
          trackingNumber: null,
          error: { code: 'EXCHANGE_OUT_OF_STOCK', message: expect.stringContaining('재고') },
        });
        expect(answer.error.message).not.toContain(claimId);
        expect(soldOut.calls()).toBe(1);
        expect(await reshipOf(order)).toMatchObject({
          courierStatus: 'NOT_SENT',
          dispatchFailure: { code: 'STOCK_REFUSED' },
        });
      } finally {
        h.discovery.set('product-service', h.products.url);
        await soldOut.close();
      }
      // Restocked: issued again, it ships.
      const issued = await issue(id);
      expect(issued.body.results[0]).toMatchObject({ trackingNumber: expect.any(String), error: null });
      expect((await reshipOf(order)).dispatchFailure).toBeNull();
    });

    // Only the reservation's own refusals (404 nothing reserved, 409 released) are for good; a route
    // product-service does not have, or a refused call (our settings), is tried again like an outage.
    for (const status of [503, 400, 403, 404]) {
      it(`is tried again while product-service answers ${status}, and ships once it sells`, async () => {
        const { order, claimId, pickup } = await exchangeApproved();
        const busy = await startAnswering(status, `/${claimId}/commit`);
        try {
          h.discovery.set('product-service', busy.url);
          await h.advance(pickup, 'DELIVERED');
          await h.awaitEvent('exchange.collected', order.orderId);
          await eventually(() => busy.calls() >= 2);
          expect(await reshipOf(order)).toMatchObject({ courierStatus: 'NOT_SENT', dispatchFailure: null });
        } finally {
          h.discovery.set('product-service', h.products.url);
          await busy.close();
        }
        const reship = await h.awaitEvent('shipment.dispatched', order.orderId, 2);
        expect(reship.payload).toMatchObject({ kind: 'EXCHANGE', claimId });
      });
    }
  });
});
