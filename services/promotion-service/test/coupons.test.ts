import { randomUUID } from 'node:crypto';
import { COUPON_CODE_MAX_LENGTH } from '@sagamart/contracts/rules';
import { sql } from '@sagamart/kit';
import { eventually } from '@sagamart/testkit';
import { describe, expect, it } from 'vitest';
import {
  type AdminCoupon,
  admin,
  asUser,
  couponInputOf,
  createCoupon,
  daysFromNow,
  secondsFromNow,
  usePromotion,
} from './support.ts';

describe('shopper coupons', () => {
  const promo = usePromotion();

  const claim = (code: string, userId = randomUUID()) =>
    promo.api.post('/api/promotion/coupons/claim', { couponCode: code }, asUser(userId));

  it('claims a coupon by code (any case) and shows it as ISSUED', async () => {
    const coupon = await createCoupon(promo.api, {
      name: '첫 구매',
      discountType: 'FIXED',
      discountValue: 3_000,
      minOrderAmount: 20_000,
    });
    const userId = randomUUID();
    const res = await claim(coupon.code.toLowerCase(), userId);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      couponId: coupon.id,
      code: coupon.code,
      name: '첫 구매',
      status: 'ISSUED',
      usable: true,
      discountType: 'FIXED',
      discountValue: 3_000,
      minOrderAmount: 20_000,
      orderId: null,
    });
    const mine = await promo.api.get('/api/promotion/coupons', asUser(userId));
    expect(mine.body.content).toEqual([res.body]);
    expect((await promo.api.get(`/api/admin/promotion/coupons/${coupon.id}`, admin)).body.issuedCount).toBe(
      1,
    );
  });

  it('needs a signed-in user', async () => {
    const coupon = await createCoupon(promo.api);
    expect((await promo.api.post('/api/promotion/coupons/claim', { couponCode: coupon.code })).status).toBe(
      401,
    );
    expect((await promo.api.get('/api/promotion/coupons')).status).toBe(401);
  });

  it('gives each user one coupon of a kind', async () => {
    const coupon = await createCoupon(promo.api);
    const userId = randomUUID();
    expect((await claim(coupon.code, userId)).status).toBe(201);
    const again = await claim(coupon.code, userId);
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('urn:sagamart:problem:COUPON_ALREADY_CLAIMED');
    expect((await promo.api.get(`/api/admin/promotion/coupons/${coupon.id}`, admin)).body.issuedCount).toBe(
      1,
    );
  });

  it('takes a code as long as the contract says (the web holds its box to it), and refuses a longer one', async () => {
    const longest = await claim('A'.repeat(COUPON_CODE_MAX_LENGTH));
    expect(longest.body.type).toBe('urn:sagamart:problem:COUPON_NOT_FOUND');
    const tooLong = await claim('A'.repeat(COUPON_CODE_MAX_LENGTH + 1));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors[0].field).toBe('couponCode');
  });

  it('refuses unknown, inactive, not yet valid and expired coupons', async () => {
    const expired = await createCoupon(promo.api, { validFrom: daysFromNow(-2), validTo: daysFromNow(-1) });
    const res = await claim(expired.code);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ type: 'urn:sagamart:problem:COUPON_NOT_CLAIMABLE', reason: 'EXPIRED' });
  });

  it('answers a switched-off or not yet valid code exactly as an unknown one, so guessing reveals nothing', async () => {
    const answer = async (code: string) => {
      const { status, body } = await claim(code);
      const { traceId: _traceId, instance: _instance, ...rest } = body;
      return { status, body: rest };
    };
    const unknown = await answer('NO-SUCH-CODE');
    expect(unknown).toMatchObject({ status: 404, body: { type: 'urn:sagamart:problem:COUPON_NOT_FOUND' } });
    const hidden = [
      await createCoupon(promo.api, { status: 'INACTIVE' }),
      await createCoupon(promo.api, { validFrom: daysFromNow(1), validTo: daysFromNow(2) }),
    ];
    for (const coupon of hidden) expect(await answer(coupon.code)).toEqual(unknown);
  });

  it('refuses a claim that reads the coupon before the admin switches it off or ends it, as it refuses one after', async () => {
    const db = promo.service.context.db;
    const waitingOnLocks = (n: number) =>
      eventually(async () => {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
        return rows[0]!.n >= n;
      });
    /**
     * The admin's PUT of `changes` and then a claim, both held back by a lock on the coupon's row:
     * the claim reads the coupon while the PUT waits to commit, and writes once the PUT has committed.
     */
    const racing = async (coupon: AdminCoupon, changes: Record<string, unknown>) => {
      let release = () => {};
      await new Promise<void>((held, failed) => {
        db.transaction()
          .execute(async (trx) => {
            await sql`select id from coupons where id = ${coupon.id} for update`.execute(trx);
            await new Promise<void>((r) => {
              release = r;
              held();
            });
          })
          .catch(failed);
      });
      try {
        const body = { ...couponInputOf(coupon), ...changes };
        const editing = promo.api.put(`/api/admin/promotion/coupons/${coupon.id}`, body, admin);
        await waitingOnLocks(1);
        const claiming = claim(coupon.code);
        await waitingOnLocks(2);
        release();
        const [edited, claimed] = await Promise.all([editing, claiming]);
        expect(edited.status).toBe(200);
        return claimed;
      } finally {
        release();
      }
    };

    const switchedOff = await createCoupon(promo.api);
    const offClaim = await racing(switchedOff, { status: 'INACTIVE' });
    expect(offClaim.status).toBe(404);
    expect(offClaim.body.type).toBe('urn:sagamart:problem:COUPON_NOT_FOUND');

    const ended = await createCoupon(promo.api);
    const endClaim = await racing(ended, { validTo: secondsFromNow(-1) });
    expect(endClaim.status).toBe(409);
    expect(endClaim.body).toMatchObject({
      type: 'urn:sagamart:problem:COUPON_NOT_CLAIMABLE',
      reason: 'EXPIRED',
    });

    for (const coupon of [switchedOff, ended]) {
      expect((await promo.api.get(`/api/admin/promotion/coupons/${coupon.id}`, admin)).body.issuedCount).toBe(
        0,
      );
    }
  });

  it('never issues more than the total limit, even to concurrent claims', async () => {
    const coupon = await createCoupon(promo.api, { totalIssueLimit: 5 });
    const results = await Promise.all(Array.from({ length: 20 }, () => claim(coupon.code)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);
    expect(
      results
        .filter((r) => r.status === 409)
        .every((r) => r.body.type === 'urn:sagamart:problem:COUPON_EXHAUSTED'),
    ).toBe(true);
    expect((await promo.api.get(`/api/admin/promotion/coupons/${coupon.id}`, admin)).body.issuedCount).toBe(
      5,
    );
  });

  it('issues one coupon to a user who claims it many times at once', async () => {
    const coupon = await createCoupon(promo.api, { totalIssueLimit: 100 });
    const userId = randomUUID();
    const results = await Promise.all(Array.from({ length: 10 }, () => claim(coupon.code, userId)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(9);
    expect((await promo.api.get(`/api/admin/promotion/coupons/${coupon.id}`, admin)).body.issuedCount).toBe(
      1,
    );
    expect((await promo.api.get('/api/promotion/coupons', asUser(userId))).body.totalElements).toBe(1);
  });

  it('shows a coupon past its validity as EXPIRED and filters by state', async () => {
    const userId = randomUUID();
    const fresh = await createCoupon(promo.api);
    const aging = await createCoupon(promo.api, { validTo: secondsFromNow(3) });
    expect((await claim(fresh.code, userId)).status).toBe(201);
    expect((await claim(aging.code, userId)).status).toBe(201);
    // One coupon's validity runs out while the user holds it: from then on it is EXPIRED.
    await eventually(async () => {
      const held = await promo.api.get('/api/promotion/coupons', asUser(userId));
      return held.body.content.some(
        (c: { couponId: number; status: string }) => c.couponId === aging.id && c.status === 'EXPIRED',
      );
    });

    const all = await promo.api.get('/api/promotion/coupons', asUser(userId));
    const byId = Object.fromEntries(all.body.content.map((c: { couponId: number }) => [c.couponId, c]));
    expect(byId[aging.id]).toMatchObject({ status: 'EXPIRED', usable: false });
    expect(byId[fresh.id]).toMatchObject({ status: 'ISSUED', usable: true });

    const ids = async (status: string) =>
      (await promo.api.get(`/api/promotion/coupons?status=${status}`, asUser(userId))).body.content.map(
        (c: { couponId: number }) => c.couponId,
      );
    expect(await ids('EXPIRED')).toEqual([aging.id]);
    expect(await ids('ISSUED')).toEqual([fresh.id]);
    expect(await ids('USED')).toEqual([]);
    expect((await promo.api.get('/api/promotion/coupons?status=GONE', asUser(userId))).status).toBe(400);
  });

  it('shows only my own coupons', async () => {
    const coupon = await createCoupon(promo.api);
    await claim(coupon.code);
    const stranger = await promo.api.get('/api/promotion/coupons', asUser());
    expect(stranger.body.totalElements).toBe(0);
  });
});
