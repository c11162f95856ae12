import { PageQuery, PageSchema, requireIdentity, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { Type } from 'typebox';
import { promotionModule } from '../app/module.ts';
import type { PromotionDb } from '../infra/schema.ts';
import { CouponClaimBody, CouponDisplayStatusSchema, MyCouponSchema, problems } from './schemas.ts';

const tags = ['coupons'];

/** The signed-in shopper's coupons. */
export function registerCouponRoutes(app: ServiceApp, ctx: ServiceContext<PromotionDb>): void {
  const { coupons } = promotionModule(ctx);

  app.post(
    '/api/promotion/coupons/claim',
    {
      schema: {
        tags,
        summary: 'Claim a coupon by its code (one per user, within the total issue limit)',
        body: CouponClaimBody,
        response: { 201: MyCouponSchema, ...problems },
      },
    },
    async (req, reply) => {
      const { userId } = requireIdentity(req);
      return reply.status(201).send(await coupons.claim(userId, req.body.couponCode));
    },
  );

  app.get(
    '/api/promotion/coupons',
    {
      schema: {
        tags,
        summary: 'My coupons in every state (EXPIRED: past validTo and never used), newest first',
        querystring: Type.Object({
          ...PageQuery.properties,
          status: Type.Optional(CouponDisplayStatusSchema),
        }),
        response: { 200: PageSchema(MyCouponSchema), ...problems },
      },
    },
    async (req) => coupons.mine(requireIdentity(req).userId, req.query),
  );
}
