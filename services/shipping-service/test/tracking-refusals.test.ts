import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OrderPaidPayload } from '@sagamart/contracts';
import { eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.ts';

// A waybill the courier refuses to track for good (a 4xx, e.g. one it does not know) is not asked
// about again every lease, forever and unseen: its tracking is marked failed with the courier's
// reason, for the admin. A courier that cannot answer (5xx, 429), or refuses our account key until
// it is fixed (401, 403), is still asked again.

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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
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

  // 401 and 403 refuse our account key for every waybill alike: fixed, the same call succeeds.
  for (const status of [503, 429, 401, 403]) {
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
});
