import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OrderPaidPayload } from '@sagamart/contracts';
import { eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COURIER_KEY, type Harness, startHarness } from './harness.ts';

// A waybill the courier says it does not know (NOT_FOUND_WAYBILL, about that waybill alone) is not
// asked about again every lease, unseen: its tracking is marked failed with the courier's reason, for
// the admin, re-checked on a slow schedule (shipping.tracking.refusedRecheckMs) and resumed at once by
// the admin's resume. A courier that cannot answer (5xx, 429), or refuses the whole request (400,
// 401, 403, a 404 that names no waybill: our account or settings, until they are fixed), is still
// asked again and never marks a waybill failed.

interface Failure {
  code: string;
  message: string;
  failedAt: string;
}

/**
 * A proxy in front of the courier that counts the trackingInfo calls per waybill. A waybill in `lost`
 * is asked about under a number the courier never issued, so the courier's own refusal comes back;
 * one in `busy` gets that status from the proxy, as from a courier that cannot answer now.
 */
async function startTrackingProxy(target: () => string) {
  const polls = new Map<string, number>();
  const lost = new Set<string>();
  const busy = new Map<string, number>();
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks).toString();
    if (req.url === '/api/v1/trackingInfo') {
      const asked = JSON.parse(body) as { t_invoice: string };
      polls.set(asked.t_invoice, (polls.get(asked.t_invoice) ?? 0) + 1);
      const status = busy.get(asked.t_invoice);
      if (status) {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end('{"code":"BUSY","message":"busy"}');
        return;
      }
      if (lost.has(asked.t_invoice)) body = JSON.stringify({ ...asked, t_invoice: `LOST${asked.t_invoice}` });
    }
    const upstream = await fetch(`${target()}${req.url}`, {
      method: req.method,
      headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
      body: body.length ? body : undefined,
    });
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
    });
    res.end(await upstream.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    lost,
    busy,
    polls: (trackingNumber: string) => polls.get(trackingNumber) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // shipping-service's keep-alive connections would hold the close until it stops.
        server.closeAllConnections();
      }),
  };
}

describe('a waybill the courier refuses to track', () => {
  let h: Harness;
  let proxy: Awaited<ReturnType<typeof startTrackingProxy>>;

  beforeAll(async () => {
    // The harness polls every 100 ms and backs a failing waybill off 100, 200, then at most 400 ms.
    h = await startHarness();
    proxy = await startTrackingProxy(() => h.courier.url);
    h.discovery.set('mock-courier', proxy.url);
  });
  afterAll(async () => {
    await proxy?.close();
    await h?.stop();
  });

  /** The order's parcel in the admin's shipment list. */
  async function adminShipment(order: OrderPaidPayload) {
    const list = await h.api.get(`/api/admin/shipping?orderNumber=${order.orderNumber}`, h.admin);
    expect(list.status).toBe(200);
    return list.body.content[0];
  }

  /** A paid order whose waybill the courier no longer knows, answered its waybill. */
  async function lostWaybill() {
    const order = h.paidOrder();
    await h.publishPaid(order);
    const trackingNumber = await h.waybillOf(order);
    proxy.lost.add(trackingNumber);
    return { order, trackingNumber };
  }

  /**
   * Waits until a healthy waybill was asked about `times` more times. It is asked every 100 ms, and
   * the poller claims waybills by due time: by then any waybill still backed off (at most 400 ms)
   * would have come due and been asked about too.
   */
  async function pollHealthy(times: number) {
    const order = h.paidOrder();
    await h.publishPaid(order);
    const healthy = await h.waybillOf(order);
    const from = proxy.polls(healthy);
    await eventually(() => proxy.polls(healthy) >= from + times);
  }

  it('is marked failed with the courier’s reason for the admin, and asked about no more', async () => {
    const { order, trackingNumber } = await lostWaybill();
    const failure: Failure = await eventually(async () => (await adminShipment(order))?.trackingFailure);
    expect(failure).toMatchObject({
      code: 'NOT_FOUND_WAYBILL',
      message: expect.stringContaining('찾을 수 없습니다'),
    });
    expect(await adminShipment(order)).toMatchObject({
      status: 'READY',
      courierStatus: 'ACCEPTED',
      trackingNumber,
      dispatchFailure: null,
    });
    // The shopper's view names no courier error.
    expect((await h.shippingOf(order)).body.shipments[0]).not.toHaveProperty('trackingFailure');

    const asked = proxy.polls(trackingNumber);
    await pollHealthy(8);
    expect(proxy.polls(trackingNumber)).toBe(asked);
    expect((await adminShipment(order)).trackingFailure).toEqual(failure);
  });

  // 400, 401, 403 and a 404 without a waybill's code refuse the request for every waybill alike (our
  // account or settings): fixed, the same call succeeds.
  for (const status of [503, 429, 400, 401, 403, 404]) {
    it(`is not what a courier answering ${status} does: that waybill is asked about until it answers`, async () => {
      const order = h.paidOrder();
      await h.publishPaid(order);
      const trackingNumber = await h.waybillOf(order);
      proxy.busy.set(trackingNumber, status);
      const from = proxy.polls(trackingNumber);
      try {
        await eventually(() => proxy.polls(trackingNumber) >= from + 3);
        expect((await adminShipment(order)).trackingFailure).toBeNull();
      } finally {
        proxy.busy.delete(trackingNumber);
      }
      await h.advance(trackingNumber, 'DELIVERED');
      await h.awaitEvent('shipment.delivered', order.orderId);
      expect(await adminShipment(order)).toMatchObject({ status: 'DELIVERED', trackingFailure: null });
    });
  }

  it('is not what a courier refusing our courier code does: every waybill is asked again, and resumes once it is fixed', async () => {
    const order = h.paidOrder();
    await h.publishPaid(order);
    const trackingNumber = await h.waybillOf(order);
    // The courier's code in our settings no longer matches: 400 INVALID_REQUEST for every waybill.
    // (A restarted courier is found at its own address: the proxy is put back in front of it.)
    await h.restartCourier({ mockCourier: { accountKey: COURIER_KEY, stepMs: 0, code: '98' } });
    h.discovery.set('mock-courier', proxy.url);
    try {
      const from = proxy.polls(trackingNumber);
      await eventually(() => proxy.polls(trackingNumber) >= from + 3);
      expect((await adminShipment(order)).trackingFailure).toBeNull();
    } finally {
      await h.restartCourier({});
      h.discovery.set('mock-courier', proxy.url);
    }
    await h.advance(trackingNumber, 'DELIVERED');
    await h.awaitEvent('shipment.delivered', order.orderId);
    expect(await adminShipment(order)).toMatchObject({ status: 'DELIVERED', trackingFailure: null });
  });

  describe('the admin’s resume', () => {
    const resume = (shipmentId: string, as = h.admin) =>
      h.api.post(`/api/admin/shipping/${shipmentId}/tracking/resume`, undefined, as);

    it('clears the mark and asks the courier at once; the parcel is delivered', async () => {
      const { order, trackingNumber } = await lostWaybill();
      await eventually(async () => (await adminShipment(order))?.trackingFailure);
      const { id } = await adminShipment(order);
      // The courier knows the waybill now (it was not scanned yet, or an operator fixed it there).
      proxy.lost.delete(trackingNumber);
      await h.advance(trackingNumber, 'DELIVERED');
      const asked = proxy.polls(trackingNumber);

      const resumed = await resume(id);
      expect(resumed.status).toBe(200);
      expect(resumed.body).toMatchObject({ id, trackingNumber, trackingFailure: null });
      await h.awaitEvent('shipment.delivered', order.orderId);
      expect(proxy.polls(trackingNumber)).toBeGreaterThan(asked);
      expect(await adminShipment(order)).toMatchObject({ status: 'DELIVERED', trackingFailure: null });
    });

    it('marks it failed again when the courier still does not know the waybill', async () => {
      const { order } = await lostWaybill();
      const first: Failure = await eventually(async () => (await adminShipment(order))?.trackingFailure);
      const { id } = await adminShipment(order);
      expect((await resume(id)).body.trackingFailure).toBeNull();
      const again: Failure = await eventually(async () => (await adminShipment(order))?.trackingFailure);
      expect(again.code).toBe('NOT_FOUND_WAYBILL');
      expect(Date.parse(again.failedAt)).toBeGreaterThan(Date.parse(first.failedAt));
    });

    it('is the admin’s alone, and answers 404 for no shipment and 409 for a parcel not being tracked', async () => {
      const { order } = await lostWaybill();
      await eventually(async () => (await adminShipment(order))?.trackingFailure);
      const { id } = await adminShipment(order);
      expect((await resume(id, h.owner(order))).status).toBe(403);
      expect((await adminShipment(order)).trackingFailure).not.toBeNull();

      expect((await resume('00000000-0000-4000-8000-000000000000')).status).toBe(404);
      const { order: delivered } = await h.delivered();
      const done = await resume((await adminShipment(delivered)).id);
      expect(done.status).toBe(409);
      expect(done.headers.get('content-type')).toContain('application/problem+json');
    });
  });
});

describe('a waybill whose tracking was marked failed', () => {
  let h: Harness;
  let proxy: Awaited<ReturnType<typeof startTrackingProxy>>;

  beforeAll(async () => {
    h = await startHarness({
      shipping: {
        shipping: {
          tracking: {
            pollIntervalMs: 100,
            tickMs: 50,
            retryBaseMs: 100,
            retryMaxMs: 400,
            leaseMs: 2_000,
            refusedRecheckMs: 300,
          },
        },
      },
    });
    proxy = await startTrackingProxy(() => h.courier.url);
    h.discovery.set('mock-courier', proxy.url);
  });
  afterAll(async () => {
    await proxy?.close();
    await h?.stop();
  });

  it('is asked about again on the slow schedule, and a courier that knows it again clears the mark', async () => {
    const order = h.paidOrder();
    await h.publishPaid(order);
    const trackingNumber = await h.waybillOf(order);
    proxy.lost.add(trackingNumber);
    const adminShipment = async () =>
      (await h.api.get(`/api/admin/shipping?orderNumber=${order.orderNumber}`, h.admin)).body.content[0];
    await eventually(async () => (await adminShipment())?.trackingFailure);
    const asked = proxy.polls(trackingNumber);
    await eventually(() => proxy.polls(trackingNumber) >= asked + 2);

    proxy.lost.delete(trackingNumber);
    await h.advance(trackingNumber, 'DELIVERED');
    await h.awaitEvent('shipment.delivered', order.orderId);
    expect(await adminShipment()).toMatchObject({ status: 'DELIVERED', trackingFailure: null });
  });
});
