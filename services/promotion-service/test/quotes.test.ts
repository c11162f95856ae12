import { randomUUID } from 'node:crypto';
import { DISCOUNT_AMOUNT_MAX } from '@sagamart/contracts/rules';
import type { Kysely, Service } from '@sagamart/kit';
import { eventually } from '@sagamart/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PromotionDb } from '../src/infra/schema.ts';
import {
  admin,
  type Client,
  client,
  couponInputOf,
  daysFromNow,
  type FakeCatalog,
  issuedCoupon,
  secondsFromNow,
  startFakeCatalog,
  startPromotion,
} from './support.ts';

// Each test gets its own service: ORDER policies apply to every quote, so they must not leak.
describe('internal quote', () => {
  let catalog: FakeCatalog;
  let service: Service<any>;
  let api: Client;

  beforeAll(async () => {
    catalog = await startFakeCatalog();
    for (const id of [1, 2, 3, 10, 11]) catalog.categories.add(id);
    for (const id of [100, 200]) catalog.products.set(id, { deleted: false });
  });
  afterAll(async () => {
    await catalog.close();
  });
  beforeEach(async () => {
    service = await startPromotion(catalog.url);
    api = client(service);
  });
  afterEach(async () => {
    await service.stop();
  });

  const userId = randomUUID();
  const line = (overrides: Record<string, unknown> = {}) => ({
    skuId: 1,
    productId: 100,
    categoryIds: [3, 2, 1],
    unitPrice: 10_000,
    quantity: 1,
    ...overrides,
  });
  const policy = async (overrides: Record<string, unknown>) => {
    const res = await api.post(
      '/api/admin/promotion/policies',
      {
        name: 'policy',
        targetType: 'ORDER',
        discountType: 'RATE',
        discountValue: 10,
        validFrom: daysFromNow(-1),
        validTo: daysFromNow(7),
        ...overrides,
      },
      admin,
    );
    expect(res.status).toBe(201);
    return res.body as { id: number; name: string };
  };
  const quote = (body: Record<string, unknown>) => api.post('/internal/quotes', { userId, ...body });

  it('prices without promotions', async () => {
    const res = await quote({ items: [line({ unitPrice: 4_500, quantity: 3 })] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      subtotal: 13_500,
      policyDiscounts: [],
      couponDiscount: 0,
      couponId: null,
      totalDiscount: 0,
      payable: 13_500,
      lines: [{ skuId: 1, itemDiscount: 0 }],
    });
  });

  it('stacks item and order policies with one coupon, floored and capped as documented', async () => {
    const product = await policy({
      name: '상품 할인',
      targetType: 'PRODUCT',
      targetId: 100,
      discountValue: 15,
    });
    const category = await policy({
      name: '카테고리 할인',
      targetType: 'CATEGORY',
      targetId: 1,
      discountType: 'FIXED',
      discountValue: 1_000,
    });
    const order = await policy({ name: '주문 할인', discountValue: 50, maxDiscount: 2_000 });
    const { coupon, userId: holder } = await issuedCoupon(api, { discountType: 'RATE', discountValue: 7 });
    const res = await api.post('/internal/quotes', {
      userId: holder,
      items: [
        line({ skuId: 1, productId: 100, categoryIds: [3, 2, 1], unitPrice: 3_333, quantity: 3 }),
        line({ skuId: 2, productId: 200, categoryIds: [11, 10], unitPrice: 5_000, quantity: 1 }),
      ],
      couponId: coupon.id,
    });
    expect(res.status).toBe(200);
    // subtotal 14,999. Product 15 % of 9,999 = 1,499.85 → 1,499. Category 1 (an ancestor of 3) → 1,000.
    // Order: 50 % of 12,500 capped at 2,000. Coupon: 7 % of 10,500 = 735.
    expect(res.body).toEqual({
      subtotal: 14_999,
      policyDiscounts: [
        { policyId: product.id, name: '상품 할인', amount: 1_499 },
        { policyId: category.id, name: '카테고리 할인', amount: 1_000 },
        { policyId: order.id, name: '주문 할인', amount: 2_000 },
      ],
      couponDiscount: 735,
      couponId: coupon.id,
      totalDiscount: 5_234,
      payable: 9_765,
      // Each line's own discount: the product and category policies on line 1; none on line 2.
      lines: [
        { skuId: 1, itemDiscount: 2_499 },
        { skuId: 2, itemDiscount: 0 },
      ],
    });
  });

  it('applies only policies that are active, valid now and whose minimum the subtotal reaches', async () => {
    await policy({ name: 'inactive', discountType: 'FIXED', discountValue: 1, status: 'INACTIVE' });
    await policy({
      name: 'future',
      discountType: 'FIXED',
      discountValue: 2,
      validFrom: daysFromNow(1),
      validTo: daysFromNow(2),
    });
    await policy({
      name: 'past',
      discountType: 'FIXED',
      discountValue: 4,
      validFrom: daysFromNow(-2),
      validTo: daysFromNow(-1),
    });
    const minimum = await policy({
      name: 'over 20,000',
      discountType: 'FIXED',
      discountValue: 8,
      minOrderAmount: 20_000,
    });
    const below = await quote({ items: [line({ unitPrice: 19_999 })] });
    expect(below.body.policyDiscounts).toEqual([]);
    const at = await quote({ items: [line({ unitPrice: 20_000 })] });
    expect(at.body.policyDiscounts).toEqual([{ policyId: minimum.id, name: 'over 20,000', amount: 8 }]);
  });

  it('refuses a coupon the user does not hold, has used, or that does not fit the order', async () => {
    const { coupon, userId: holder } = await issuedCoupon(api, { minOrderAmount: 30_000 });
    const notMine = await quote({ items: [line()], couponId: coupon.id });
    expect(notMine.status).toBe(409);
    expect(notMine.body).toMatchObject({
      type: 'urn:sagamart:problem:COUPON_UNAVAILABLE',
      reason: 'NOT_OWNED',
    });
    const unknown = await quote({ items: [line()], couponId: 999_999 });
    expect(unknown.body.reason).toBe('NOT_OWNED');
    // Beyond the serial key's range: refused by the schema, never sent to SQL (it made a 500).
    const outOfRange = await quote({ items: [line()], couponId: 2_147_483_648 });
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.headers.get('content-type')).toContain('application/problem+json');

    const small = await api.post('/internal/quotes', {
      userId: holder,
      items: [line({ unitPrice: 29_999 })],
      couponId: coupon.id,
    });
    expect(small.status).toBe(409);
    expect(small.body.reason).toBe('MIN_ORDER_AMOUNT');

    const orderId = `order-${randomUUID()}`;
    expect(
      (
        await api.post('/internal/coupons/reservations', {
          orderId,
          userId: holder,
          couponId: coupon.id,
          orderAmount: 30_000,
        })
      ).status,
    ).toBe(200);
    const held = await api.post('/internal/quotes', {
      userId: holder,
      items: [line({ unitPrice: 30_000 })],
      couponId: coupon.id,
    });
    expect(held.body.reason).toBe('RESERVED');
    // The order holding it may still be quoted with it (saga recovery).
    const sameOrder = await api.post('/internal/quotes', {
      userId: holder,
      items: [line({ unitPrice: 30_000 })],
      couponId: coupon.id,
      orderId,
    });
    expect(sameOrder.status).toBe(200);
    expect(sameOrder.body.couponDiscount).toBe(3_000);

    await api.post(`/internal/coupons/reservations/${orderId}/commit`);
    const used = await api.post('/internal/quotes', {
      userId: holder,
      items: [line({ unitPrice: 30_000 })],
      couponId: coupon.id,
      orderId,
    });
    expect(used.body.reason).toBe('USED');
  });

  it('never takes off more than is left to pay, however large a fixed coupon or policy', async () => {
    const { coupon, userId: holder } = await issuedCoupon(api, {
      discountType: 'FIXED',
      discountValue: DISCOUNT_AMOUNT_MAX,
      minOrderAmount: 10_000,
    });
    const quoteWith = (items: Array<Record<string, unknown>>) =>
      api.post('/internal/quotes', { userId: holder, items, couponId: coupon.id });

    // Its minimum order amount still applies (compared with the subtotal)...
    const below = await quoteWith([line({ unitPrice: 9_999 })]);
    expect(below.status).toBe(409);
    expect(below.body.reason).toBe('MIN_ORDER_AMOUNT');
    // ...and above it the coupon takes the whole order, not its face value: nothing is left to pay.
    const whole = await quoteWith([line({ unitPrice: 10_000, quantity: 2 })]);
    expect(whole.status).toBe(200);
    expect(whole.body).toEqual({
      subtotal: 20_000,
      policyDiscounts: [],
      couponDiscount: 20_000,
      couponId: coupon.id,
      totalDiscount: 20_000,
      payable: 0,
      lines: [{ skuId: 1, itemDiscount: 0 }],
    });

    // A fixed product policy above its line's amount takes the line and no more; the coupon the rest.
    const product = await policy({
      name: '상품 정액',
      targetType: 'PRODUCT',
      targetId: 100,
      discountType: 'FIXED',
      discountValue: DISCOUNT_AMOUNT_MAX,
    });
    const both = await quoteWith([
      line({ skuId: 1, productId: 100, unitPrice: 10_000 }),
      line({ skuId: 2, productId: 200, categoryIds: [11, 10], unitPrice: 5_000 }),
    ]);
    expect(both.body).toEqual({
      subtotal: 15_000,
      policyDiscounts: [{ policyId: product.id, name: '상품 정액', amount: 10_000 }],
      couponDiscount: 5_000,
      couponId: coupon.id,
      totalDiscount: 15_000,
      payable: 0,
      lines: [
        { skuId: 1, itemDiscount: 10_000 },
        { skuId: 2, itemDiscount: 0 },
      ],
    });

    // A fixed order policy above the order leaves the coupon nothing to take.
    const order = await policy({
      name: '주문 정액',
      discountType: 'FIXED',
      discountValue: DISCOUNT_AMOUNT_MAX,
    });
    const none = await quoteWith([
      line({ skuId: 2, productId: 200, categoryIds: [11, 10], unitPrice: 12_000 }),
    ]);
    expect(none.body).toMatchObject({
      subtotal: 12_000,
      policyDiscounts: [{ policyId: order.id, name: '주문 정액', amount: 12_000 }],
      couponDiscount: 0,
      // Not applied: an order placed from this quote does not use the coupon up.
      couponId: null,
      totalDiscount: 12_000,
      payable: 0,
    });
  });

  // A coupon once applied was used up by the order even when the policies had left it nothing to
  // take: couponDiscount 0, couponId set, and the shopper's coupon USED for 0원.
  it('reports a coupon that takes nothing off as not applied', async () => {
    const { coupon, userId: holder } = await issuedCoupon(api, {
      discountType: 'FIXED',
      discountValue: 3_000,
    });
    const quoteWith = () =>
      api.post('/internal/quotes', {
        userId: holder,
        items: [line({ unitPrice: 10_000 })],
        couponId: coupon.id,
      });
    expect((await quoteWith()).body).toMatchObject({
      couponDiscount: 3_000,
      couponId: coupon.id,
      payable: 7_000,
    });

    const order = await policy({
      name: '전액 할인',
      discountType: 'FIXED',
      discountValue: DISCOUNT_AMOUNT_MAX,
    });
    const res = await quoteWith();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      subtotal: 10_000,
      policyDiscounts: [{ policyId: order.id, name: '전액 할인', amount: 10_000 }],
      couponDiscount: 0,
      couponId: null,
      totalDiscount: 10_000,
      payable: 0,
      lines: [{ skuId: 1, itemDiscount: 0 }],
    });
  });

  // 100 % of a 500,000,000원 order took off 500,000,000 with no cap: DISCOUNT_AMOUNT_MAX bounded only
  // what an admin could type, not what a quote takes off.
  it('takes off at most DISCOUNT_AMOUNT_MAX for any one coupon or policy, however it is capped', async () => {
    const big = line({ skuId: 1, productId: 100, unitPrice: 50_000_000, quantity: 10 });
    const { coupon, userId: holder } = await issuedCoupon(api, {
      discountType: 'RATE',
      discountValue: 100,
      maxDiscount: null,
    });
    const quoteWith = () =>
      api.post('/internal/quotes', { userId: holder, items: [big], couponId: coupon.id });
    const alone = await quoteWith();
    expect(alone.status).toBe(200);
    expect(alone.body).toMatchObject({
      subtotal: 500_000_000,
      couponDiscount: DISCOUNT_AMOUNT_MAX,
      couponId: coupon.id,
      payable: 500_000_000 - DISCOUNT_AMOUNT_MAX,
    });

    // Uncapped RATE policies too, item and order alike: each at most the bound.
    const product = await policy({
      name: '상품 반값',
      targetType: 'PRODUCT',
      targetId: 100,
      discountValue: 50,
      maxDiscount: null,
    });
    const order = await policy({ name: '주문 10%', discountValue: 10, maxDiscount: null });
    expect((await quoteWith()).body).toEqual({
      subtotal: 500_000_000,
      policyDiscounts: [
        { policyId: product.id, name: '상품 반값', amount: DISCOUNT_AMOUNT_MAX },
        { policyId: order.id, name: '주문 10%', amount: DISCOUNT_AMOUNT_MAX },
      ],
      couponDiscount: DISCOUNT_AMOUNT_MAX,
      couponId: coupon.id,
      totalDiscount: 3 * DISCOUNT_AMOUNT_MAX,
      payable: 500_000_000 - 3 * DISCOUNT_AMOUNT_MAX,
      lines: [{ skuId: 1, itemDiscount: DISCOUNT_AMOUNT_MAX }],
    });
  });

  it('clamps amounts stored above the bound before it existed to DISCOUNT_AMOUNT_MAX', async () => {
    const db = service.context.db as Kysely<PromotionDb>;
    const big = line({ skuId: 1, productId: 100, unitPrice: 50_000_000, quantity: 10 });
    // As created when 1,000,000,000 (FIXED) or a 50,000,000 cap (RATE) was allowed.
    const fixed = await issuedCoupon(api, { discountType: 'FIXED', discountValue: 1_000 });
    await db
      .updateTable('coupons')
      .set({ discount_value: 1_000_000_000 })
      .where('id', '=', fixed.coupon.id)
      .execute();
    const capped = await issuedCoupon(api, { discountType: 'RATE', discountValue: 100, maxDiscount: 1_000 });
    await db
      .updateTable('coupons')
      .set({ max_discount: 50_000_000 })
      .where('id', '=', capped.coupon.id)
      .execute();
    const couponDiscount = async (held: { coupon: { id: number }; userId: string }) => {
      const res = await api.post('/internal/quotes', {
        userId: held.userId,
        items: [big],
        couponId: held.coupon.id,
      });
      expect(res.status).toBe(200);
      return res.body.couponDiscount;
    };
    expect(await couponDiscount(fixed)).toBe(DISCOUNT_AMOUNT_MAX);
    expect(await couponDiscount(capped)).toBe(DISCOUNT_AMOUNT_MAX);

    const order = await policy({ name: '주문 정액', discountType: 'FIXED', discountValue: 1_000 });
    await db
      .updateTable('discount_policies')
      .set({ discount_value: 1_000_000_000 })
      .where('id', '=', order.id)
      .execute();
    expect((await quote({ items: [big] })).body.policyDiscounts).toEqual([
      { policyId: order.id, name: '주문 정액', amount: DISCOUNT_AMOUNT_MAX },
    ]);
  });

  it('refuses an expired or deactivated coupon', async () => {
    const { coupon, userId: holder } = await issuedCoupon(api, { validTo: secondsFromNow(3) });
    const update = (overrides: Record<string, unknown>) =>
      api.put(`/api/admin/promotion/coupons/${coupon.id}`, { ...couponInputOf(coupon), ...overrides }, admin);
    const priced = () =>
      api.post('/internal/quotes', { userId: holder, items: [line()], couponId: coupon.id });
    expect((await priced()).status).toBe(200);
    expect((await update({ status: 'INACTIVE' })).status).toBe(200);
    expect((await priced()).body.reason).toBe('INACTIVE');
    expect((await update({ status: 'ACTIVE' })).status).toBe(200);
    // Its validity runs out while the user holds it.
    await eventually(async () => (await priced()).body.reason === 'EXPIRED');
  });

  it('validates the request', async () => {
    const empty = await quote({ items: [] });
    expect(empty.status).toBe(400);
    const bad = await quote({ items: [line({ quantity: 0, unitPrice: -1 })] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'items.0.quantity',
      'items.0.unitPrice',
    ]);
    expect((await api.post('/internal/quotes', { userId: 'not-a-uuid', items: [line()] })).status).toBe(400);
  });
});
