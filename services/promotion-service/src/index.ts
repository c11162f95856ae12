import { ReturnCompleted } from '@sagamart/contracts';
import { defineService, on } from '@sagamart/kit';
import { promotionModule } from './app/module.ts';
import { migrations, type PromotionDb } from './infra/schema.ts';
import { registerAdminRoutes } from './routes/admin-routes.ts';
import { registerCouponRoutes } from './routes/coupon-routes.ts';
import { registerInternalRoutes } from './routes/internal-routes.ts';

export default defineService<PromotionDb>({
  name: 'promotion-service',
  port: 8087,
  description:
    'Promotions: coupons and discount policies (admin), coupon claims, the pricing quote (the single source of pricing truth) and coupon reservations for the order saga.',
  migrations,
  // A whole order returned (issue 10): its coupon is usable again (USED → RESTORED), once, by its order
  // id: releasing the order's committed reservation is idempotent.
  handlers: (ctx) => {
    const { reservations } = promotionModule(ctx);
    return [
      on(ReturnCompleted, async (event) => {
        if (event.restoreCoupon && event.couponId !== null) await reservations.release(event.orderId);
      }),
    ];
  },
  routes: (app, ctx) => {
    registerAdminRoutes(app, ctx);
    registerCouponRoutes(app, ctx);
    registerInternalRoutes(app, ctx);
  },
});
