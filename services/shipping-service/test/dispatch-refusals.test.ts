import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OrderPaidPayload } from '@sagamart/contracts';
import { eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COURIER_KEY, type Harness, startHarness } from './harness.ts';

// A parcel the courier refuses for good (a 4xx) is not sent again every lease, forever and unseen:
// its dispatch is marked failed with the courier's reason, for the admin, who issues it again once
// the cause is fixed. A courier that cannot be reached is still simply tried again.

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

  it('is not what a courier that cannot be reached does: that one is tried again until it answers', async () => {
    // A courier answering 503 to every call, counting the uploads it was sent.
    let uploads = 0;
    const unavailable: Server = createServer((req, res) => {
      if (req.url?.endsWith('/bulk-upload')) uploads += 1;
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"code":"BUSY","message":"busy"}');
    });
    await new Promise<void>((resolve) => unavailable.listen(0, '127.0.0.1', resolve));
    try {
      h.discovery.set('mock-courier', `http://127.0.0.1:${(unavailable.address() as AddressInfo).port}`);
      const order = h.paidOrder();
      await h.publishPaid(order);
      await eventually(() => uploads >= 2);
      expect(await adminShipment(order)).toMatchObject({
        courierStatus: 'NOT_SENT',
        dispatchFailure: null,
      });

      h.discovery.set('mock-courier', h.courier.url);
      await h.waybillOf(order);
    } finally {
      h.discovery.set('mock-courier', h.courier.url);
      await new Promise((resolve) => unavailable.close(resolve));
    }
  });
});
