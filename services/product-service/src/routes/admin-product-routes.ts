import {
  PageSchema,
  ProblemSchema,
  requireIdentity,
  type ServiceApp,
  type ServiceContext,
} from '@sagamart/kit';
import { Type } from 'typebox';
import { productModule } from '../app/module.ts';
import type { ProductDb } from '../infra/schema.ts';
import {
  adminOnly,
  HeldStockBody,
  IdParams,
  KeywordBody,
  KeywordParams,
  KeywordView,
  MovementQuery,
  MovementView,
  ProductBody,
  ProductListQuery,
  ProductSummary,
  ProductView,
  SkuParams,
  SkuStockView,
  StockAdjustmentBody,
  tags,
} from './schemas.ts';

/** Admin products, their keywords and stock (ADMIN only). */
export function registerAdminProductRoutes(app: ServiceApp, ctx: ServiceContext<ProductDb>): void {
  const { products, keywords, stock } = productModule(ctx);
  const t = tags.products;
  const actor = (req: Parameters<typeof requireIdentity>[0]) => requireIdentity(req, 'ADMIN').userId;

  app.get(
    '/api/admin/products',
    {
      onRequest: adminOnly,
      schema: {
        tags: t,
        summary:
          'Products by id (?ids=1&ids=2), name (contains), code (prefix), status, displayed, category (with descendants), sale price range, held units and ' +
          'stock (low: a SKU on sale at or below the dashboard’s low-stock threshold; soldout: one with none); deleted ones only while they hold units, unless includeDeleted',
        querystring: ProductListQuery,
        response: { 200: PageSchema(ProductSummary), 400: ProblemSchema },
      },
    },
    async (req) => products.list(req.query),
  );

  app.get(
    '/api/admin/products/:id',
    {
      onRequest: adminOnly,
      schema: {
        tags: t,
        summary: 'One product with its SKUs and images',
        params: IdParams,
        response: { 200: ProductView, 404: ProblemSchema },
      },
    },
    async (req) => products.get(req.params.id),
  );

  app.post(
    '/api/admin/products',
    {
      onRequest: adminOnly,
      schema: {
        tags: t,
        summary:
          'Create a product: one SKU per option combination, initialStock per SKU, images from uploads',
        body: ProductBody,
        response: { 201: ProductView, 400: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await products.create(req.body, actor(req))),
  );

  app.put(
    '/api/admin/products/:id',
    {
      onRequest: adminOnly,
      schema: {
        tags: t,
        summary:
          'Replace a product. SKUs are matched by skuCode and keep their ids; SKUs left out are deactivated. ' +
          'initialStock applies to new SKUs only (existing stock moves by adjustments). Send version to detect lost updates.',
        params: IdParams,
        body: ProductBody,
        response: {
          200: ProductView,
          400: ProblemSchema,
          404: ProblemSchema,
          409: ProblemSchema,
          422: ProblemSchema,
        },
      },
    },
    async (req) => products.update(req.params.id, req.body, actor(req)),
  );

  app.delete(
    '/api/admin/products/:id',
    {
      onRequest: adminOnly,
      schema: {
        tags: t,
        summary: 'Delete a product: soft when orders reference it (kept, never shown), otherwise removed',
        params: IdParams,
        response: { 204: Type.Null(), 404: ProblemSchema },
      },
    },
    async (req, reply) => {
      await products.delete(req.params.id);
      return reply.status(204).send(null);
    },
  );

  // ---- keywords ----

  app.get(
    '/api/admin/products/:id/keywords',
    {
      onRequest: adminOnly,
      schema: {
        tags: t,
        summary: "The product's search keywords",
        params: IdParams,
        response: { 200: Type.Array(KeywordView), 404: ProblemSchema },
      },
    },
    async (req) => keywords.list(req.params.id),
  );

  app.post(
    '/api/admin/products/:id/keywords',
    {
      onRequest: adminOnly,
      schema: {
        tags: t,
        summary: 'Add a search keyword',
        params: IdParams,
        body: KeywordBody,
        response: { 201: KeywordView, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await keywords.add(req.params.id, req.body.keyword)),
  );

  app.put(
    '/api/admin/products/:id/keywords/:keywordId',
    {
      onRequest: adminOnly,
      schema: {
        tags: t,
        summary: 'Change a search keyword',
        params: KeywordParams,
        body: KeywordBody,
        response: { 200: KeywordView, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (req) => keywords.rename(req.params.id, req.params.keywordId, req.body.keyword),
  );

  app.delete(
    '/api/admin/products/:id/keywords/:keywordId',
    {
      onRequest: adminOnly,
      schema: {
        tags: t,
        summary: 'Remove a search keyword',
        params: KeywordParams,
        response: { 204: Type.Null(), 404: ProblemSchema },
      },
    },
    async (req, reply) => {
      await keywords.remove(req.params.id, req.params.keywordId);
      return reply.status(204).send(null);
    },
  );

  // ---- stock ----

  app.post(
    '/api/admin/products/:id/skus/:skuId/stock-adjustments',
    {
      onRequest: adminOnly,
      schema: {
        tags: t,
        summary:
          'Adjust (signed) or restock (positive) one SKU; a reason is required and kept in the stock history. 409 stock-limit past 1,000,000,000 units per SKU',
        params: SkuParams,
        body: StockAdjustmentBody,
        response: { 200: SkuStockView, 400: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (req) => stock.adjust(req.params.id, req.params.skuId, req.body, actor(req)),
  );

  // Units sent back defective or damaged wait in `held` for the admin's inspection.
  for (const [path, type, summary] of [
    [
      'release',
      'RELEASE_HELD',
      'Put held units of one SKU (sent back defective or damaged) on sale after inspection; 409 when fewer are held',
    ],
    [
      'discard',
      'DISCARD',
      'Write off held units of one SKU (sent back defective or damaged) after inspection; 409 when fewer are held',
    ],
  ] as const) {
    app.post(
      `/api/admin/products/:id/skus/:skuId/held-stock/${path}`,
      {
        onRequest: adminOnly,
        schema: {
          tags: t,
          summary,
          params: SkuParams,
          body: HeldStockBody,
          response: { 200: SkuStockView, 400: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema },
        },
      },
      async (req) =>
        stock.decideHeld(
          req.params.id,
          req.params.skuId,
          { type, quantity: req.body.quantity, reason: req.body.reason },
          actor(req),
        ),
    );
  }

  app.get(
    '/api/admin/products/:id/stock-movements',
    {
      onRequest: adminOnly,
      schema: {
        tags: t,
        summary:
          'Stock history of a product, newest first (INITIAL, ADJUST, RESERVE, RELEASE, SELL, RESTOCK, RETURN, HOLD, RELEASE_HELD, DISCARD)',
        params: IdParams,
        querystring: MovementQuery,
        response: { 200: PageSchema(MovementView), 404: ProblemSchema },
      },
    },
    async (req) => stock.history(req.params.id, req.query),
  );
}
