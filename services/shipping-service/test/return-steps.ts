import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OrderPaidPayload } from '@sagamart/contracts';
import { eventually, jsonClient } from '@sagamart/testkit';
import { expect } from 'vitest';
import { COURIER_KEY, type Harness } from './harness.ts';

/**
 * A proxy in front of the courier, between it and shipping-service. `slowUploads` holds back that many
 * bulk-upload answers past shipping-service's 1 s timeout (the courier has done the work: the answer
 * is lost); `down` drops every connection; `refuse` answers every call with that status for the whole
 * call, as the courier refuses a rotated account key (401) before it looks at any item; `holdCancelMs`
 * holds each bulk-cancel that long before passing it on. It notes each pickup waybill the courier
 * answered, lost or not, each parcel's (`parcels`, by the upload's reference), each waybill whose
 * cancel reached it (`cancelsAsked`, before any hold) and that it passed on (`cancels`), and each
 * upload reference it refused.
 */
export async function startCourierProxy(target: () => string) {
  const state = {
    slowUploads: 0,
    down: false,
    refuse: undefined as number | undefined,
    holdCancelMs: 0,
    pickups: [] as string[],
    parcels: [] as { reference: string; trackingNumber: string }[],
    cancelsAsked: [] as string[],
    cancels: [] as string[],
    refused: [] as string[],
  };
  const server: Server = createServer(async (req, res) => {
    if (state.down) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (state.refuse) {
      if (req.url?.endsWith('/bulk-upload')) {
        state.refused.push(
          ...(JSON.parse(body.toString()).items as { reference: string }[]).map((i) => i.reference),
        );
      }
      res.writeHead(state.refuse, { 'content-type': 'application/problem+json' });
      res.end(
        JSON.stringify({
          type: 'about:blank',
          title: 'Refused',
          status: state.refuse,
          code: state.refuse === 401 ? 'INVALID_ACCOUNT_KEY' : 'INVALID_REQUEST',
          message: '등록되지 않은 계약 고객 키입니다.',
        }),
      );
      return;
    }
    if (req.url?.endsWith('/bulk-cancel')) {
      state.cancelsAsked.push(...(JSON.parse(body.toString()).trackingNumbers as string[]));
      if (state.holdCancelMs) await new Promise((resolve) => setTimeout(resolve, state.holdCancelMs));
    }
    let upstream: Response;
    let text: string;
    try {
      upstream = await fetch(`${target()}${req.url}`, {
        method: req.method,
        headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
        body: body.length ? body : undefined,
      });
      text = await upstream.text();
    } catch {
      // The courier went away mid-call (a test's end stops it): the caller sees the connection drop.
      req.socket.destroy();
      return;
    }
    if (req.url?.endsWith('/bulk-cancel')) {
      state.cancels.push(...(JSON.parse(body.toString()).trackingNumbers as string[]));
    }
    if (req.url?.endsWith('/bulk-upload')) {
      const items = JSON.parse(body.toString()).items as { reference: string; pickup?: boolean }[];
      const results = (JSON.parse(text).results ?? []) as { index: number; trackingNumber: string | null }[];
      for (const { index, trackingNumber } of results) {
        const item = items[index];
        if (!item || !trackingNumber) continue;
        if (item.pickup) state.pickups.push(trackingNumber);
        else state.parcels.push({ reference: item.reference, trackingNumber });
      }
      if (state.slowUploads > 0) {
        state.slowUploads--;
        await new Promise((resolve) => setTimeout(resolve, 1_500));
      }
    }
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
    });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Keep-alive connections the tracker keeps polling through would hold close() open: end them too.
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return Object.assign(state, { url, close });
}

export type CourierProxy = Awaited<ReturnType<typeof startCourierProxy>>;

/**
 * The admin's and the shopper's steps of a return through shipping-service's HTTP API, with the
 * courier behind a proxy (both read when a step runs: a test starts them in its beforeAll).
 */
export function returnSteps(harness: () => Harness, courierProxy: () => CourierProxy) {
  /** A delivered order with a return of one pair of jeans asked for. */
  async function returnAsked(reason = 'DEFECTIVE') {
    const h = harness();
    const { order } = await h.delivered();
    const asked = await h.api.post(
      `/api/orders/${order.orderId}/returns`,
      { items: [{ orderItemId: order.items[1]!.orderItemId, quantity: 1 }], reason },
      h.owner(order),
    );
    expect(asked.status).toBe(201);
    return { order, claimId: asked.body.id as string };
  }
  const approve = (claimId: string, path = 'returns') =>
    harness().api.post(`/api/admin/shipping/${path}/${claimId}/approve`, undefined, harness().admin);
  const reject = (claimId: string, reason: string, path = 'returns') =>
    harness().api.post(`/api/admin/shipping/${path}/${claimId}/reject`, { reason }, harness().admin);
  const claimOf = async (order: OrderPaidPayload, claimId: string) =>
    (await harness().api.get(`/api/orders/${order.orderId}/claims`, harness().owner(order))).body.claims.find(
      (c: { id: string }) => c.id === claimId,
    );
  /**
   * An admin's decision, tried again while it answers 503: the lost answers before it may have opened
   * shipping-service's circuit to the courier for a moment.
   */
  const onceReachable = (decide: () => ReturnType<typeof approve>) =>
    eventually(async () => {
      const answer = await decide();
      return answer.status === 503 ? undefined : answer;
    });
  /** The courier's own word on a waybill (its tracking API). */
  const courierStatus = async (trackingNumber: string): Promise<string> =>
    (
      await jsonClient(harness().courier, { anonymous: true }).post('/api/v1/trackingInfo', {
        t_code: '99',
        t_invoice: trackingNumber,
        t_key: COURIER_KEY,
      })
    ).body.status;
  /**
   * A return whose approval answered 504 with its pickup booked and still standing: the courier's
   * answers to the booking and to the look-up that would cancel it were both lost.
   */
  async function approvalLostAfterBooking(reason?: string) {
    const proxy = courierProxy();
    const { order, claimId } = await returnAsked(reason);
    const seen = proxy.pickups.length;
    proxy.slowUploads = 2;
    expect((await onceReachable(() => approve(claimId))).status).toBe(504);
    return { order, claimId, booked: proxy.pickups[seen]! };
  }
  return { returnAsked, approve, reject, claimOf, onceReachable, courierStatus, approvalLostAfterBooking };
}
