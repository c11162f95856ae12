import { randomUUID } from 'node:crypto';
import {
  topology as declaredTopology,
  OrderPaid,
  type OrderPaidPayload,
  SHIPPING_EVENTS,
  type Topology,
} from '@sagamart/contracts';
import { type ConfigTree, type Discovery, defineService, type Kysely, type Service } from '@sagamart/kit';
import {
  asService,
  asUser,
  defineEventRecorder,
  eventually,
  jsonClient,
  MovableDiscovery,
  type SeenEvent,
  startTestService,
  uniqueName,
} from '@sagamart/testkit';
import { Type } from 'typebox';
import mockCourier from '../../mock-courier/src/index.ts';
import shippingService from '../src/index.ts';

export const COURIER_KEY = 'courier_key_for_shipping_tests';

interface ProductsDb {
  reservations: { claim_id: string; state: string; items: unknown };
}

/**
 * Stands in for product-service's internal API: the SKU lookup and stock reservations keyed by the
 * claim id (a SKU whose id ends in 9 is out of stock). A commit answers as product-service's does
 * (404 with nothing reserved, 409 once released), and each is counted per claim.
 */
function defineProducts(skus: () => Map<number, { productId: number; price: number }>) {
  const commits = new Map<string, number>();
  const refusal = (status: 404 | 409, detail: string) => ({
    type: `urn:sagamart:problem:${status === 404 ? 'not-found' : 'reservation-released'}`,
    title: status === 404 ? 'Not Found' : 'Conflict',
    status,
    detail,
  });
  return defineService<ProductsDb>({
    name: 'product-service',
    port: 0,
    migrations: {
      '0001': {
        up: async (db: Kysely<any>) => {
          await db.schema
            .createTable('reservations')
            .addColumn('claim_id', 'text', (c) => c.primaryKey())
            .addColumn('state', 'text', (c) => c.notNull())
            .addColumn('items', 'jsonb', (c) => c.notNull())
            .execute();
        },
      },
    },
    routes(app, ctx) {
      app.get(
        '/internal/skus',
        { schema: { querystring: Type.Object({ ids: Type.Array(Type.Integer()) }) } },
        async (req) => ({
          content: req.query.ids.flatMap((id) => {
            const sku = skus().get(id);
            if (!sku) return [];
            return [
              {
                skuId: id,
                skuCode: `SKU-${id}`,
                options: {},
                price: sku.price,
                status: 'ACTIVE',
                removed: false,
                stock: 10,
                productId: sku.productId,
                productCode: `P-${sku.productId}`,
                productName: '반팔 티셔츠',
                productStatus: 'ACTIVE',
                displayed: true,
                deleted: false,
                categoryIds: [],
                thumbnailUrl: null,
                orderable: true,
              },
            ];
          }),
        }),
      );
      app.post('/internal/stock/reservations', { schema: { body: Type.Any() } }, async (req, reply) => {
        const body = req.body as { orderId: string; items: { skuId: number; quantity: number }[] };
        if (body.items.some((i) => i.skuId % 10 === 9)) {
          return reply.status(409).type('application/problem+json').send({
            type: 'urn:sagamart:problem:out-of-stock',
            title: 'Conflict',
            status: 409,
            detail: 'out of stock',
          });
        }
        await ctx.db
          .insertInto('reservations')
          .values({ claim_id: body.orderId, state: 'RESERVED', items: JSON.stringify(body.items) as never })
          .onConflict((oc) => oc.doNothing())
          .execute();
        return { orderId: body.orderId, state: 'RESERVED', items: body.items };
      });
      app.post('/internal/stock/reservations/:id/commit', async (req, reply) => {
        const { id } = req.params as { id: string };
        commits.set(id, (commits.get(id) ?? 0) + 1);
        const found = await ctx.db
          .selectFrom('reservations')
          .selectAll()
          .where('claim_id', '=', id)
          .executeTakeFirst();
        if (!found || found.state === 'RELEASED') {
          const problem = found
            ? refusal(409, `Order ${id}'s reservation is already RELEASED`)
            : refusal(404, `Order ${id} has no reservation`);
          return reply.status(problem.status).type('application/problem+json').send(problem);
        }
        const row = await ctx.db
          .updateTable('reservations')
          .set({ state: 'SOLD' })
          .where('claim_id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        return { orderId: id, state: 'SOLD', items: row.items };
      });
      app.post('/internal/stock/reservations/:id/release', async (req) => {
        const { id } = req.params as { id: string };
        await ctx.db
          .insertInto('reservations')
          .values({ claim_id: id, state: 'RELEASED', items: '[]' as never })
          .onConflict((oc) => oc.column('claim_id').doUpdateSet({ state: 'RELEASED' }))
          .execute();
        return { orderId: id, state: 'RELEASED', items: [] };
      });
      app.get('/reservations', async () =>
        (await ctx.db.selectFrom('reservations').selectAll().execute()).map((row) => ({
          ...row,
          commits: commits.get(row.claim_id) ?? 0,
        })),
      );
    },
  });
}

export interface HarnessOptions {
  shipping?: ConfigTree;
  courier?: ConfigTree;
}

/** mock courier + shipping-service + a stand-in for the rest of the platform, on one fresh bus. */
export async function startHarness(options: HarnessOptions = {}) {
  const probeName = uniqueName('shipping-probe').replaceAll('_', '-');
  const topology: Topology = {
    'shipping-service': declaredTopology['shipping-service']!,
    [probeName]: SHIPPING_EVENTS,
  };
  const shared: ConfigTree = {
    bus: { database: uniqueName('t_bus'), pollMs: 100 },
    events: { maxAttempts: 5, baseDelayMs: 20, maxDelayMs: 200, concurrency: 4 },
  };
  const discovery = new MovableDiscovery();
  const running: Service<any>[] = [];
  const skus = new Map<number, { productId: number; price: number }>();

  const courierConfig: ConfigTree = {
    database: { name: uniqueName('t_courier') },
    mockCourier: { accountKey: COURIER_KEY, stepMs: 0 },
    ...options.courier,
  };
  const startCourier = async (config: ConfigTree = {}) => {
    const service = await startTestService(mockCourier, { config: { ...courierConfig, ...config } });
    running.push(service);
    discovery.set('mock-courier', service.url);
    return service;
  };
  let courier = await startCourier();

  const probe = await startTestService(defineEventRecorder(probeName, SHIPPING_EVENTS), {
    topology,
    config: { ...shared, events: { ...(shared.events as ConfigTree), concurrency: 1 } },
  });
  running.push(probe);
  const products = await startTestService(
    defineProducts(() => skus),
    { topology, config: shared },
  );
  running.push(products);
  discovery.set('product-service', products.url);

  const shippingConfig: ConfigTree = {
    ...shared,
    database: { name: uniqueName('t_ship') },
    http: {
      client: {
        maxAttempts: 1,
        timeoutMs: 1_000,
        breaker: { minimumNumberOfCalls: 3, halfOpenAfterMs: 300 },
      },
    },
    shipping: {
      courier: { accountKey: COURIER_KEY, timeoutMs: 1_000 },
      autoDispatchDelayMs: 0,
      dispatch: { intervalMs: 100 },
      tracking: { pollIntervalMs: 100, tickMs: 50, retryBaseMs: 100, retryMaxMs: 400, leaseMs: 2_000 },
      autoConfirm: { intervalMs: 100 },
      ...((options.shipping?.shipping as ConfigTree | undefined) ?? {}),
    },
  };
  const startShipping = async (own: Discovery = discovery) => {
    const service = await startTestService(shippingService, {
      topology,
      discovery: own,
      config: shippingConfig,
    });
    running.push(service);
    return service;
  };
  const shipping = await startShipping();
  const api = jsonClient(shipping);
  const courierApi = () => jsonClient(courier, { anonymous: true });

  const harness = {
    shipping,
    api,
    discovery,
    skus,
    /** The stand-in for product-service. */
    products,
    get courier() {
      return courier;
    },
    /** Another shipping-service instance on the same database and bus. */
    startShipping,
    async stopCourier() {
      await courier.stop();
    },
    /** The courier again, on its database, at a new address (with `config` over its own, if given). */
    async restartCourier(config: ConfigTree = {}) {
      courier = await startCourier(config);
    },
    async stop() {
      await Promise.all(
        running
          .splice(0)
          .reverse()
          .map((s) => s.stop()),
      );
    },

    /** An order.paid with two lines (3 × 10,000 and 1 × 25,000), 5,000 off, 2,000 points. */
    paidOrder(overrides: Partial<OrderPaidPayload> = {}): OrderPaidPayload {
      const base = Math.floor(Math.random() * 1_000_000_000);
      return {
        orderId: randomUUID(),
        orderNumber: `ORD-20261204-${randomUUID().replaceAll('-', '').slice(0, 8).toUpperCase()}`,
        userId: randomUUID(),
        version: 3,
        payableAmount: 48_000,
        paymentId: randomUUID(),
        paidAt: new Date().toISOString(),
        subtotal: 55_000,
        discountAmount: 5_000,
        pointsUsed: 2_000,
        couponId: 7,
        items: [
          {
            orderItemId: base + 1,
            skuId: 101,
            productId: 10,
            productName: '반팔 티셔츠',
            skuCode: 'TS-BK-L',
            optionLabel: '블랙 / L',
            quantity: 3,
            unitPrice: 10_000,
            lineAmount: 30_000,
            discountShare: 2_727,
            pointsShare: 1_091,
            payableShare: 26_182,
          },
          {
            orderItemId: base + 2,
            skuId: 201,
            productId: 20,
            productName: '청바지',
            skuCode: 'JN-32',
            optionLabel: '32',
            quantity: 1,
            unitPrice: 25_000,
            lineAmount: 25_000,
            discountShare: 2_273,
            pointsShare: 909,
            payableShare: 21_818,
          },
        ],
        receiver: {
          name: '김사가',
          phone: '010-1234-5678',
          zipCode: '06236',
          address: '서울 강남구 테헤란로 1',
          addressDetail: '101호',
          memo: null,
        },
        ...overrides,
      };
    },
    async publishPaid(order: OrderPaidPayload) {
      const ctx = probe.context;
      await ctx.transaction((trx) => ctx.publish(trx, OrderPaid, order));
    },
    owner: (order: OrderPaidPayload) => asUser(order.userId),
    admin: asUser(randomUUID(), 'ADMIN'),
    internal: asService('shipping-service'),

    async events(): Promise<SeenEvent[]> {
      return (await jsonClient(probe, { anonymous: true }).get('/events')).body;
    },
    async eventsOf(topic: string, orderId: string): Promise<SeenEvent[]> {
      return (await harness.events()).filter((e) => e.topic === topic && e.payload.orderId === orderId);
    },
    /** Waits until the probe saw `count` events of a topic for the order. */
    async awaitEvent(topic: string, orderId: string, count = 1): Promise<SeenEvent> {
      const seen = await eventually(async () => {
        const found = await harness.eventsOf(topic, orderId);
        return found.length >= count ? found : undefined;
      });
      return seen[count - 1]!;
    },
    /** The stand-in's reservations, each with the commits it was asked for. */
    async reservations(): Promise<Array<{ claim_id: string; state: string; commits: number }>> {
      return (await jsonClient(products, { anonymous: true }).get('/reservations')).body;
    },
    /** Gives a claim's reserved stock back at the stand-in, as product-service would on its own. */
    async releaseReservation(claimId: string) {
      const released = await jsonClient(products).post(`/internal/stock/reservations/${claimId}/release`);
      if (released.status !== 200) throw new Error(`release answered ${released.status}`);
    },

    /** GET /api/shipping/orders/{id} as the owner. */
    shippingOf(order: OrderPaidPayload) {
      return api.get(`/api/shipping/orders/${order.orderId}`, harness.owner(order));
    },
    /** Waits until the order's original shipment has a waybill; answers its tracking number. */
    async waybillOf(order: OrderPaidPayload): Promise<string> {
      return eventually(async () => (await harness.shippingOf(order)).body?.shipments?.[0]?.trackingNumber);
    },
    advance(trackingNumber: string, to: string) {
      return courierApi().post(`/api/v1/test/waybills/${trackingNumber}/advance`, { to });
    },
    /** Pays, waits for the waybill, delivers it at the courier and waits until shipping saw it. */
    async delivered(overrides: Partial<OrderPaidPayload> = {}) {
      const order = harness.paidOrder(overrides);
      await harness.publishPaid(order);
      const trackingNumber = await harness.waybillOf(order);
      await harness.advance(trackingNumber, 'DELIVERED');
      await harness.awaitEvent('shipment.delivered', order.orderId);
      return { order, trackingNumber };
    },
  };
  return harness;
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;
