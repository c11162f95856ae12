import {
  badRequest,
  notFound,
  PageSchema,
  ProblemSchema,
  parseSort,
  type ServiceApp,
  type ServiceContext,
} from '@sagamart/kit';
import { Type } from 'typebox';
import { catalogModule } from '../app/module.ts';
import { SEARCH_SORT } from '../app/queries.ts';
import type { CatalogDb } from '../infra/schema.ts';
import {
  AutocompleteQuery,
  adminOnly,
  CategoryTree,
  ProductCard,
  ProductDetail,
  RebuildRun,
  SearchQuery,
  Suggestions,
} from './schemas.ts';

const shop = ['catalog'];
const admin = ['admin: catalog'];

export function registerCatalogRoutes(app: ServiceApp, ctx: ServiceContext<CatalogDb>): void {
  const { queries, rebuild } = catalogModule(ctx);

  app.get(
    '/api/catalog/products',
    {
      schema: {
        tags: shop,
        summary:
          'Search and browse: q (every word, in any order, in the name, keywords, option values, category names or ' +
          'description; a name match ranks first), categoryId (with descendants), ' +
          'minPrice/maxPrice (sale price), inStock, sort (price, createdAt, salesCount or name as field,asc|desc, ' +
          'repeatable; or relevance, latest, price_asc, price_desc, popular)',
        querystring: SearchQuery,
        response: { 200: PageSchema(ProductCard), 400: ProblemSchema },
      },
    },
    async (req) => {
      const { minPrice, maxPrice } = req.query;
      if (minPrice !== undefined && maxPrice !== undefined && minPrice > maxPrice) {
        throw badRequest('minPrice must not exceed maxPrice', [
          { field: 'minPrice', message: 'must not exceed maxPrice' },
        ]);
      }
      return queries.search({ ...req.query, sort: parseSort(req.query.sort, SEARCH_SORT) });
    },
  );

  app.get(
    '/api/catalog/products/autocomplete',
    {
      schema: {
        tags: shop,
        summary:
          'Up to 10 suggestions: categories whose name (or a word of it) starts with the keyword, product names ' +
          'starting with it (then with a word starting with it), and search keywords; each with its kind',
        querystring: AutocompleteQuery,
        response: { 200: Suggestions, 400: ProblemSchema },
      },
    },
    async (req) => ({
      keyword: req.query.keyword,
      suggestions: await queries.autocomplete(req.query.keyword),
    }),
  );

  app.get(
    '/api/catalog/products/:id',
    {
      schema: {
        tags: shop,
        summary:
          'A displayed, active product with its option groups and SKUs with live stock (cached; events invalidate)',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: { 200: ProductDetail, 404: ProblemSchema },
      },
    },
    async (req) => queries.detail(req.params.id),
  );

  app.get(
    '/api/catalog/categories/tree',
    {
      schema: {
        tags: shop,
        summary: 'Displayed categories (under displayed parents), in display order',
        response: { 200: CategoryTree },
      },
    },
    async () => queries.categoryTree(),
  );

  app.post(
    '/api/admin/catalog/rebuild',
    {
      onRequest: adminOnly,
      schema: {
        tags: admin,
        summary:
          'Rebuild the read model from product-service in the background, with no downtime (new tables, then a swap)',
        response: { 202: RebuildRun, 409: ProblemSchema },
      },
    },
    async (_req, reply) => reply.status(202).send(await rebuild.start()),
  );

  app.get(
    '/api/admin/catalog/rebuild',
    {
      onRequest: adminOnly,
      schema: {
        tags: admin,
        summary: 'The latest rebuild and how far it got',
        response: { 200: RebuildRun, 404: ProblemSchema },
      },
    },
    async () => {
      const run = await rebuild.latest();
      if (!run) throw notFound('The catalog was never rebuilt');
      return run;
    },
  );
}
