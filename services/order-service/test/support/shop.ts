import { randomUUID } from 'node:crypto';
import type { EventContract, EventPayload } from '@sagamart/contracts';
import {
  type ConfigTree,
  defineService,
  mergeConfig,
  type Service,
  type ServiceFactory,
} from '@sagamart/kit';
import {
  asService,
  buyPoints,
  defineEventRecorder,
  jsonClient,
  type SeenEvent,
  asUser as signedIn,
  startTestService,
  uniqueName,
} from '@sagamart/testkit';
import authService from '../../../auth-service/src/index.ts';
import mockCourier from '../../../mock-courier/src/index.ts';
import mockPg from '../../../mock-pg/src/index.ts';
import paymentService from '../../../payment-service/src/index.ts';
import productService from '../../../product-service/src/index.ts';
import promotionService from '../../../promotion-service/src/index.ts';
import shippingService from '../../../shipping-service/src/index.ts';
import userService from '../../../user-service/src/index.ts';
import orderService from '../../src/index.ts';
import type { ShopUrls } from './invariants.ts';
import { HoldingProxy } from './proxy.ts';
import { TestRegistry } from './registry.ts';

// biome-ignore lint/suspicious/noExplicitAny: test bodies are asserted field by field
export type Json = any;
export interface Reply {
  status: number;
  headers: Headers;
  body: Json;
}

export const ADMIN = signedIn(randomUUID(), 'ADMIN', 'admin@sagamart.test');
export const asUser = (userId: string) => signedIn(userId);

export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const PARTICIPANTS = {
  'auth-service': authService,
  'user-service': userService,
  'product-service': productService,
  'promotion-service': promotionService,
  'mock-pg': mockPg,
  'payment-service': paymentService,
  'order-service': orderService,
} as const;
/** The after-sale services (issue 10), in the shop when `afterSale` is set. */
const AFTER_SALE = {
  'mock-courier': mockCourier,
  'shipping-service': shippingService,
} as const;
export type ShopService = keyof typeof PARTICIPANTS | keyof typeof AFTER_SALE;

export interface ShopOptions {
  /** order-service's `orders.*` settings (merged over the test defaults below). */
  orders?: ConfigTree;
  /** Put a holding proxy in front of these services (callers reach them through it). */
  proxied?: Array<'product-service' | 'promotion-service' | 'user-service' | 'mock-courier'>;
  /** Transport settings shared by every service, e.g. `{ amqp: { url } }` for RabbitMQ. */
  transport?: ConfigTree;
  /** Any other settings for every service (merged last). */
  shared?: ConfigTree;
  /**
   * Also run the mock courier and shipping-service (waybills issued at once, tracking polled every
   * 100 ms); `true` for the test defaults, or settings merged over them.
   */
  afterSale?: boolean | { courier?: ConfigTree; shipping?: ConfigTree };
}

/**
 * The whole order flow on one fresh bus: auth, user, product, promotion, mock PG, payment and
 * order-service, the real services, found through a test registry (so any of them can be stopped
 * and started again on its database at a new address, or reached through a holding proxy).
 */
export async function startShop(options: ShopOptions = {}) {
  const registry = new TestRegistry();
  const afterSale = options.afterSale ? (options.afterSale === true ? {} : options.afterSale) : undefined;
  const factories: Partial<Record<ShopService, ServiceFactory<unknown>>> = {
    ...PARTICIPANTS,
    ...(afterSale ? AFTER_SALE : {}),
  } as Record<ShopService, ServiceFactory<unknown>>;
  const names = Object.keys(factories) as ShopService[];
  const shared: ConfigTree = {
    ...options.transport,
    bus: { database: uniqueName('t_bus'), pollMs: 100 },
    events: { maxAttempts: 8, baseDelayMs: 20, maxDelayMs: 300, concurrency: 8 },
    ...options.shared,
  };
  const configs: Record<ShopService, ConfigTree> = {
    'auth-service': { auth: { password: { scrypt: { logN: 10, r: 8, p: 1 } } } },
    'user-service': { bootstrap: { admin: { enabled: false } } },
    'product-service': { product: { seed: { enabled: false } } },
    'promotion-service': {},
    'mock-pg': { mockPg: { slowConfirmMs: 1_500 } },
    'payment-service': {
      payment: {
        pg: { timeoutMs: 1_000 },
        orderWaitMs: 3_000,
        reconcile: { intervalMs: 100, retryBaseMs: 100, retryMaxMs: 400 },
      },
    },
    'order-service': mergeConfig(
      {
        orders: {
          placeWaitMs: 3_000,
          // Without shipping-service a paid order is cancelled without asking it.
          cancel: { askShipping: Boolean(afterSale) },
          stuckAfterSeconds: 60,
          // The recovery worker never wakes on its idle timer within a test: every saga that goes on
          // does so because something woke it or a due time it knew of came.
          saga: {
            pollMs: 100,
            idlePollMs: 3_600_000,
            retryBaseMs: 50,
            retryMaxMs: 400,
            callTimeoutMs: 2_000,
            leaseMs: 5_000,
          },
        },
        retention: { intervalMs: 200 },
      },
      { orders: options.orders ?? {} },
    ),
    'mock-courier': mergeConfig({ mockCourier: { stepMs: 100 } }, afterSale?.courier ?? {}),
    'shipping-service': mergeConfig(
      {
        http: { client: { timeoutMs: 2_000, breaker: { minimumNumberOfCalls: 5, halfOpenAfterMs: 300 } } },
        shipping: {
          courier: { timeoutMs: 1_000 },
          autoDispatchDelayMs: 0,
          dispatch: { intervalMs: 100 },
          tracking: { pollIntervalMs: 100, tickMs: 50, retryBaseMs: 100, retryMaxMs: 400, leaseMs: 3_000 },
          autoConfirm: { intervalMs: 200 },
        },
      },
      afterSale?.shipping ?? {},
    ),
  };
  const databases = Object.fromEntries(names.map((name) => [name, uniqueName('t_shop')])) as Record<
    ShopService,
    string
  >;
  const running = new Map<ShopService, Service<unknown>>();
  const proxies = new Map<string, HoldingProxy>();

  const start = async (name: ShopService) => {
    const service = await startTestService(factories[name]!, {
      discovery: registry.forService(),
      config: mergeConfig(mergeConfig(shared, { database: { name: databases[name] } }), configs[name]),
    });
    running.set(name, service);
    return service;
  };

  try {
    for (const name of options.proxied ?? []) {
      const proxy = await HoldingProxy.start(() => registry.urlOf(name));
      proxies.set(name, proxy);
      registry.route(name, proxy.url);
    }
    for (const name of names) await start(name);
  } catch (error) {
    await Promise.allSettled([...running.values()].map((s) => s.stop()));
    throw error;
  }

  const url = (name: ShopService) => {
    const service = running.get(name);
    if (!service) throw new Error(`${name} is not running`);
    return service.url;
  };
  const api = (name: ShopService) => ({
    get: (path: string, headers: Record<string, string> = ADMIN) =>
      call(url(name), 'GET', path, undefined, headers),
    post: (path: string, body: unknown = {}, headers: Record<string, string> = ADMIN) =>
      call(url(name), 'POST', path, body, headers),
    put: (path: string, body: unknown = {}, headers: Record<string, string> = ADMIN) =>
      call(url(name), 'PUT', path, body, headers),
  });

  let categoryId: number | undefined;
  let publisher: Service<unknown> | undefined;
  const recorders: Service<unknown>[] = [];
  let products = 0;

  const shop = {
    registry,
    api,
    proxy(name: 'product-service' | 'promotion-service' | 'user-service' | 'mock-courier'): HoldingProxy {
      const proxy = proxies.get(name);
      if (!proxy) throw new Error(`${name} has no proxy in this shop`);
      return proxy;
    },
    service(name: ShopService): Service<unknown> {
      const service = running.get(name);
      if (!service) throw new Error(`${name} is not running`);
      return service;
    },
    urls(): ShopUrls {
      return {
        product: url('product-service'),
        user: url('user-service'),
        promotion: url('promotion-service'),
        payment: url('payment-service'),
        order: url('order-service'),
        ...(afterSale
          ? { shipping: url('shipping-service'), courier: url('mock-courier'), pg: url('mock-pg') }
          : {}),
      };
    },
    /** Stops a service; its database stays. */
    async stop(name: ShopService) {
      const service = running.get(name);
      running.delete(name);
      await service?.stop();
    },
    /** Starts a service again on its database (a new instance at a new address). */
    start,
    /** Starts it again unless it runs (cleanup after a test that stopped it). */
    async ensureRunning(name: ShopService) {
      if (!running.has(name)) await start(name);
    },
    async restart(name: ShopService) {
      await shop.stop(name);
      return start(name);
    },
    async close() {
      const order: ShopService[] = [
        'shipping-service',
        'mock-courier',
        'order-service',
        'payment-service',
        'mock-pg',
        'promotion-service',
        'product-service',
        'user-service',
        'auth-service',
      ];
      await publisher?.stop();
      for (const recorder of recorders) await recorder.stop();
      for (const name of order) await running.get(name)?.stop();
      running.clear();
      await Promise.all([...proxies.values()].map((p) => p.close()));
    },

    /**
     * Publishes an event on the shop's bus as a service not in the shop would (shipping-service's
     * events, say); the same `messageId` twice is a redelivery of one event.
     */
    async publish<C extends EventContract>(contract: C, payload: EventPayload<C>, messageId?: string) {
      publisher ??= await startTestService(eventProbe, { config: shared });
      const ctx = publisher.context;
      await ctx.transaction((trx) => ctx.publish(trx, contract, payload, messageId ? { messageId } : {}));
    },

    /**
     * A stand-in consumer that records every event of `topics` published from now on, in arrival
     * order (what a test re-publishes as duplicate deliveries).
     */
    async recorder(topics: readonly string[]) {
      const name = uniqueName('shop-recorder').replaceAll('_', '-');
      const service = await startTestService(defineEventRecorder(name, topics), {
        topology: { [name]: [...topics] },
        config: mergeConfig(shared, { database: { name: uniqueName('t_shop') } }),
      });
      recorders.push(service);
      return {
        events: async (): Promise<SeenEvent[]> =>
          (await jsonClient(service, { anonymous: true }).get('/events')).body,
      };
    },

    /** A signed-up user (김구매) with this many points; answers the identity headers, the id and the e-mail. */
    async shopper(points = 0) {
      const email = `buyer-${randomUUID().slice(0, 8)}@example.test`;
      const signup = await api('user-service').post(
        '/api/users/signup',
        {
          email,
          password: 'Secret12!',
          passwordConfirm: 'Secret12!',
          name: '김구매',
          phone: '010-1234-5678',
        },
        {},
      );
      if (signup.status !== 201) throw new Error(`signup: ${signup.status} ${JSON.stringify(signup.body)}`);
      const userId = signup.body.userId as string;
      if (points > 0) {
        await buyPoints(
          { user: jsonClient(url('user-service')), payment: jsonClient(url('payment-service')) },
          asUser(userId),
          points,
        );
      }
      return { userId, email, headers: asUser(userId) };
    },

    /** A product on sale with one SKU per entry of `stocks`; answers the product id and SKU ids. */
    async product(stocks: number[] = [10], price = 10_000, inCategory?: number) {
      if (categoryId === undefined) {
        const category = await api('product-service').post('/api/admin/categories', {
          name: `주문 테스트 ${randomUUID().slice(0, 6)}`,
        });
        if (category.status !== 201)
          throw new Error(`category: ${category.status} ${JSON.stringify(category.body)}`);
        categoryId = category.body.id as number;
      }
      const code = `ORD-T-${++products}-${randomUUID().slice(0, 6)}`;
      const sizes = stocks.map((_, i) => `S${i + 1}`);
      const res = await api('product-service').post('/api/admin/products', {
        name: `주문 테스트 상품 ${products}`,
        code,
        description: '<p>테스트</p>',
        basePrice: price,
        salePrice: price,
        status: 'ACTIVE',
        displayed: true,
        categoryIds: [inCategory ?? categoryId],
        optionGroups: [{ name: '사이즈', values: sizes }],
        skus: sizes.map((size, i) => ({
          skuCode: `${code}-${size}`,
          options: { 사이즈: size },
          price,
          status: 'ACTIVE',
          initialStock: stocks[i],
        })),
        imageIds: [],
      });
      if (res.status !== 201) throw new Error(`product: ${res.status} ${JSON.stringify(res.body)}`);
      return {
        productId: res.body.id as number,
        skuIds: (res.body.skus as Array<{ id: number }>).map((s) => s.id),
      };
    },

    async sku(
      productId: number,
      skuId: number,
    ): Promise<{ stock: number; reserved: number; sold: number; held: number; status: string }> {
      const res = await api('product-service').get(`/api/admin/products/${productId}`);
      return res.body.skus.find((s: { id: number }) => s.id === skuId);
    },

    /** A coupon (FIXED amount by default) claimed by the user; answers its couponId. */
    async coupon(user: { headers: Record<string, string> }, overrides: Record<string, unknown> = {}) {
      const day = 86_400_000;
      const created = await api('promotion-service').post('/api/admin/promotion/coupons', {
        code: `T${randomUUID().replaceAll('-', '').slice(0, 12)}`.toUpperCase(),
        name: '주문 테스트 쿠폰',
        discountType: 'FIXED',
        discountValue: 1_000,
        minOrderAmount: 0,
        maxDiscount: null,
        validFrom: new Date(Date.now() - day).toISOString(),
        validTo: new Date(Date.now() + 30 * day).toISOString(),
        totalIssueLimit: null,
        status: 'ACTIVE',
        ...overrides,
      });
      if (created.status !== 201)
        throw new Error(`coupon: ${created.status} ${JSON.stringify(created.body)}`);
      const claimed = await api('promotion-service').post(
        '/api/promotion/coupons/claim',
        { couponCode: created.body.code },
        user.headers,
      );
      if (claimed.status !== 201) throw new Error(`claim: ${claimed.status} ${JSON.stringify(claimed.body)}`);
      return claimed.body.couponId as number;
    },

    /** The user's coupon with this id, as the shopper sees it. */
    async myCoupon(user: { headers: Record<string, string> }, couponId: number) {
      const res = await api('promotion-service').get('/api/promotion/coupons?size=100', user.headers);
      return (res.body.content as Array<{ couponId: number; status: string; orderId: string | null }>).find(
        (c) => c.couponId === couponId,
      )!;
    },

    async points(user: {
      headers: Record<string, string>;
    }): Promise<{ balance: number; ledger: Array<{ type: string; amount: number }> }> {
      const res = await api('user-service').get('/api/users/me/points?size=100', user.headers);
      return { balance: res.body.balance, ledger: res.body.ledger.content };
    },

    /** user-service's points reservation of an order (RESERVED, COMMITTED or RELEASED), as the saga sees it. */
    async pointsReservation(orderId: string): Promise<Json> {
      const res = await api('user-service').get(`/internal/points/reservations/${orderId}`, asService());
      if (res.status !== 200) throw new Error(`points reservation of ${orderId}: ${res.status}`);
      return res.body;
    },

    /** POST /api/orders with a fresh (or the given) Idempotency-Key. */
    place(user: { headers: Record<string, string> }, body: Json, key: string = randomUUID()) {
      return api('order-service').post('/api/orders', body, { ...user.headers, 'idempotency-key': key });
    },

    order(user: { headers: Record<string, string> }, orderId: string) {
      return api('order-service').get(`/api/orders/${orderId}`, user.headers);
    },

    adminOrder(orderId: string) {
      return api('order-service').get(`/api/admin/orders/${orderId}`);
    },

    /** Pays with a test card through payment-service (the same confirm path as the browser). */
    pay(orderNumber: string, card: 'approve' | 'decline' | 'insufficient' | 'slow' = 'approve') {
      return api('payment-service').post('/internal/payments/auto-pay', { orderNumber, card }, asService());
    },

    /** The stock movements recorded for one order. */
    async movements(productId: number, orderId: string): Promise<StockMovement[]> {
      const res = await api('product-service').get(
        `/api/admin/products/${productId}/stock-movements?size=100`,
      );
      return (res.body.content as StockMovement[]).filter((m) => m.orderId === orderId);
    },
  };
  return shop;
}

export type Shop = Awaited<ReturnType<typeof startShop>>;

/** A movement of the admin's stock history, as the tests read it. */
interface StockMovement {
  skuId: number;
  type: string;
  quantity: number;
  orderId: string | null;
  claimType: string | null;
  orderNumber: string | null;
}

/** Stands in for services outside the shop: publishes their events through its own outbox. */
const eventProbe = defineService({ name: 'event-probe', port: 0, migrations: {} });

export const DELIVERY = {
  receiverName: '김구매',
  receiverPhone: '010-1234-5678',
  zipcode: '06236',
  address: '서울특별시 강남구 테헤란로 123',
  addressDetail: '4층',
  memo: '문 앞에 놓아 주세요',
};
