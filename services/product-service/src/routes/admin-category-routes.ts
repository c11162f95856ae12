import { ProblemSchema, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { Type } from 'typebox';
import { productModule } from '../app/module.ts';
import type { ProductDb } from '../infra/schema.ts';
import { adminOnly, CategoryBody, CategoryTree, CategoryView, IdParams, tags } from './schemas.ts';

/** Admin category tree: at most three levels, display order and a displayed flag (ADMIN only). */
export function registerAdminCategoryRoutes(app: ServiceApp, ctx: ServiceContext<ProductDb>): void {
  const { categories } = productModule(ctx);
  const t = tags.categories;

  app.get(
    '/api/admin/categories',
    {
      onRequest: adminOnly,
      schema: {
        tags: t,
        summary: 'The whole category tree, hidden categories included',
        response: { 200: CategoryTree },
      },
    },
    async () => categories.tree(),
  );

  app.get(
    '/api/admin/categories/:id',
    {
      onRequest: adminOnly,
      schema: {
        tags: t,
        summary: 'One category',
        params: IdParams,
        response: { 200: CategoryView, 404: ProblemSchema },
      },
    },
    async (req) => {
      return categories.get(req.params.id);
    },
  );

  app.post(
    '/api/admin/categories',
    {
      onRequest: adminOnly,
      schema: {
        tags: t,
        summary: 'Create a category (under parentId, at most three levels deep)',
        body: CategoryBody,
        response: { 201: CategoryView, 400: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (req, reply) => {
      return reply.status(201).send(await categories.create(req.body));
    },
  );

  app.put(
    '/api/admin/categories/:id',
    {
      onRequest: adminOnly,
      schema: {
        tags: t,
        summary: 'Rename, move, reorder, show or hide a category',
        params: IdParams,
        body: CategoryBody,
        response: {
          200: CategoryView,
          400: ProblemSchema,
          404: ProblemSchema,
          409: ProblemSchema,
          422: ProblemSchema,
        },
      },
    },
    async (req) => {
      return categories.update(req.params.id, req.body);
    },
  );

  app.delete(
    '/api/admin/categories/:id',
    {
      onRequest: adminOnly,
      schema: {
        tags: t,
        summary: 'Delete a category; 409 while it has subcategories or products',
        params: IdParams,
        response: { 204: Type.Null(), 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (req, reply) => {
      await categories.delete(req.params.id);
      return reply.status(204).send(null);
    },
  );
}
