import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { asUser, issuedCoupon, usePromotion } from './support.ts';

/** Status and body: a repeat must answer exactly the same (headers such as Date differ). */
const answer = (r: { status: number; body: unknown }) => ({ status: r.status, body: r.body });

describe('coupon reservations (order saga step)', () => {
  const promo = usePromotion();

  const newOrderId = () => `order-${randomUUID()}`;
  const reserve = (orderId: string, userId: string, couponId: number, orderAmount = 50_000) =>
    promo.api.post('/internal/coupons/reservations', { orderId, userId, couponId, orderAmount });
  const commit = (orderId: string) => promo.api.post(`/internal/coupons/reservations/${orderId}/commit`);
  const release = (orderId: string) => promo.api.post(`/internal/coupons/reservations/${orderId}/release`);
  /** The coupon as its holder sees it. */
  const shopperView = async (userId: string, couponId: number) => {
    const mine = await promo.api.get('/api/promotion/coupons', asUser(userId));
    return mine.body.content.find((c: { couponId: number }) => c.couponId === couponId) as {
      status: string;
      usable: boolean;
      orderId: string | null;
    };
  };

  it('reserves, commits and releases after payment, each step repeatable with the same answer', async () => {
    const { coupon, userId } = await issuedCoupon(promo.api);
    const orderId = newOrderId();

    const reserved = await reserve(orderId, userId, coupon.id);
    expect(reserved.status).toBe(200);
    expect(reserved.body).toEqual({
      orderId,
      state: 'RESERVED',
      couponId: coupon.id,
      userId,
      couponStatus: 'RESERVED',
    });
    expect(answer(await reserve(orderId, userId, coupon.id))).toEqual(answer(reserved));
    expect(await shopperView(userId, coupon.id)).toMatchObject({
      status: 'RESERVED',
      usable: false,
      orderId,
    });

    const committed = await commit(orderId);
    expect(committed.body).toMatchObject({ state: 'COMMITTED', couponStatus: 'USED' });
    expect(answer(await commit(orderId))).toEqual(answer(committed));
    // A reserve retried after the commit changes nothing.
    expect((await reserve(orderId, userId, coupon.id)).body).toMatchObject({
      state: 'COMMITTED',
      couponStatus: 'USED',
    });
    expect(await shopperView(userId, coupon.id)).toMatchObject({ status: 'USED', usable: false });

    const released = await release(orderId);
    expect(released.body).toMatchObject({ state: 'RELEASED', couponStatus: 'RESTORED' });
    expect(answer(await release(orderId))).toEqual(answer(released));
    expect(await shopperView(userId, coupon.id)).toMatchObject({
      status: 'RESTORED',
      usable: true,
      orderId: null,
    });
    // Released for good: it cannot be committed again.
    const late = await commit(orderId);
    expect(late.status).toBe(409);
    expect(late.body.type).toBe('urn:sagamart:problem:RESERVATION_RELEASED');
  });

  it('gives an unpaid reservation back as ISSUED', async () => {
    const { coupon, userId } = await issuedCoupon(promo.api);
    const orderId = newOrderId();
    await reserve(orderId, userId, coupon.id);
    expect((await release(orderId)).body).toMatchObject({ state: 'RELEASED', couponStatus: 'ISSUED' });
    expect(await shopperView(userId, coupon.id)).toMatchObject({
      status: 'ISSUED',
      usable: true,
      orderId: null,
    });
  });

  it('lets a RESTORED coupon be used by another order', async () => {
    const { coupon, userId } = await issuedCoupon(promo.api);
    const first = newOrderId();
    await reserve(first, userId, coupon.id);
    await commit(first);
    await release(first);
    const second = newOrderId();
    expect((await reserve(second, userId, coupon.id)).body).toMatchObject({
      state: 'RESERVED',
      couponStatus: 'RESERVED',
    });
    expect((await commit(second)).body).toMatchObject({ state: 'COMMITTED', couponStatus: 'USED' });
    // The first order's steps stay where they were.
    expect((await promo.api.get(`/internal/coupons/reservations/${first}`)).body.state).toBe('RELEASED');
  });

  it('refuses a coupon held by another order, used, not owned or below its minimum with COUPON_UNAVAILABLE', async () => {
    const { coupon, userId } = await issuedCoupon(promo.api, { minOrderAmount: 30_000 });
    const holder = newOrderId();
    const expectUnavailable = async (res: { status: number; body: any }, reason: string) => {
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ type: 'urn:sagamart:problem:COUPON_UNAVAILABLE', reason });
    };
    await expectUnavailable(await reserve(newOrderId(), userId, coupon.id, 29_999), 'MIN_ORDER_AMOUNT');
    await expectUnavailable(await reserve(newOrderId(), randomUUID(), coupon.id), 'NOT_OWNED');
    expect((await reserve(holder, userId, coupon.id)).status).toBe(200);
    await expectUnavailable(await reserve(newOrderId(), userId, coupon.id), 'RESERVED');
    await commit(holder);
    await expectUnavailable(await reserve(newOrderId(), userId, coupon.id), 'USED');
  });

  it('refuses to reuse an order id for another coupon', async () => {
    const a = await issuedCoupon(promo.api);
    const orderId = newOrderId();
    await reserve(orderId, a.userId, a.coupon.id);
    const b = await issuedCoupon(promo.api);
    const res = await reserve(orderId, b.userId, b.coupon.id);
    expect(res.status).toBe(409);
    expect(res.body.type).toBe('urn:sagamart:problem:RESERVATION_MISMATCH');
  });

  it('leaves a tombstone when the release overtakes the reserve, so the late reserve takes nothing', async () => {
    const { coupon, userId } = await issuedCoupon(promo.api);
    const orderId = newOrderId();
    expect((await release(orderId)).body).toEqual({
      orderId,
      state: 'RELEASED',
      couponId: null,
      userId: null,
      couponStatus: null,
    });
    expect((await reserve(orderId, userId, coupon.id)).body).toMatchObject({ state: 'RELEASED' });
    expect(await shopperView(userId, coupon.id)).toMatchObject({ status: 'ISSUED', usable: true });
  });

  it('answers 404 for a commit or read without a reservation', async () => {
    const orderId = newOrderId();
    expect((await commit(orderId)).status).toBe(404);
    expect((await promo.api.get(`/internal/coupons/reservations/${orderId}`)).status).toBe(404);
  });

  it('reserves a coupon for exactly one of several concurrent orders', async () => {
    const { coupon, userId } = await issuedCoupon(promo.api);
    const orders = Array.from({ length: 8 }, newOrderId);
    const results = await Promise.all(orders.map((orderId) => reserve(orderId, userId, coupon.id)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.reason === 'RESERVED')).toHaveLength(7);
  });

  it('applies concurrent repeats of one step once', async () => {
    const { coupon, userId } = await issuedCoupon(promo.api);
    const orderId = newOrderId();
    const reserves = await Promise.all(Array.from({ length: 6 }, () => reserve(orderId, userId, coupon.id)));
    expect(reserves.every((r) => r.status === 200 && r.body.state === 'RESERVED')).toBe(true);
    const commits = await Promise.all(Array.from({ length: 6 }, () => commit(orderId)));
    expect(commits.every((r) => r.status === 200 && r.body.couponStatus === 'USED')).toBe(true);
    const releases = await Promise.all(Array.from({ length: 6 }, () => release(orderId)));
    expect(releases.every((r) => r.status === 200 && r.body.couponStatus === 'RESTORED')).toBe(true);
  });
});
