import { randomUUID } from 'node:crypto';
import type { Service } from '@sagamart/kit';
import { eventually, startTestService } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mockCourier from '../src/index.ts';

const KEY = 'courier_key_for_tests';

describe('mock courier', () => {
  let courier: Service<unknown>;

  beforeAll(async () => {
    // stepMs 0: waybills move only by test control, except those of the clock test (own service below).
    courier = await startTestService(mockCourier, {
      config: { mockCourier: { accountKey: KEY, stepMs: 0 } },
    });
  });
  afterAll(async () => {
    await courier?.stop();
  });

  const post = async (path: string, body: unknown, service: Service<unknown> = courier) => {
    const res = await fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      status: res.status, // biome-ignore lint/suspicious/noExplicitAny: answers are asserted field by field
      body: (await res.json()) as any,
    };
  };
  const parcel = (overrides: Record<string, unknown> = {}) => ({
    reference: randomUUID(),
    receiverName: '김사가',
    receiverPhone: '010-1234-5678',
    zipCode: '06236',
    address: '서울 강남구 테헤란로 1',
    goodsName: '반팔 티셔츠 외 1건',
    quantity: 2,
    ...overrides,
  });
  const upload = (items: unknown[], service?: Service<unknown>) =>
    post('/api/v1/courier/orders/bulk-upload', { courierAccountKey: KEY, items }, service);
  const track = (trackingNumber: string, service?: Service<unknown>) =>
    post('/api/v1/trackingInfo', { t_code: '99', t_invoice: trackingNumber, t_key: KEY }, service);
  const advance = (trackingNumber: string, to: string) =>
    post(`/api/v1/test/waybills/${trackingNumber}/advance`, { to });

  it('issues a waybill per good item, fails bad items alone, and answers a re-upload with the same waybill', async () => {
    const good = parcel();
    const res = await upload([good, { ...parcel(), quantity: 0 }, parcel({ pickup: true })]);
    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual({ total: 3, succeeded: 2, failed: 1 });
    const [first, bad, pickup] = res.body.results;
    expect(first.trackingNumber).toMatch(/^[0-9]{12}$/);
    expect(bad).toMatchObject({ index: 1, trackingNumber: null, error: { code: 'INVALID_REQUEST' } });
    expect(pickup.trackingNumber).not.toBe(first.trackingNumber);

    const again = await upload([good]);
    expect(again.body.results[0].trackingNumber).toBe(first.trackingNumber);

    const info = await track(first.trackingNumber);
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ invoiceNo: first.trackingNumber, status: 'ACCEPTED', complete: false });
    expect(info.body.trackingDetails).toHaveLength(1);
    expect(info.body.lastDetail).toMatchObject({ seq: 0, kind: 'ACCEPTED' });
  });

  it('moves a waybill by test control and records every step in between once', async () => {
    const { body } = await upload([parcel()]);
    const number = body.results[0].trackingNumber;
    const moved = await advance(number, 'IN_TRANSIT');
    expect(moved.status).toBe(200);
    expect(moved.body.trackingDetails.map((e: { kind: string }) => e.kind)).toEqual([
      'ACCEPTED',
      'PICKED_UP',
      'IN_TRANSIT',
    ]);
    expect(moved.body.trackingDetails.map((e: { seq: number }) => e.seq)).toEqual([0, 1, 2]);

    const back = await advance(number, 'ACCEPTED');
    expect(back.status).toBe(409);
    expect(back.body).toMatchObject({ code: 'INVALID_TRANSITION' });

    const done = await advance(number, 'DELIVERED');
    expect(done.body).toMatchObject({ status: 'DELIVERED', complete: true });
    expect(done.body.trackingDetails).toHaveLength(6);
  });

  it('cancels only waybills not yet picked up', async () => {
    const { body } = await upload([parcel(), parcel()]);
    const [a, b] = body.results.map((r: { trackingNumber: string }) => r.trackingNumber);
    await advance(b, 'PICKED_UP');
    const res = await post('/api/v1/courier/orders/bulk-cancel', {
      courierAccountKey: KEY,
      trackingNumbers: [a, b, '999999999999'],
    });
    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual({ total: 3, succeeded: 1, failed: 2 });
    expect(res.body.results[0]).toMatchObject({ cancelled: true, status: 'CANCELLED', error: null });
    expect(res.body.results[1]).toMatchObject({
      cancelled: false,
      status: 'PICKED_UP',
      error: { code: 'ALREADY_PICKED_UP' },
    });
    expect(res.body.results[2]).toMatchObject({ cancelled: false, error: { code: 'NOT_FOUND_WAYBILL' } });
    // Cancelling twice is still a success; a cancelled waybill never moves again.
    const twice = await post('/api/v1/courier/orders/bulk-cancel', {
      courierAccountKey: KEY,
      trackingNumbers: [a],
    });
    expect(twice.body.results[0]).toMatchObject({ cancelled: true, status: 'CANCELLED' });
    expect((await advance(a, 'DELIVERED')).status).toBe(409);
  });

  it("answers bad keys, unknown waybills and malformed bodies with the courier's error shape, never a 500", async () => {
    const badKey = await post('/api/v1/courier/orders/bulk-upload', {
      courierAccountKey: 'nope',
      items: [parcel()],
    });
    expect(badKey.status).toBe(401);
    expect(badKey.body).toMatchObject({ code: 'INVALID_ACCOUNT_KEY', message: expect.any(String) });

    const trackBadKey = await post('/api/v1/trackingInfo', {
      t_code: '99',
      t_invoice: '123456789012',
      t_key: 'x',
    });
    expect(trackBadKey.status).toBe(401);
    expect(trackBadKey.body.code).toBe('INVALID_ACCOUNT_KEY');

    const unknown = await track('123456789012');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'NOT_FOUND_WAYBILL' });
    const unknownAdvance = await advance('123456789012', 'DELIVERED');
    expect(unknownAdvance.status).toBe(404);

    for (const body of [
      '{not json',
      { courierAccountKey: KEY },
      { courierAccountKey: KEY, items: [] },
      { t_code: 1 },
    ]) {
      const res = await post('/api/v1/courier/orders/bulk-upload', body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    }
    const badStatus = await post('/api/v1/test/waybills/123456789012/advance', { to: 'LOST' });
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.code).toBe('INVALID_REQUEST');
  });

  it('moves every waybill on its own clock', async () => {
    const clocked = await startTestService(mockCourier, {
      config: { mockCourier: { accountKey: KEY, stepMs: 150 } },
    });
    try {
      const first = (await upload([parcel()], clocked)).body.results[0].trackingNumber;
      const delivered = await eventually(async () => {
        const info = await track(first, clocked);
        return info.body.status === 'DELIVERED' ? info.body : undefined;
      });
      expect(delivered.trackingDetails.map((e: { kind: string }) => e.kind)).toEqual([
        'ACCEPTED',
        'PICKED_UP',
        'IN_TRANSIT',
        'AT_DESTINATION',
        'OUT_FOR_DELIVERY',
        'DELIVERED',
      ]);
      // Each step is stamped when it happened on the waybill's clock, stepMs apart.
      const times = delivered.trackingDetails.map((e: { time: string }) => Date.parse(e.time));
      for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBe(150);
    } finally {
      await clocked.stop();
    }
  });
});
