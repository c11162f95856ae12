import { hash } from 'node:crypto';
import { READ_MODEL_GENERATION_HEADER } from '@sagamart/contracts';
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
  const { queries, rebuild, generation } = catalogModule(ctx);

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
        response: {
          200: ProductDetail,
          304: Type.Null({ description: 'Not modified: the ETag given in If-None-Match is current' }),
          404: ProblemSchema,
        },
      },
    },
    async (req, reply) => {
      // Read before the data: an answer that raced a change carries the generation before it (ADR 0009).
      const readAt = generation.current;
      // The route's own serialiser (its 200 schema), run once per load rather than on every hit.
      const body = await queries.detailBody(req.params.id, (detail) => reply.serialize(detail) as string);
      // A strong validator of the bytes: a client holding them gets 304 instead of the body again.
      const etag = `"${hash('sha256', body, 'base64url').slice(0, 27)}"`;
      reply.header('etag', etag);
      // The same for every caller; a browser checks it again (If-None-Match) before each use, and the
      // gateway keeps it only while the generation stands still.
      reply.header('cache-control', 'public, no-cache');
      if (readAt !== undefined) reply.header(READ_MODEL_GENERATION_HEADER, String(readAt));
      // Sent without a payload (not `null`), so that no Content-Type claims a body.
      if (matchesEntityTag(req.headers['if-none-match'], etag))
        return reply.code(304).send(undefined as unknown as null);
      // Already the 200 schema's serialisation: Fastify sends a string with a JSON type as it is.
      return reply.type('application/json; charset=utf-8').send(body as never);
    },
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

/** `If-None-Match` (RFC 9110 §13.1.2): `*`, or a list holding the tag by weak comparison (`W/` aside). */
function matchesEntityTag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
