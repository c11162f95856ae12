import type { ServiceContext } from '@sagamart/kit';
import { ProductCatalog } from '../infra/product-catalog.ts';
import type { PromotionDb } from '../infra/schema.ts';
import { Coupons } from './coupons.ts';
import { Policies } from './policies.ts';
import { Quotes } from './quotes.ts';
import { CouponReservations } from './reservations.ts';

/** The use cases of one running promotion-service, wired once per service context. */
export interface PromotionModule {
  coupons: Coupons;
  policies: Policies;
  quotes: Quotes;
  reservations: CouponReservations;
}

const modules = new WeakMap<ServiceContext<PromotionDb>, PromotionModule>();

export function promotionModule(ctx: ServiceContext<PromotionDb>): PromotionModule {
  let module = modules.get(ctx);
  if (!module) {
    module = {
      coupons: new Coupons(ctx),
      policies: new Policies(ctx, new ProductCatalog(ctx.client('product-service'))),
      quotes: new Quotes(ctx),
      reservations: new CouponReservations(ctx),
    };
    modules.set(ctx, module);
  }
  return module;
}
