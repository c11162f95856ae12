import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually, MovableDiscovery, metricValue, scrapeMetrics } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COURIER_KEY, type Harness, startHarness } from './harness.ts';

interface Poll {
  via: string;
  invoice: string;
  /** The courier's status in its answer. */
  status: string;
  start: number;
  end: number;
}

/**
 * A recording proxy in front of the courier: each shipping-service instance reaches the courier
 * through its own proxy, and every trackingInfo call is recorded with its start and end (answers are
 * held back a little, so two polls of one waybill at once would overlap visibly; `hold` can hold an
 * answer back longer, given the poll without its end).
 */
async function startProxy(
  via: string,
  target: () => string,
  polls: Poll[],
  hold: (poll: Omit<Poll, 'end'>) => Promise<void> = () => new Promise((r) => setTimeout(r, 30)),
): Promise<Server & { url: string }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const start = performance.now();
    const tracking = req.url === '/api/v1/trackingInfo';
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)),
    ) as Record<string, string>;
    const upstream = await fetch(`${target()}${req.url}`, {
      method: req.method,
      headers,
      body: body.length ? body : undefined,
    });
    const text = await upstream.text();
    if (tracking) {
      const poll = {
        via,
        invoice: JSON.parse(body.toString()).t_invoice,
        status: JSON.parse(text).status,
        start,
      };
      await hold(poll);
      polls.push({ ...poll, end: performance.now() });
    }
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
    });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(server, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

describe('the tracking poller', () => {
  let h: Harness;

  beforeAll(async () => {
    // An instance wakes its own poller for the waybills it records and finds the others' at its idle
    // look (60 s by default): both look often here, so that they share the work from the start.
    h = await startHarness({ shipping: { shipping: { idleCheckMs: 200 } } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('shares the waybills between two instances without ever polling one waybill twice at once', async () => {
    const polls: Poll[] = [];
    const proxies = [
      await startProxy('a', () => h.courier.url, polls),
      await startProxy('b', () => h.courier.url, polls),
    ];
    const discoveries = proxies.map((proxy) => {
      const discovery = new MovableDiscovery();
      discovery.set('mock-courier', proxy.url);
      return discovery;
    });
    // Both instances reach the courier only through their proxies.
    h.discovery.set('mock-courier', proxies[0]!.url);
    const second = await h.startShipping(discoveries[1]);
    try {
      const orders = Array.from({ length: 8 }, () => h.paidOrder());
      for (const order of orders) await h.publishPaid(order);
      const waybills = await Promise.all(orders.map((o) => h.waybillOf(o)));
      // Let every waybill be asked about several times, by both instances overall.
      await eventually(
        () =>
          waybills.every((w) => polls.filter((p) => p.invoice === w).length >= 3) &&
          new Set(polls.map((p) => p.via)).size === 2,
        45_000,
      );
      for (const waybill of waybills) await h.advance(waybill, 'DELIVERED');
      for (const order of orders) await h.awaitEvent('shipment.delivered', order.orderId);

      for (const waybill of waybills) {
        const mine = polls.filter((p) => p.invoice === waybill).sort((x, y) => x.start - y.start);
        for (let i = 1; i < mine.length; i++) expect(mine[i]!.start).toBeGreaterThanOrEqual(mine[i - 1]!.end);
      }
      for (const order of orders) {
        expect(await h.eventsOf('shipment.delivered', order.orderId)).toHaveLength(1);
        const history = (await h.shippingOf(order)).body.shipments[0].history;
        expect(history).toHaveLength(6);
      }
    } finally {
      h.discovery.set('mock-courier', h.courier.url);
      await second.stop();
      for (const proxy of proxies) await new Promise((r) => proxy.close(r));
    }
  }, 120_000);

  it('rides out a courier outage behind its breaker and resumes by itself', async () => {
    const order = h.paidOrder();
    await h.publishPaid(order);
    const waybill = await h.waybillOf(order);
    await h.advance(waybill, 'IN_TRANSIT');
    await h.awaitEvent('shipment.in-transit', order.orderId);

    await h.stopCourier();
    const breaker = async () =>
      metricValue(await scrapeMetrics(h.shipping), 'circuit_breaker_state', {
        target: 'mock-courier',
      });
    await eventually(async () => (await breaker()) === 1, 15_000);
    // Still answering its own callers meanwhile.
    expect((await h.shippingOf(order)).body.shipments[0].status).toBe('SHIPPING');

    await h.restartCourier();
    await h.advance(waybill, 'DELIVERED');
    await h.awaitEvent('shipment.delivered', order.orderId);
    expect(await breaker()).toBe(0);
    expect((await h.shippingOf(order)).body.shipments[0].history).toHaveLength(6);
  });
});

describe('a tracking answer that comes back late', () => {
  let h: Harness;

  beforeAll(async () => {
    // Short leases, so that another instance takes a waybill over while an answer is held back; a
    // courier timeout longer than that hold, so that the late answer still arrives.
    h = await startHarness({
      shipping: {
        shipping: {
          courier: { accountKey: COURIER_KEY, timeoutMs: 10_000 },
          tracking: { pollIntervalMs: 100, tickMs: 50, retryBaseMs: 100, retryMaxMs: 400, leaseMs: 1_000 },
        },
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('is not applied to a waybill another instance has replaced since: the new waybill stays, and is delivered', async () => {
    const polls: Poll[] = [];
    const held: string[] = [];
    let holding = true;
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Instance A reaches the courier through a proxy that holds its answers saying CANCELLED.
    const proxy = await startProxy(
      'a',
      () => h.courier.url,
      polls,
      async (poll) => {
        if (!holding || poll.status !== 'CANCELLED') return;
        held.push(poll.invoice);
        await released;
      },
    );
    h.discovery.set('mock-courier', proxy.url);
    const direct = new MovableDiscovery();
    direct.set('mock-courier', h.courier.url);
    direct.set('product-service', h.products.url);
    try {
      // Another parcel in flight: A's polls of it show when A's tick has dealt with the late answer.
      const other = h.paidOrder();
      await h.publishPaid(other);
      await h.waybillOf(other);
      const order = h.paidOrder();
      await h.publishPaid(order);
      const first = await h.waybillOf(order);
      // The courier cancels the first waybill; A asks about it, and its answer is held past its lease.
      await h.advance(first, 'CANCELLED');
      await eventually(() => held.includes(first));
      // Instance B takes the waybill over once A's lease ran out, and the parcel gets a new waybill.
      await h.startShipping(direct);
      const second = await eventually(async () => {
        const [shipment] = (await h.shippingOf(order)).body.shipments;
        return shipment.trackingNumber && shipment.trackingNumber !== first
          ? (shipment.trackingNumber as string)
          : undefined;
      }, 15_000);

      // A's answer about the first waybill arrives now; A's next poll (of either) shows it has dealt with it.
      holding = false;
      const releasedAt = performance.now();
      release();
      await eventually(() => polls.some((p) => p.via === 'a' && p.start > releasedAt), 15_000);
      expect((await h.shippingOf(order)).body.shipments[0].trackingNumber).toBe(second);

      await h.advance(second, 'DELIVERED');
      await h.awaitEvent('shipment.delivered', order.orderId);
      expect((await h.shippingOf(order)).body.shipments[0]).toMatchObject({
        status: 'DELIVERED',
        trackingNumber: second,
      });
      const dispatched = await h.eventsOf('shipment.dispatched', order.orderId);
      expect(dispatched.map((e) => e.payload.trackingNumber)).toEqual([first, second]);
    } finally {
      holding = false;
      release();
      h.discovery.set('mock-courier', h.courier.url);
      await new Promise((r) => proxy.close(r));
    }
  }, 60_000);
});
