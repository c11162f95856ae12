import { randomUUID } from 'node:crypto';
import { DISCOUNT_AMOUNT_MAX } from '@sagamart/contracts/rules';
import { defineService, type Kysely, type Service } from '@sagamart/kit';
import { startTestService, uniqueName } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations, type PromotionDb } from '../src/infra/schema.ts';
import {
  type AdminCoupon,
  admin,
  type Client,
  client,
  couponInputOf,
  daysFromNow,
  type FakeCatalog,
  startFakeCatalog,
  startPromotion,
} from './support.ts';

// Coupons and policies stored before DISCOUNT_AMOUNT_MAX existed could hold a larger FIXED amount or
// RATE cap. The admin form's save resends the stored amount, so even switching one off was refused
// (400 on discountValue), and an issued coupon's terms cannot be lowered by hand either. Migration
// 0002 lowers them to the bound, which the quote applies anyway.

describe('migration 0002: amounts stored above DISCOUNT_AMOUNT_MAX', () => {
  const MIGRATION = '0002';
  const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < MIGRATION));
  let catalog: FakeCatalog;
  let service: Service<unknown> | undefined;
  let api: Client;
  const holder = randomUUID();
  const ids = { fixed: 0, capped: 0, small: 0, uncapped: 0, policyFixed: 0, policyCapped: 0 };

  beforeAll(async () => {
    catalog = await startFakeCatalog();
    catalog.products.set(999, { deleted: false });
    const database = uniqueName('t_promotion_migrate');
    const old = await startTestService(
      defineService({ name: 'promotion-migrations', port: 0, migrations: before }),
      { config: { database: { name: database } } },
    );
    try {
      const db = old.context.db as Kysely<PromotionDb>;
      const coupon = async (terms: {
        discount_type: 'FIXED' | 'RATE';
        discount_value: number;
        max_discount: number | null;
        issued?: boolean;
      }) => {
        const { issued = false, ...amounts } = terms;
        const { id } = await db
          .insertInto('coupons')
          .values({
            code: `OLD${randomUUID().replaceAll('-', '').slice(0, 10)}`.toUpperCase(),
            name: '예전 쿠폰',
            min_order_amount: 0,
            valid_from: new Date(daysFromNow(-1)),
            valid_to: new Date(daysFromNow(30)),
            total_issue_limit: null,
            issued_count: issued ? 1 : 0,
            status: 'ACTIVE',
            ...amounts,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (issued) {
          await db
            .insertInto('user_coupons')
            .values({ coupon_id: id, user_id: holder, status: 'ISSUED' })
            .execute();
        }
        return id;
      };
      const policy = async (terms: {
        discount_type: 'FIXED' | 'RATE';
        discount_value: number;
        max_discount: number | null;
      }) => {
        const { id } = await db
          .insertInto('discount_policies')
          .values({
            name: '예전 정책',
            // A product the quotes below do not order: these policies take nothing off them.
            target_type: 'PRODUCT',
            target_id: 999,
            min_order_amount: 0,
            valid_from: new Date(daysFromNow(-1)),
            valid_to: new Date(daysFromNow(30)),
            status: 'ACTIVE',
            ...terms,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return id;
      };
      ids.fixed = await coupon({
        discount_type: 'FIXED',
        discount_value: 1_000_000_000,
        max_discount: null,
        issued: true,
      });
      ids.capped = await coupon({ discount_type: 'RATE', discount_value: 50, max_discount: 50_000_000 });
      ids.small = await coupon({ discount_type: 'FIXED', discount_value: 5_000, max_discount: null });
      ids.uncapped = await coupon({ discount_type: 'RATE', discount_value: 100, max_discount: null });
      ids.policyFixed = await policy({
        discount_type: 'FIXED',
        discount_value: 1_000_000_000,
        max_discount: null,
      });
      ids.policyCapped = await policy({
        discount_type: 'RATE',
        discount_value: 30,
        max_discount: 20_000_000,
      });
    } finally {
      await old.stop();
    }
    service = await startPromotion(catalog.url, { database: { name: database } });
    api = client(service);
  });
  afterAll(async () => {
    await service?.stop();
    await catalog?.close();
  });

  const coupon = async (id: number) => {
    const res = await api.get(`/api/admin/promotion/coupons/${id}`, admin);
    expect(res.status).toBe(200);
    return res.body as AdminCoupon;
  };

  it('lowers FIXED amounts and RATE caps above the bound to it, and leaves every other amount as it was', async () => {
    expect(await coupon(ids.fixed)).toMatchObject({ discountValue: DISCOUNT_AMOUNT_MAX, maxDiscount: null });
    expect(await coupon(ids.capped)).toMatchObject({ discountValue: 50, maxDiscount: DISCOUNT_AMOUNT_MAX });
    expect(await coupon(ids.small)).toMatchObject({ discountValue: 5_000, maxDiscount: null });
    expect(await coupon(ids.uncapped)).toMatchObject({ discountValue: 100, maxDiscount: null });
    const policy = async (id: number) => (await api.get(`/api/admin/promotion/policies/${id}`, admin)).body;
    expect(await policy(ids.policyFixed)).toMatchObject({
      discountValue: DISCOUNT_AMOUNT_MAX,
      maxDiscount: null,
    });
    expect(await policy(ids.policyCapped)).toMatchObject({
      discountValue: 30,
      maxDiscount: DISCOUNT_AMOUNT_MAX,
    });
  });

  it('leaves the holder the discount the quote gave before, and lets the admin switch the coupon off by a save', async () => {
    const quote = await api.post('/internal/quotes', {
      userId: holder,
      items: [{ skuId: 1, productId: 100, categoryIds: [], unitPrice: 50_000_000, quantity: 10 }],
      couponId: ids.fixed,
    });
    expect(quote.status).toBe(200);
    expect(quote.body).toMatchObject({ policyDiscounts: [], couponDiscount: DISCOUNT_AMOUNT_MAX });

    // The admin form's save: every field as stored, the status switched.
    const stored = await coupon(ids.fixed);
    const off = await api.put(
      `/api/admin/promotion/coupons/${ids.fixed}`,
      { ...couponInputOf(stored), status: 'INACTIVE' },
      admin,
    );
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(off.body).toMatchObject({ status: 'INACTIVE', discountValue: DISCOUNT_AMOUNT_MAX });

    const policy = (await api.get(`/api/admin/promotion/policies/${ids.policyFixed}`, admin)).body;
    const { id: _id, createdAt: _c, updatedAt: _u, ...policyInput } = policy;
    const policyOff = await api.put(
      `/api/admin/promotion/policies/${ids.policyFixed}`,
      { ...policyInput, status: 'INACTIVE' },
      admin,
    );
    expect(policyOff.status, JSON.stringify(policyOff.body)).toBe(200);
  });
});
