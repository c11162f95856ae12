import { defineService } from '@sagamart/kit';
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
  routes: (app, ctx) => {
    registerAdminRoutes(app, ctx);
    registerCouponRoutes(app, ctx);
    registerInternalRoutes(app, ctx);
  },
});
