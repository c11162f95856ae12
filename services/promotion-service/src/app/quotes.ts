import type { PromotionQuoteRequest } from '@sagamart/contracts';
import type { ServiceContext } from '@sagamart/kit';
import { couponUnavailability } from '../domain/coupon-lifecycle.ts';
import { type CouponTerms, type PolicyTerms, priceOrder, type Quote } from '../domain/pricing.ts';
import type { PromotionDb } from '../infra/schema.ts';
import { couponUnavailable } from './problems.ts';
import type { PolicyRow } from './views.ts';

export function toPolicyTerms(row: PolicyRow): PolicyTerms {
  return {
    id: row.id,
    name: row.name,
    targetType: row.target_type,
    targetId: row.target_id,
    discountType: row.discount_type,
    discountValue: row.discount_value,
    maxDiscount: row.max_discount,
    minOrderAmount: row.min_order_amount,
    status: row.status,
    validFrom: row.valid_from,
    validTo: row.valid_to,
  };
}

/** The quote: prices computed here from server-side promotion data; clients' amounts are never used. */
export class Quotes {
  constructor(private readonly ctx: ServiceContext<PromotionDb>) {}

  async quote(request: PromotionQuoteRequest, now = new Date()): Promise<Quote> {
    const db = this.ctx.db;
    const policies = await db
      .selectFrom('discount_policies')
      .selectAll()
      .where('status', '=', 'ACTIVE')
      .where('valid_from', '<=', now)
      .where('valid_to', '>=', now)
      .execute();

    let coupon: CouponTerms | undefined;
    if (request.couponId !== undefined) {
      const row = await db
        .selectFrom('coupons')
        .selectAll()
        .where('id', '=', request.couponId)
        .executeTakeFirst();
      const held = row
        ? await db
            .selectFrom('user_coupons')
            .select(['status', 'order_id'])
            .where('coupon_id', '=', row.id)
            .where('user_id', '=', request.userId)
            .executeTakeFirst()
        : undefined;
      const reason = row
        ? couponUnavailability(
            {
              status: row.status,
              validFrom: row.valid_from,
              validTo: row.valid_to,
              minOrderAmount: row.min_order_amount,
            },
            held ? { status: held.status, orderId: held.order_id } : undefined,
            now,
            { orderId: request.orderId },
          )
        : 'NOT_OWNED';
      if (reason || !row) throw couponUnavailable(reason ?? 'NOT_OWNED');
      coupon = {
        couponId: row.id,
        discountType: row.discount_type,
        discountValue: row.discount_value,
        maxDiscount: row.max_discount,
        minOrderAmount: row.min_order_amount,
      };
    }

    const result = priceOrder({ items: request.items, policies: policies.map(toPolicyTerms), coupon, now });
    if (!result.ok) throw couponUnavailable(result.reason);
    return result.quote;
  }
}
