import { randomUUID } from 'node:crypto';
import { DISCOUNT_AMOUNT_MAX } from '@sagamart/contracts/rules';
import { describe, expect, it } from 'vitest';
import {
  admin,
  asUser,
  client,
  couponBody,
  couponInputOf,
  createCoupon,
  daysFromNow,
  startPromotion,
  uniqueCode,
  usePromotion,
} from './support.ts';

describe('promotion admin API', () => {
  const promo = usePromotion();

  describe('coupons', () => {
    it('needs the ADMIN role', async () => {
      expect((await promo.api.post('/api/admin/promotion/coupons', couponBody())).status).toBe(401);
      expect((await promo.api.post('/api/admin/promotion/coupons', couponBody(), asUser())).status).toBe(403);
      expect((await promo.api.get('/api/admin/promotion/coupons', asUser())).status).toBe(403);
    });

    it('creates a coupon with an upper-case code and reads it back', async () => {
      const body = couponBody({
        code: ' welcome-abc ',
        discountType: 'RATE',
        discountValue: 15,
        maxDiscount: 5_000,
      });
      const created = await promo.api.post(
        '/api/admin/promotion/coupons',
        { ...body, code: `${body.code}`.toLowerCase() },
        admin,
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        code: 'WELCOME-ABC',
        discountType: 'RATE',
        discountValue: 15,
        maxDiscount: 5_000,
        issuedCount: 0,
        status: 'ACTIVE',
        totalIssueLimit: null,
      });
      const read = await promo.api.get(`/api/admin/promotion/coupons/${created.body.id}`, admin);
      expect(read.body).toEqual(created.body);
    });

    it('keeps codes unique regardless of case', async () => {
      const coupon = await createCoupon(promo.api);
      const again = await promo.api.post(
        '/api/admin/promotion/coupons',
        couponBody({ code: coupon.code.toLowerCase() }),
        admin,
      );
      expect(again.status).toBe(409);
      expect(again.body.type).toBe('urn:sagamart:problem:COUPON_CODE_TAKEN');
    });

    it('validates the amount rules and the validity window', async () => {
      const fieldsOf = async (overrides: Record<string, unknown>) => {
        const res = await promo.api.post('/api/admin/promotion/coupons', couponBody(overrides), admin);
        expect(res.status).toBe(400);
        return (res.body.errors as Array<{ field: string }>).map((e) => e.field);
      };
      expect(await fieldsOf({ discountType: 'RATE', discountValue: 101 })).toEqual(['discountValue']);
      expect(await fieldsOf({ discountType: 'RATE', discountValue: 0 })).toEqual(['discountValue']);
      expect(await fieldsOf({ discountType: 'FIXED', discountValue: 1_000, maxDiscount: 500 })).toEqual([
        'maxDiscount',
      ]);
      expect(await fieldsOf({ validFrom: daysFromNow(2), validTo: daysFromNow(1) })).toEqual(['validTo']);
      expect(await fieldsOf({ minOrderAmount: -1 })).toEqual(['minOrderAmount']);
      expect(await fieldsOf({ totalIssueLimit: 0 })).toEqual(['totalIssueLimit']);
      expect(await fieldsOf({ discountType: 'RATE', maxDiscount: 0 })).toEqual(['maxDiscount']);
      expect(await fieldsOf({ discountType: 'PERCENT' })).toContain('discountType');
      expect(await fieldsOf({ code: 'a b' })).toEqual(['code']);
      expect(await fieldsOf({ validFrom: 'yesterday' })).toEqual(['validFrom']);
    });

    it('refuses a fixed amount or a cap above the documented maximum, naming the field and the limit', async () => {
      const post = (overrides: Record<string, unknown>) =>
        promo.api.post('/api/admin/promotion/coupons', couponBody(overrides), admin);
      for (const [overrides, field] of [
        [{ discountType: 'FIXED', discountValue: DISCOUNT_AMOUNT_MAX + 1 }, 'discountValue'],
        [{ discountType: 'FIXED', discountValue: 1_000_000_000 }, 'discountValue'],
        [{ discountType: 'FIXED', discountValue: 1_000_000_000_000 }, 'discountValue'],
        [{ discountType: 'RATE', discountValue: 10, maxDiscount: DISCOUNT_AMOUNT_MAX + 1 }, 'maxDiscount'],
      ] as const) {
        const res = await post(overrides);
        expect(res.status).toBe(400);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body.traceId).toEqual(expect.any(String));
        expect(res.body.errors).toEqual([{ field, message: `must be <= ${DISCOUNT_AMOUNT_MAX}` }]);
      }
      const atMost = await post({ discountType: 'FIXED', discountValue: DISCOUNT_AMOUNT_MAX });
      expect(atMost.status).toBe(201);
      expect(atMost.body.discountValue).toBe(DISCOUNT_AMOUNT_MAX);
    });

    it('updates a coupon but never lowers the issue limit below what was issued', async () => {
      const coupon = await createCoupon(promo.api, { totalIssueLimit: 10 });
      for (let i = 0; i < 3; i++) {
        expect(
          (await promo.api.post('/api/promotion/coupons/claim', { couponCode: coupon.code }, asUser()))
            .status,
        ).toBe(201);
      }
      const tooLow = await promo.api.put(
        `/api/admin/promotion/coupons/${coupon.id}`,
        { ...couponInputOf(coupon), totalIssueLimit: 2 },
        admin,
      );
      expect(tooLow.status).toBe(400);
      expect(tooLow.body.errors).toEqual([expect.objectContaining({ field: 'totalIssueLimit' })]);
      const ok = await promo.api.put(
        `/api/admin/promotion/coupons/${coupon.id}`,
        { ...couponInputOf(coupon), totalIssueLimit: 3, name: '바뀐 이름', status: 'INACTIVE' },
        admin,
      );
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        totalIssueLimit: 3,
        issuedCount: 3,
        name: '바뀐 이름',
        status: 'INACTIVE',
      });
      expect((await promo.api.put('/api/admin/promotion/coupons/999999', couponBody(), admin)).status).toBe(
        404,
      );
    });

    it('keeps the terms its holders were given once a coupon is issued', async () => {
      const coupon = await createCoupon(promo.api, {
        discountType: 'FIXED',
        discountValue: 5_000,
        minOrderAmount: 30_000,
        totalIssueLimit: 10,
      });
      const holder = randomUUID();
      const claimed = await promo.api.post(
        '/api/promotion/coupons/claim',
        { couponCode: coupon.code },
        asUser(holder),
      );
      expect(claimed.status).toBe(201);
      const edit = (changes: Record<string, unknown>) =>
        promo.api.put(
          `/api/admin/promotion/coupons/${coupon.id}`,
          { ...couponInputOf(coupon), ...changes },
          admin,
        );

      const refusals: Array<[Record<string, unknown>, string[]]> = [
        [{ discountType: 'RATE', discountValue: 1 }, ['discountType', 'discountValue']],
        [{ discountValue: 500 }, ['discountValue']],
        [{ minOrderAmount: 100_000 }, ['minOrderAmount']],
        [
          { discountType: 'RATE', discountValue: 10, maxDiscount: 1_000 },
          ['discountType', 'discountValue', 'maxDiscount'],
        ],
        [{ validFrom: daysFromNow(1) }, ['validFrom']],
        [{ validTo: daysFromNow(2) }, ['validTo']],
        [{ code: uniqueCode() }, ['code']],
      ];
      for (const [changes, fields] of refusals) {
        const refused = await edit(changes);
        expect(refused.status, JSON.stringify(changes)).toBe(409);
        expect(refused.body).toMatchObject({ type: 'urn:sagamart:problem:COUPON_ISSUED', fields });
        expect(refused.body.detail).toContain('already issued');
      }
      const mine = await promo.api.get('/api/promotion/coupons', asUser(holder));
      expect(mine.body.content).toEqual([
        expect.objectContaining({
          code: coupon.code,
          discountType: 'FIXED',
          discountValue: 5_000,
          minOrderAmount: 30_000,
          validFrom: coupon.validFrom,
          validTo: coupon.validTo,
        }),
      ]);

      // What no holder loses by still changes: the name, the status, the limit, a later end.
      const later = daysFromNow(60);
      const changed = await edit({
        name: '이름만 바뀐 쿠폰',
        status: 'INACTIVE',
        totalIssueLimit: 50,
        validTo: later,
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({
        name: '이름만 바뀐 쿠폰',
        status: 'INACTIVE',
        totalIssueLimit: 50,
        validTo: new Date(later).toISOString(),
        discountValue: 5_000,
      });

      // Nobody holds this one yet: every term is the admin's to change.
      const unclaimed = await createCoupon(promo.api, { discountType: 'FIXED', discountValue: 5_000 });
      const rewritten = await promo.api.put(
        `/api/admin/promotion/coupons/${unclaimed.id}`,
        {
          ...couponInputOf(unclaimed),
          code: uniqueCode(),
          discountType: 'RATE',
          discountValue: 1,
          validTo: daysFromNow(2),
        },
        admin,
      );
      expect(rewritten.status).toBe(200);
      expect(rewritten.body).toMatchObject({ discountType: 'RATE', discountValue: 1 });
    });

    it('lists coupons by status and text, newest first', async () => {
      const tag = `TAG${Date.now()}`;
      const active = await createCoupon(promo.api, { code: `${tag}A` });
      const inactive = await createCoupon(promo.api, { code: `${tag}B`, status: 'INACTIVE' });
      const all = await promo.api.get(`/api/admin/promotion/coupons?q=${tag.toLowerCase()}`, admin);
      expect(all.body.content.map((c: { id: number }) => c.id)).toEqual([inactive.id, active.id]);
      expect(all.body).toMatchObject({ totalElements: 2, page: 0, first: true, last: true });
      const onlyInactive = await promo.api.get(
        `/api/admin/promotion/coupons?q=${tag}&status=INACTIVE`,
        admin,
      );
      expect(onlyInactive.body.content.map((c: { id: number }) => c.id)).toEqual([inactive.id]);
    });

    it('deletes only a coupon nobody holds', async () => {
      const held = await createCoupon(promo.api);
      await promo.api.post('/api/promotion/coupons/claim', { couponCode: held.code }, asUser());
      const refused = await promo.api.delete(`/api/admin/promotion/coupons/${held.id}`, admin);
      expect(refused.status).toBe(409);
      expect(refused.body.type).toBe('urn:sagamart:problem:COUPON_IN_USE');

      const unused = await createCoupon(promo.api);
      expect((await promo.api.delete(`/api/admin/promotion/coupons/${unused.id}`, admin)).status).toBe(204);
      expect((await promo.api.get(`/api/admin/promotion/coupons/${unused.id}`, admin)).status).toBe(404);
    });
  });

  describe('discount policies', () => {
    const policyBody = (overrides: Record<string, unknown> = {}) => ({
      name: '여름 세일',
      targetType: 'ORDER',
      discountType: 'RATE',
      discountValue: 5,
      maxDiscount: 3_000,
      validFrom: daysFromNow(-1),
      validTo: daysFromNow(7),
      ...overrides,
    });

    it('creates an ORDER policy with defaults and refuses a target on it', async () => {
      const created = await promo.api.post('/api/admin/promotion/policies', policyBody(), admin);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        targetType: 'ORDER',
        targetId: null,
        minOrderAmount: 0,
        status: 'ACTIVE',
      });
      const withTarget = await promo.api.post(
        '/api/admin/promotion/policies',
        policyBody({ targetId: 3 }),
        admin,
      );
      expect(withTarget.status).toBe(400);
      expect(withTarget.body.errors).toEqual([expect.objectContaining({ field: 'targetId' })]);
    });

    it('checks that a PRODUCT target exists and is not deleted', async () => {
      promo.catalog.products.set(41, { deleted: false });
      promo.catalog.products.set(43, { deleted: true });
      const ok = await promo.api.post(
        '/api/admin/promotion/policies',
        policyBody({ targetType: 'PRODUCT', targetId: 41 }),
        admin,
      );
      expect(ok.status).toBe(201);
      for (const targetId of [42, 43]) {
        const missing = await promo.api.post(
          '/api/admin/promotion/policies',
          policyBody({ targetType: 'PRODUCT', targetId }),
          admin,
        );
        expect(missing.status).toBe(422);
        expect(missing.body).toMatchObject({
          type: 'urn:sagamart:problem:TARGET_NOT_FOUND',
          detail: `There is no product ${targetId}`,
        });
      }
      const noTarget = await promo.api.post(
        '/api/admin/promotion/policies',
        policyBody({ targetType: 'PRODUCT' }),
        admin,
      );
      expect(noTarget.status).toBe(400);
    });

    it('checks that a CATEGORY target exists', async () => {
      promo.catalog.categories.add(7);
      const ok = await promo.api.post(
        '/api/admin/promotion/policies',
        policyBody({ targetType: 'CATEGORY', targetId: 7 }),
        admin,
      );
      expect(ok.status).toBe(201);
      const missing = await promo.api.post(
        '/api/admin/promotion/policies',
        policyBody({ targetType: 'CATEGORY', targetId: 8 }),
        admin,
      );
      expect(missing.status).toBe(422);
    });

    it('bounds a fixed policy at the same maximum as a coupon', async () => {
      const post = (overrides: Record<string, unknown>) =>
        promo.api.post('/api/admin/promotion/policies', policyBody(overrides), admin);
      const fixed = { discountType: 'FIXED', maxDiscount: null };
      const over = await post({ ...fixed, discountValue: 1_000_000_000 });
      expect(over.status).toBe(400);
      expect(over.body.errors).toEqual([
        { field: 'discountValue', message: `must be <= ${DISCOUNT_AMOUNT_MAX}` },
      ]);
      expect((await post({ ...fixed, discountValue: DISCOUNT_AMOUNT_MAX })).status).toBe(201);
    });

    it('applies the same amount rules as coupons', async () => {
      const rate = await promo.api.post(
        '/api/admin/promotion/policies',
        policyBody({ discountValue: 150 }),
        admin,
      );
      expect(rate.status).toBe(400);
      const window = await promo.api.post(
        '/api/admin/promotion/policies',
        policyBody({ validFrom: daysFromNow(1), validTo: daysFromNow(1) }),
        admin,
      );
      expect(window.status).toBe(400);
    });

    it('updates, lists, reads and deletes policies', async () => {
      promo.catalog.categories.add(70);
      const created = await promo.api.post(
        '/api/admin/promotion/policies',
        policyBody({ targetType: 'CATEGORY', targetId: 70 }),
        admin,
      );
      const updated = await promo.api.put(
        `/api/admin/promotion/policies/${created.body.id}`,
        policyBody({
          targetType: 'CATEGORY',
          targetId: 70,
          status: 'INACTIVE',
          discountType: 'FIXED',
          discountValue: 700,
          maxDiscount: null,
        }),
        admin,
      );
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ status: 'INACTIVE', discountType: 'FIXED', discountValue: 700 });
      const listed = await promo.api.get(
        '/api/admin/promotion/policies?status=INACTIVE&targetType=CATEGORY',
        admin,
      );
      expect(listed.body.content.map((p: { id: number }) => p.id)).toContain(created.body.id);
      expect(listed.body.content.every((p: { status: string }) => p.status === 'INACTIVE')).toBe(true);
      expect((await promo.api.get(`/api/admin/promotion/policies/${created.body.id}`, admin)).body).toEqual(
        updated.body,
      );
      expect((await promo.api.delete(`/api/admin/promotion/policies/${created.body.id}`, admin)).status).toBe(
        204,
      );
      expect((await promo.api.delete(`/api/admin/promotion/policies/${created.body.id}`, admin)).status).toBe(
        404,
      );
    });

    it('answers 503 when product-service cannot check the target', async () => {
      const down = await startPromotion('http://127.0.0.1:9');
      try {
        const res = await client(down).post(
          '/api/admin/promotion/policies',
          policyBody({ targetType: 'PRODUCT', targetId: 1 }),
          admin,
        );
        expect(res.status).toBe(503);
        expect(res.body.service).toBe('product-service');
      } finally {
        await down.stop();
      }
    });
  });
});
