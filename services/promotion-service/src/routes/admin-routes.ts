import { PageQuery, PageSchema, requireIdentity, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { type Static, Type } from 'typebox';
import type { CouponInput } from '../app/coupons.ts';
import { promotionModule } from '../app/module.ts';
import type { PolicyInput } from '../app/policies.ts';
import type { PromotionDb } from '../infra/schema.ts';
import {
  CouponInputSchema,
  CouponSchema,
  IdParams,
  PolicyInputSchema,
  PolicySchema,
  PolicyTargetSchema,
  PromotionStatusSchema,
  problems,
} from './schemas.ts';

const couponInput = (body: Static<typeof CouponInputSchema>): CouponInput => ({
  ...body,
  minOrderAmount: body.minOrderAmount ?? 0,
  maxDiscount: body.maxDiscount ?? null,
  totalIssueLimit: body.totalIssueLimit ?? null,
  status: body.status ?? 'ACTIVE',
});

const policyInput = (body: Static<typeof PolicyInputSchema>): PolicyInput => ({
  ...body,
  minOrderAmount: body.minOrderAmount ?? 0,
  maxDiscount: body.maxDiscount ?? null,
  status: body.status ?? 'ACTIVE',
});

/** Coupons and discount policies (ADMIN). */
export function registerAdminRoutes(app: ServiceApp, ctx: ServiceContext<PromotionDb>): void {
  const { coupons, policies } = promotionModule(ctx);
  const couponTags = ['admin-coupons'];
  const policyTags = ['admin-policies'];

  app.post(
    '/api/admin/promotion/coupons',
    {
      schema: {
        tags: couponTags,
        summary: 'Create a coupon',
        body: CouponInputSchema,
        response: { 201: CouponSchema, ...problems },
      },
    },
    async (req, reply) => {
      requireIdentity(req, 'ADMIN');
      return reply.status(201).send(await coupons.create(couponInput(req.body)));
    },
  );

  app.get(
    '/api/admin/promotion/coupons',
    {
      schema: {
        tags: couponTags,
        summary: 'List coupons, newest first; q searches code and name',
        querystring: Type.Object({
          ...PageQuery.properties,
          status: Type.Optional(PromotionStatusSchema),
          q: Type.Optional(Type.String({ maxLength: 100 })),
        }),
        response: { 200: PageSchema(CouponSchema), ...problems },
      },
    },
    async (req) => {
      requireIdentity(req, 'ADMIN');
      return coupons.list(req.query);
    },
  );

  app.get(
    '/api/admin/promotion/coupons/:id',
    {
      schema: {
        tags: couponTags,
        summary: 'One coupon',
        params: IdParams,
        response: { 200: CouponSchema, ...problems },
      },
    },
    async (req) => {
      requireIdentity(req, 'ADMIN');
      return coupons.get(req.params.id);
    },
  );

  app.put(
    '/api/admin/promotion/coupons/:id',
    {
      schema: {
        tags: couponTags,
        summary:
          'Replace a coupon; once issued, only its name, status, limit (not below the number issued) and a later end (409 COUPON_ISSUED otherwise)',
        params: IdParams,
        body: CouponInputSchema,
        response: { 200: CouponSchema, ...problems },
      },
    },
    async (req) => {
      requireIdentity(req, 'ADMIN');
      return coupons.update(req.params.id, couponInput(req.body));
    },
  );

  app.delete(
    '/api/admin/promotion/coupons/:id',
    {
      schema: {
        tags: couponTags,
        summary: 'Delete a coupon nobody holds (otherwise set it INACTIVE)',
        params: IdParams,
        response: { 204: Type.Null(), ...problems },
      },
    },
    async (req, reply) => {
      requireIdentity(req, 'ADMIN');
      await coupons.delete(req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/admin/promotion/policies',
    {
      schema: {
        tags: policyTags,
        summary: 'Create a discount policy (PRODUCT, CATEGORY with its descendants, or ORDER)',
        body: PolicyInputSchema,
        response: { 201: PolicySchema, ...problems },
      },
    },
    async (req, reply) => {
      requireIdentity(req, 'ADMIN');
      return reply.status(201).send(await policies.create(policyInput(req.body)));
    },
  );

  app.get(
    '/api/admin/promotion/policies',
    {
      schema: {
        tags: policyTags,
        summary: 'List discount policies, newest first',
        querystring: Type.Object({
          ...PageQuery.properties,
          status: Type.Optional(PromotionStatusSchema),
          targetType: Type.Optional(PolicyTargetSchema),
        }),
        response: { 200: PageSchema(PolicySchema), ...problems },
      },
    },
    async (req) => {
      requireIdentity(req, 'ADMIN');
      return policies.list(req.query);
    },
  );

  app.get(
    '/api/admin/promotion/policies/:id',
    {
      schema: {
        tags: policyTags,
        summary: 'One discount policy',
        params: IdParams,
        response: { 200: PolicySchema, ...problems },
      },
    },
    async (req) => {
      requireIdentity(req, 'ADMIN');
      return policies.get(req.params.id);
    },
  );

  app.put(
    '/api/admin/promotion/policies/:id',
    {
      schema: {
        tags: policyTags,
        summary: 'Replace a discount policy',
        params: IdParams,
        body: PolicyInputSchema,
        response: { 200: PolicySchema, ...problems },
      },
    },
    async (req) => {
      requireIdentity(req, 'ADMIN');
      return policies.update(req.params.id, policyInput(req.body));
    },
  );

  app.delete(
    '/api/admin/promotion/policies/:id',
    {
      schema: {
        tags: policyTags,
        summary: 'Delete a discount policy',
        params: IdParams,
        response: { 204: Type.Null(), ...problems },
      },
    },
    async (req, reply) => {
      requireIdentity(req, 'ADMIN');
      await policies.delete(req.params.id);
      return reply.status(204).send(null);
    },
  );
}
