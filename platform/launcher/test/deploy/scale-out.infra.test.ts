import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topology } from '@sagamart/contracts';
import {
  asUser,
  buyPoints,
  eventually,
  infra,
  jsonClient,
  metricValue,
  pgServerUrl,
  scrapeMetrics,
  TEST_DEPLOYMENT_SECRET,
  uniqueName,
} from '@sagamart/testkit';
import { JsonSocket } from '@sagamart/testkit/json-socket';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectInvariants } from '../../../../services/order-service/test/support/invariants.ts';
import { type Platform, startPlatform } from '../../src/index.ts';

// Scale-out on real infrastructure: two processes each of the gateway, order-, catalog-, notification-
// and chat-service (every service in its own process) on the real PostgreSQL, RabbitMQ and Redis. Orders
// flow through both gateways while the first instance of each doubled service is killed (SIGKILL) and
// started again; afterwards the order saga's invariants hold, no order is lost or doubled, notification
// sockets on a killed instance resume through the gateway without a gap, and rate limits and the
// catalog's detail cache are shared through Redis.

const DOUBLED = ['gateway', 'order-service', 'catalog-service', 'notification-service', 'chat-service'];
const SERVICES = [
  'config-server',
  'discovery-server',
  'auth-service',
  'user-service',
  'product-service',
  'promotion-service',
  'mock-pg',
  'payment-service',
  ...DOUBLED,
];
const OFFSET = Number(process.env.SAGAMART_PLATFORM_TEST_PORT_OFFSET ?? 20_000);
const SHOPPERS = 6;
/** Orders each shopper places at least; it goes on until orders have settled after the restart. */
const ORDERS_PER_SHOPPER = 4;
/** How long the workload may go on waiting for the restart (then the test fails). */
const WORKLOAD_MS = 150_000;
const PRICE = 10_000;

// biome-ignore lint/suspicious/noExplicitAny: bodies are read field by field
type Json = any;
interface Shopper {
  userId: string;
  bearer: Record<string, string>;
  couponId: number;
}

describe.runIf(infra.enabled && infra.available('rabbitmq') && infra.available('redis'))(
  'scale-out: two instances of the gateway, order, catalog, notification and chat on real infrastructure',
  () => {
    const suffix = uniqueName('so').slice(3);
    let platform: Platform;
    let dataDir: string;
    const sockets: ResumingSocket[] = [];
    const serviceErrors: string[] = [];
    let failed = false;

    const instances = (name: string) => platform.services().filter((s) => s.name === name);
    const url = (name: string, instance = 0) => instances(name).find((s) => s.instance === instance)!.url!;
    const gateways = () => instances('gateway').map((s) => s.url!);
    let turn = 0;
    /** The next gateway, alternating: every client call goes through both. */
    const gateway = () => gateways()[turn++ % 2]!;
    const admin = asUser(randomUUID(), 'ADMIN', 'scale-out-admin@sagamart.test');

    /** A call through the gateways, retried (on the other one) while no gateway or upstream answers. */
    const throughGateway = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
      eventually(
        async () => {
          const res = await fetch(`${gateway()}${path}`, {
            method,
            headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
            signal: AbortSignal.timeout(10_000),
          }).catch(() => undefined);
          if (!res || res.status >= 500) return undefined;
          const text = await res.text();
          return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Json };
        },
        60_000,
        200,
      );

    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'sagamart-scale-out-'));
      const database = (service: string) => `t_so_${service.replaceAll('-', '_')}_${suffix}`;
      platform = await startPlatform({
        dataDir,
        quiet: true,
        // Errors the kills cause (a gateway's refused upstream) are expected; shown only for a failed run.
        log: (line) => serviceErrors.push(line),
        only: SERVICES,
        instances: Object.fromEntries(DOUBLED.map((name) => [name, 2])),
        portOffset: OFFSET,
        env: {
          DATABASE_URL: pgServerUrl(),
          AMQP_URL: infra.amqpUrl,
          REDIS_URL: infra.redisUrl,
          SAGAMART_DEPLOYMENT_SECRET: TEST_DEPLOYMENT_SECRET,
          // The platform's queues and exchanges go when the file ends.
          AMQP_PREFIX: infra.amqp(topology).prefix,
          GATEWAY_RATELIMITKEYPREFIX: `t:${suffix}:rate:`,
          CATALOG_CACHE_REDISPREFIX: `t:${suffix}:catalog:`,
          CHAT_RATELIMIT_KEYPREFIX: `t:${suffix}:chat:rate:`,
          CHAT_PRESENCE_KEYPREFIX: `t:${suffix}:chat:presence:`,
          LOG_LEVEL: 'warn',
          // 15 services with databases stay well within the shared server's 100 connections.
          DATABASE_POOLSIZE: '4',
          // A killed instance leaves the registry within seconds, not the production 15.
          DISCOVERY_LEASEMS: '3000',
          DISCOVERY_HEARTBEATMS: '1000',
          DISCOVERY_FETCHMS: '1000',
          REGISTRY_EVICTIONINTERVALMS: '250',
          GATEWAY_BREAKER_HALFOPENAFTERMS: '1000',
          BOOTSTRAP_AGENT_ENABLED: 'false',
        },
        serviceEnv: (service) => ({
          // Each service its own database on the shared server, as in production.
          DATABASE_NAME: database(service),
          ...(service === 'order-service'
            ? {
                // A saga its instance was killed in is taken over once its lease lapses.
                ORDERS_SAGA_LEASEMS: '4000',
                ORDERS_SAGA_POLLMS: '200',
                ORDERS_SAGA_RETRYBASEMS: '100',
                ORDERS_SAGA_RETRYMAXMS: '2000',
                // No shipping-service here: a paid order is cancelled without asking it.
                ORDERS_CANCEL_ASKSHIPPING: 'false',
              }
            : {}),
          ...(service === 'payment-service' ? { PAYMENT_RECONCILE_INTERVALMS: '500' } : {}),
          // Cheap password hashes: sign-ups on two busy cores stay within user-service's call deadline.
          ...(service === 'auth-service' ? { AUTH_PASSWORD_SCRYPT_LOGN: '10' } : {}),
        }),
      });
    }, 240_000);

    afterEach((context) => {
      if (context.task.result?.state === 'fail') failed = true;
    });

    afterAll(async () => {
      for (const socket of sockets) socket.close();
      await platform?.stop();
      const redis = new Redis(infra.redisUrl);
      const keys = await redis.keys(`t:${suffix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      // The services' logs stay for a failed run.
      if (failed)
        console.log(`${serviceErrors.join('\n')}\nscale-out: service logs in ${join(dataDir, 'logs')}`);
      else if (dataDir) await rm(dataDir, { recursive: true, force: true });
    }, 90_000);

    /** A signed-up shopper with points and a coupon, signed in at auth-service (a bearer for the gateways). */
    async function shopper(): Promise<Shopper> {
      const email = `scale-${randomUUID().slice(0, 8)}@example.test`;
      const password = 'Scale!mart2024';
      const user = jsonClient(url('user-service'));
      const userId = await signUp(email, password);
      await buyPoints({ user, payment: jsonClient(url('payment-service')) }, asUser(userId), 20_000);
      const promotion = jsonClient(url('promotion-service'));
      const day = 86_400_000;
      const coupon = await promotion.post(
        '/api/admin/promotion/coupons',
        {
          code: `SO${randomUUID().replaceAll('-', '').slice(0, 12)}`.toUpperCase(),
          name: '확장 테스트 쿠폰',
          discountType: 'FIXED',
          discountValue: 1_000,
          minOrderAmount: 0,
          maxDiscount: null,
          validFrom: new Date(Date.now() - day).toISOString(),
          validTo: new Date(Date.now() + 30 * day).toISOString(),
          totalIssueLimit: null,
          status: 'ACTIVE',
        },
        admin,
      );
      expect(coupon.status, JSON.stringify(coupon.body)).toBe(201);
      const claimed = await promotion.post(
        '/api/promotion/coupons/claim',
        { couponCode: coupon.body.code },
        asUser(userId),
      );
      expect(claimed.status, JSON.stringify(claimed.body)).toBe(201);
      return {
        userId,
        bearer: await signIn(email, password),
        couponId: claimed.body.couponId,
      };
    }

    /** Signs up at user-service, honouring a 503's Retry-After as a client would. */
    async function signUp(email: string, password: string): Promise<string> {
      const signup = await eventually(
        async () => {
          const res = await jsonClient(url('user-service')).post('/api/users/signup', {
            email,
            password,
            passwordConfirm: password,
            name: '김확장',
            phone: '010-2345-6789',
          });
          return res.status === 503 ? undefined : res;
        },
        30_000,
        1_000,
      );
      expect(signup.status, JSON.stringify(signup.body)).toBe(201);
      return signup.body.userId as string;
    }

    async function signIn(email: string, password: string): Promise<Record<string, string>> {
      // auth-service may learn of a new user a moment after user-service answered the signup.
      const res = await eventually(async () => {
        const login = await jsonClient(url('auth-service')).post('/api/auth/login', {
          email,
          password,
          tokenDelivery: 'body',
        });
        return login.status === 200 ? login : undefined;
      });
      return { authorization: `Bearer ${res.body.accessToken}` };
    }

    /** A product on sale with a SKU per entry of stocks; answers its ids and the body it was created with. */
    async function product(stocks: number[], name: string) {
      const products = jsonClient(url('product-service'));
      const category = await products.post(
        '/api/admin/categories',
        { name: `확장 ${randomUUID().slice(0, 8)}` },
        admin,
      );
      expect(category.status, JSON.stringify(category.body)).toBe(201);
      const code = `SO-${randomUUID().slice(0, 8)}`;
      const sizes = stocks.map((_, i) => `S${i + 1}`);
      const body = {
        name,
        code,
        description: '<p>확장 테스트</p>',
        basePrice: PRICE,
        salePrice: PRICE,
        status: 'ACTIVE',
        displayed: true,
        categoryIds: [category.body.id],
        optionGroups: [{ name: '사이즈', values: sizes }],
        skus: sizes.map((size, i) => ({
          skuCode: `${code}-${size}`,
          options: { 사이즈: size },
          price: PRICE,
          status: 'ACTIVE',
          initialStock: stocks[i],
        })),
        imageIds: [],
      };
      const created = await products.post('/api/admin/products', body, admin);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return {
        body,
        productId: created.body.id as number,
        skuIds: (created.body.skus as Array<{ id: number }>).map((s) => s.id),
      };
    }

    const delivery = {
      receiverName: '김확장',
      receiverPhone: '010-2345-6789',
      zipcode: '06236',
      address: '서울특별시 강남구 테헤란로 123',
    };
    const placedKeys = new Map<string, string>(); // idempotency key → order id

    /** Places an order through the gateways; a request cut off by a kill is retried with its key. */
    async function place(s: Shopper, body: Json): Promise<{ orderId: string; orderNumber: string }> {
      const key = randomUUID();
      const res = await throughGateway('POST', '/api/orders', { ...s.bearer, 'idempotency-key': key }, body);
      expect([201, 202], JSON.stringify(res.body)).toContain(res.status);
      placedKeys.set(key, res.body.orderId);
      return res.body;
    }

    const orderStatus = async (s: Shopper, orderId: string, wanted: (status: string) => boolean) =>
      eventually(
        async () => {
          const res = await throughGateway('GET', `/api/orders/${orderId}`, s.bearer);
          return wanted(res.body.status) ? (res.body as Json) : undefined;
        },
        60_000,
        200,
      );

    const pay = (orderNumber: string, card: 'approve' | 'decline') =>
      eventually(
        async () => {
          const res = await jsonClient(url('payment-service'))
            .post('/internal/payments/auto-pay', { orderNumber, card })
            .catch(() => undefined);
          return res && res.status < 500 ? res : undefined;
        },
        60_000,
        200,
      );

    /** One order of a shopper's workload: paid, declined, or paid and then cancelled by its owner. */
    async function oneOrder(s: Shopper, skuId: number, n: number): Promise<string> {
      const kind = (['paid', 'declined', 'paid', 'regretted'] as const)[n % 4]!;
      const placed = await place(s, {
        items: [{ skuId, quantity: 1 + (n % 2) }],
        delivery,
        ...(n === 0 ? { couponId: s.couponId } : {}),
        ...(n % 3 === 1 ? { pointsToUse: 500 } : {}),
      });
      const open = await orderStatus(s, placed.orderId, (status) => status !== 'PENDING');
      if (open.status !== 'PAYMENT_PENDING') return open.status;
      await pay(placed.orderNumber, kind === 'declined' ? 'decline' : 'approve');
      if (kind === 'declined') return (await orderStatus(s, placed.orderId, (x) => x === 'CANCELLED')).status;
      await orderStatus(s, placed.orderId, (x) => x === 'PAID');
      if (kind === 'paid') return 'PAID';
      const cancel = await throughGateway('POST', `/api/orders/${placed.orderId}/cancel`, s.bearer, {});
      // A cancel retried after a kill cut off its answer is a no-op: 200 again.
      expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
      return (await orderStatus(s, placed.orderId, (x) => x === 'CANCELLED')).status;
    }

    /** Kills the first instance of every doubled service by its PID, then starts each again. */
    async function killAndRestartFirstInstances(): Promise<void> {
      await Promise.all(
        DOUBLED.map(async (name) => {
          const running = platform.process(name, 0)!;
          process.kill(running.child.pid!, 'SIGKILL');
          await running.exited;
        }),
      );
      await Promise.all(DOUBLED.map((name) => platform.restart(name, 0)));
    }

    it('keeps the order invariants while one instance of each is killed and restarted mid-run', {
      timeout: 300_000,
    }, async () => {
      const { productId, skuIds } = await product([400, 4], '확장 테스트 상품');
      const [roomy, scarce] = [skuIds[0]!, skuIds[1]!];
      const shoppers: Shopper[] = [];
      for (let i = 0; i < SHOPPERS; i++) shoppers.push(await shopper());

      // Every shopper's notification socket, and a help-desk conversation with its chat socket, through
      // the gateways (alternating), each resuming on a drop.
      const notificationSockets = shoppers.map(
        (s) => new ResumingSocket(notificationStream, gateway, s.bearer.authorization!),
      );
      const conversations: string[] = [];
      for (const s of shoppers) {
        const opened = await throughGateway('POST', '/api/chat/conversations', s.bearer, {});
        expect(opened.status, JSON.stringify(opened.body)).toBe(201);
        conversations.push(opened.body.id);
      }
      const chatSockets = shoppers.map(
        (s, i) => new ResumingSocket(chatStream(conversations[i]!), gateway, s.bearer.authorization!),
      );
      sockets.push(...notificationSockets, ...chatSockets);
      await Promise.all(sockets.map((socket) => socket.resumed()));
      const chatSent = shoppers.map(() => 0);
      /** A chat message through a gateway; a send cut off by a kill is resent with its clientMessageId. */
      const say = async (i: number, text: string) => {
        const sent = await throughGateway(
          'POST',
          `/api/chat/conversations/${conversations[i]}/messages`,
          shoppers[i]!.bearer,
          { clientMessageId: randomUUID(), text },
        );
        expect([200, 201], JSON.stringify(sent.body)).toContain(sent.status);
        chatSent[i]!++;
      };
      // Both notification instances hold sockets, so the kill drops some.
      const held = async (instance: number) =>
        metricValue(await scrapeMetrics(url('notification-service', instance)), 'notification_sockets') ?? 0;
      await eventually(async () => (await held(0)) > 0 && (await held(1)) > 0, 10_000, 100);

      // The workload: each shopper places its orders one after another, through both gateways.
      let settled = 0;
      let restartedAt = Number.POSITIVE_INFINITY;
      let settledAfterRestart = 0;
      // The gateways learn of the restarted order instance through discovery: orders go on until it served one.
      let restartedOrderServed = false;
      const outcomes: string[] = [];
      const workloadEnds = Date.now() + WORKLOAD_MS;
      const workload = Promise.all(
        shoppers.map(async (s, i) => {
          const enough = (n: number) =>
            n >= ORDERS_PER_SHOPPER && settledAfterRestart >= SHOPPERS && restartedOrderServed;
          for (let n = 0; !enough(n) && Date.now() < workloadEnds; n++) {
            outcomes.push(await oneOrder(s, roomy, n));
            await say(i, `주문 ${n + 1}번 문의드려요`);
            settled++;
            if (Date.now() > restartedAt) settledAfterRestart++;
          }
        }),
      );

      // Mid-run: the kill, with a race for the scarce SKU's last units in flight.
      await eventually(() => settled >= SHOPPERS, 120_000, 50);
      const racing = Promise.all(
        shoppers.flatMap((s) => [
          place(s, { items: [{ skuId: scarce, quantity: 1 }], delivery }),
          place(s, { items: [{ skuId: scarce, quantity: 1 }], delivery }),
        ]),
      );
      await killAndRestartFirstInstances();
      restartedAt = Date.now();
      const ordersTaken = async (instance: number) =>
        sampleSum(await scrapeMetrics(url('order-service', instance)), 'http_server_requests_seconds_count', {
          method: 'POST',
          route: '/api/orders',
        });
      while (!restartedOrderServed && Date.now() < workloadEnds) {
        restartedOrderServed = (await ordersTaken(0).catch(() => 0)) > 0;
        if (!restartedOrderServed) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      await workload;
      const raced = await Promise.all(
        (await racing).map((o, i) =>
          orderStatus(shoppers[Math.floor(i / 2)]!, o.orderId, (status) => status !== 'PENDING'),
        ),
      );

      // Orders continued after the restart, and every one of them settled.
      expect(settledAfterRestart).toBeGreaterThanOrEqual(SHOPPERS);
      expect(outcomes).toHaveLength(settled);
      expect(outcomes.filter((o) => o === 'PAID').length).toBeGreaterThan(0);
      // The scarce SKU sold exactly its stock: no unit lost or sold twice across instances.
      expect(raced.filter((o) => o.status === 'PAYMENT_PENDING')).toHaveLength(4);
      expect(
        raced.filter((o) => o.status !== 'PAYMENT_PENDING').every((o) => o.cancelReason === 'OUT_OF_STOCK'),
      ).toBe(true);

      // One order per idempotency key: a retry through the other gateway or instance never doubled one.
      const orderUrl = url('order-service', 1);
      const all: Json[] = [];
      for (let page = 0; ; page++) {
        const body = (await jsonClient(orderUrl).get(`/api/admin/orders?size=100&page=${page}`, admin)).body;
        all.push(...body.content);
        if (body.last) break;
      }
      expect(all).toHaveLength(placedKeys.size);
      expect(new Set(placedKeys.values()).size).toBe(placedKeys.size);

      await expectInvariants(
        {
          product: url('product-service'),
          user: url('user-service'),
          promotion: url('promotion-service'),
          payment: url('payment-service'),
          order: orderUrl,
        },
        { productIds: [productId], userIds: shoppers.map((s) => s.userId) },
        60_000,
      );

      // Both order instances took orders, the restarted one too (its counters began at the restart).
      for (const instance of [0, 1]) expect(await ordersTaken(instance)).toBeGreaterThan(0);

      // Notifications: sockets dropped by the kill reconnected through the gateway and caught up,
      // each holding its user's whole history once, in seq order, as the REST list has it.
      expect(notificationSockets.reduce((sum, s) => sum + s.reconnects, 0)).toBeGreaterThan(0);
      const notifications = jsonClient(url('notification-service', 1));
      for (const [i, s] of shoppers.entries()) {
        const socket = notificationSockets[i]!;
        const newest = await eventually(
          async () => {
            const page = await notifications.get('/api/notifications?size=100', asUser(s.userId));
            const seq = (page.body.content as Json[])[0]?.seq as number | undefined;
            return seq !== undefined && socket.lastSeq === seq ? page.body.content : undefined;
          },
          30_000,
          100,
        );
        expect(socket.seqs).toEqual(Array.from({ length: newest.length }, (_, k) => k + 1));
        const paidOrders = all.filter((o) => o.userId === s.userId && o.status === 'PAID');
        for (const o of paidOrders)
          expect(
            socket.frames.filter((f) => f.kind === 'ORDER_PAID' && f.orderId === o.orderId),
          ).toHaveLength(1);
      }

      // Chat: each conversation's socket resumed after its drop and holds every message once, in seq
      // order; a resend after a kill never stored a message twice.
      expect(chatSockets.reduce((sum, s) => sum + s.reconnects, 0)).toBeGreaterThan(0);
      for (const [i, socket] of chatSockets.entries()) {
        await eventually(() => socket.lastSeq >= chatSent[i]!, 30_000, 100);
        expect(socket.seqs).toEqual(Array.from({ length: chatSent[i]! }, (_, k) => k + 1));
      }
    });

    it('shares the catalog detail cache in Redis: one instance fills it, the other reads it, both see an invalidation', async () => {
      const { productId, body } = await product([5], '레디스 공유 상품');
      const [first, second] = [jsonClient(url('catalog-service', 0)), jsonClient(url('catalog-service', 1))];
      const lookups = async (instance: number, result: 'hit' | 'miss') =>
        metricValue(await scrapeMetrics(url('catalog-service', instance)), 'catalog_detail_cache_total', {
          result,
        }) ?? 0;
      const detail = (client: typeof first) => client.get(`/api/catalog/products/${productId}`);
      // The first instance loads the projected product and puts it in Redis (after the delayed
      // re-deletes of the product's creation have run, so the entry stays).
      await eventually(async () => (await detail(first)).status === 200, 30_000, 100);
      const pendingRedeletes = async (instance: number) =>
        metricValue(
          await scrapeMetrics(url('catalog-service', instance)),
          'catalog_detail_cache_redeletes_pending',
        ) ?? 0;
      await eventually(
        async () => (await pendingRedeletes(0)) + (await pendingRedeletes(1)) === 0,
        10_000,
        50,
      );
      expect((await detail(first)).status).toBe(200);
      const hitsBefore = await lookups(1, 'hit');
      const missesBefore = await lookups(1, 'miss');
      expect((await detail(second)).body.name).toBe('레디스 공유 상품');
      // The second instance never loaded it: its answer came from the shared cache.
      expect(await lookups(1, 'hit')).toBe(hitsBefore + 1);
      expect(await lookups(1, 'miss')).toBe(missesBefore);

      // An update's invalidation, consumed by one instance, reaches both.
      const updated = await jsonClient(url('product-service')).put(
        `/api/admin/products/${productId}`,
        { ...body, name: '레디스 공유 상품 2' },
        admin,
      );
      expect(updated.status, JSON.stringify(updated.body)).toBe(200);
      for (const client of [first, second])
        await eventually(async () => (await detail(client)).body.name === '레디스 공유 상품 2', 30_000, 100);
    });

    it('counts each caller’s rate limit across both gateways in Redis', async () => {
      // The login class (config/gateway.yml: 10 at once, one more every 5 s), keyed by the caller's
      // address: alternating gateways, the platform lets 10 through, not 10 per gateway. Correct
      // passwords, so auth-service's own throttle of failed logins stays out of it.
      const email = `limit-${suffix}@example.test`;
      const password = 'Limit!mart2024';
      await signUp(email, password);
      await signIn(email, password);
      const s = { email, password };
      const answers: number[] = [];
      const started = Date.now();
      for (let i = 0; i < 20; i++) {
        const res = await fetch(`${gateways()[i % 2]}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...s, tokenDelivery: 'body' }),
        });
        await res.arrayBuffer();
        answers.push(res.status);
      }
      const refilled = Math.ceil(((Date.now() - started) / 1000) * 0.2);
      const refused = answers.filter((status) => status === 429).length;
      expect(answers.filter((status) => status === 200).length).toBe(20 - refused);
      expect(20 - refused).toBeLessThanOrEqual(10 + refilled);
      // Both gateways refused some: each counted the other's requests.
      expect(answers.filter((status, i) => status === 429 && i % 2 === 0).length).toBeGreaterThan(0);
      expect(answers.filter((status, i) => status === 429 && i % 2 === 1).length).toBeGreaterThan(0);
    });
  },
);

/** The sum of a Prometheus sample over every series whose labels include the given ones. */
function sampleSum(exposition: string, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
      sum += Number(line.split(' ').at(-1));
  }
  return sum;
}

interface LiveFrame {
  type: string;
  seq?: number;
  kind?: string;
  orderId?: string;
  conversationId?: string;
}

/** What a resuming client follows on its socket: where it connects, how it resumes, what it keeps. */
interface LiveStream {
  path: string;
  /** The resume frame: everything after `since`, the highest seq the client holds. */
  resume(since: number): object;
  /** The frames of the stream (notifications, a conversation's messages), numbered by seq. */
  keeps(frame: LiveFrame): boolean;
}

const notificationStream: LiveStream = {
  path: '/ws/notifications',
  resume: (since) => ({ type: 'resume', since }),
  keeps: (frame) => frame.type === 'notification',
};

const chatStream = (conversationId: string): LiveStream => ({
  path: '/ws/chat',
  resume: (since) => ({ type: 'resume', conversationId, since }),
  keeps: (frame) => frame.type === 'message' && frame.conversationId === conversationId,
});

/**
 * A client as the web app runs one: it resumes from the highest seq it holds, and when its socket
 * drops (its gateway or the service instance behind it killed) it connects again through a gateway.
 */
class ResumingSocket {
  readonly frames: LiveFrame[] = [];
  reconnects = 0;
  private closed = false;
  private socket: JsonSocket<LiveFrame> | undefined;
  private readonly resumedOnce: Promise<void>;

  constructor(
    private readonly stream: LiveStream,
    private readonly gateway: () => string,
    private readonly authorization: string,
  ) {
    this.resumedOnce = this.connect();
  }

  get seqs(): number[] {
    return this.frames.map((f) => f.seq!);
  }

  get lastSeq(): number {
    return this.frames.at(-1)?.seq ?? 0;
  }

  resumed(): Promise<void> {
    return this.resumedOnce;
  }

  private async connect(): Promise<void> {
    const token = this.authorization.replace(/^Bearer /, '');
    const socket = await eventually(
      async () => {
        const ws = new JsonSocket<LiveFrame>(
          `${this.gateway().replace(/^http/, 'ws')}${this.stream.path}?access_token=${token}`,
        );
        ws.socket.on('message', (data) => {
          const frame = JSON.parse(data.toString()) as LiveFrame;
          if (this.stream.keeps(frame)) this.frames.push(frame);
        });
        return ws.opened.then(
          () => ws,
          () => undefined,
        );
      },
      60_000,
      200,
    );
    this.socket = socket;
    const resumed = new Promise<void>((resolve) =>
      socket.socket.on('message', (data) => {
        if ((JSON.parse(data.toString()) as LiveFrame).type === 'resumed') resolve();
      }),
    );
    socket.socket.send(JSON.stringify(this.stream.resume(this.lastSeq)));
    void socket.closed.then(() => {
      if (this.closed) return;
      this.reconnects++;
      void this.connect();
    });
    await resumed;
  }

  close(): void {
    this.closed = true;
    this.socket?.close();
  }
}
