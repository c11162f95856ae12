import {
  CategorySyncList,
  ProductSnapshot,
  ProductSyncPage,
  SkuLookupResult,
  StockReservation,
  StockReservationRequest,
  StockSettleRequest,
} from '@sagamart/contracts';
import { ProblemSchema, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import { Type } from 'typebox';
import { productModule } from '../app/module.ts';
import type { MovementSubject } from '../app/stock.ts';
import type { ProductDb } from '../infra/schema.ts';
import { IdParams, tags } from './schemas.ts';

const OrderParams = Type.Object({ orderId: Type.String({ minLength: 1, maxLength: 64 }) });
const INTERNAL_ACTOR = 'internal';
/** A commit or release may come without a body (shipping-service's): Fastify validates that as null. */
const SettleBody = Type.Union([StockSettleRequest, Type.Null()]);

/**
 * What the key of a reservation call is for. shipping-service holds stock only for exchanges, keyed by
 * the claim's id (its product client); its claim events name the order later. Anyone else's key is
 * an order's id, and order-service names the order's number with it.
 */
const subjectOf = (caller: string | undefined, orderNumber: string | undefined): MovementSubject => ({
  claimType: caller === 'shipping-service' ? 'EXCHANGE' : null,
  orderNumber: orderNumber ?? null,
});

/**
 * For other services only: the gateway never routes /internal/**. Full-sync reads for catalog
 * rebuilds, SKU lookup for orders, and the stock reservation API the order saga builds on.
 */
export function registerInternalRoutes(app: ServiceApp, ctx: ServiceContext<ProductDb>): void {
  const { stock, sync } = productModule(ctx);
  const t = tags.internal;

  app.get(
    '/internal/sync/products',
    {
      schema: {
        tags: t,
        summary:
          'Full sync, one keyset page: products with id > afterId in id order, soft-deleted ones included, with keywords',
        querystring: Type.Object({
          afterId: Type.Integer({ minimum: 0, default: 0 }),
          size: Type.Integer({ minimum: 1, maximum: 500, default: 200 }),
        }),
        response: { 200: ProductSyncPage },
      },
    },
    async (req) => sync.products(req.query.afterId, req.query.size),
  );

  app.get(
    '/internal/sync/categories',
    { schema: { tags: t, summary: 'Every category', response: { 200: CategorySyncList } } },
    async () => sync.categories(),
  );

  app.get(
    '/internal/products/:id',
    {
      schema: {
        tags: t,
        summary: "A product's current snapshot (as in its events)",
        params: IdParams,
        response: { 200: ProductSnapshot, 404: ProblemSchema },
      },
    },
    async (req) => sync.product(req.params.id),
  );

  app.get(
    '/internal/skus',
    {
      schema: {
        tags: t,
        summary:
          'SKUs by id (?ids=1&ids=2): price, product, categories, status, stock; unknown ids are left out',
        querystring: Type.Object({
          ids: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 100 }),
        }),
        response: { 200: SkuLookupResult },
      },
    },
    async (req) => sync.skus(req.query.ids),
  );

  app.post(
    '/internal/stock/reservations',
    {
      schema: {
        tags: t,
        summary: "Reserve an order's items, all or none; idempotent by orderId",
        body: StockReservationRequest,
        response: { 200: StockReservation, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (req) =>
      stock.reserve(req.body, INTERNAL_ACTOR, undefined, subjectOf(req.caller, req.body.orderNumber)),
  );

  app.post(
    '/internal/stock/reservations/:orderId/release',
    {
      schema: {
        tags: t,
        summary:
          "Give an order's stock back: reserved units RELEASE, sold units RESTOCK (cancel after payment); idempotent, a tombstone when nothing was reserved",
        params: OrderParams,
        body: SettleBody,
        response: { 200: StockReservation, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (req) =>
      stock.release(
        req.params.orderId,
        INTERNAL_ACTOR,
        undefined,
        subjectOf(req.caller, req.body?.orderNumber),
      ),
  );

  // The saga's name for the step is commit (as for coupons and points); sell is kept for existing callers.
  for (const action of ['commit', 'sell'] as const) {
    app.post(
      `/internal/stock/reservations/:orderId/${action}`,
      {
        schema: {
          tags: t,
          summary:
            'The order was paid: turn its reserved stock into sold stock; idempotent, 409 once released',
          params: OrderParams,
          body: SettleBody,
          response: { 200: StockReservation, 404: ProblemSchema, 409: ProblemSchema },
        },
      },
      async (req) =>
        stock.sell(
          req.params.orderId,
          INTERNAL_ACTOR,
          undefined,
          subjectOf(req.caller, req.body?.orderNumber),
        ),
    );
  }
}
