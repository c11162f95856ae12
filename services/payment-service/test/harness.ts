import { randomUUID } from 'node:crypto';
import {
  topology as declaredTopology,
  OrderCancelled,
  type OrderCancelledPayload,
  OrderPlaced,
  type OrderPlacedPayload,
  PaymentApproved,
  PaymentFailed,
  PaymentRefunded,
} from '@sagamart/contracts';
import type { ConfigTree, Service } from '@sagamart/kit';
import {
  asService,
  defineEventRecorder,
  eventually,
  MovableDiscovery,
  type SeenEvent,
  scrapeMetrics,
  asUser as signedIn,
  startTestService,
  uniqueName,
} from '@sagamart/testkit';
import { Type } from 'typebox';
import mockPg from '../../mock-pg/src/index.ts';
import paymentService from '../src/index.ts';

export const PG_SECRET = 'test_sk_payment_tests';
export const pgAuth = { authorization: `Basic ${Buffer.from(`${PG_SECRET}:`).toString('base64')}` };

const PROBE_TOPICS = [PaymentApproved.name, PaymentFailed.name, PaymentRefunded.name];

/**
 * Plays order-service's part on the bus: publishes order.placed / order.cancelled through a real
 * outbox (so the payloads are checked against the contracts) and records every payment event it
 * receives, the way order-service would.
 */
function defineOrderProbe(name: string) {
  return defineEventRecorder(name, PROBE_TOPICS, (app, ctx) => {
    app.post('/placed', { schema: { body: Type.Unknown() } }, async (req, reply) => {
      await ctx.transaction((trx) => ctx.publish(trx, OrderPlaced, req.body as OrderPlacedPayload));
      return reply.status(202).send({});
    });
    app.post('/cancelled', { schema: { body: Type.Unknown() } }, async (req, reply) => {
      await ctx.transaction((trx) => ctx.publish(trx, OrderCancelled, req.body as OrderCancelledPayload));
      return reply.status(202).send({});
    });
  });
}

export interface HarnessOptions {
  payment?: ConfigTree;
  pg?: ConfigTree;
}

/** mock PG + payment-service + an order-service stand-in, on one fresh bus. */
export async function startHarness(options: HarnessOptions = {}) {
  const probeName = uniqueName('order-probe').replaceAll('_', '-');
  const topology = {
    'payment-service': declaredTopology['payment-service']!,
    [probeName]: PROBE_TOPICS,
  };
  const shared: ConfigTree = {
    bus: { database: uniqueName('t_bus'), pollMs: 200 },
    events: { maxAttempts: 5, baseDelayMs: 20, maxDelayMs: 200, concurrency: 8 },
  };
  const pgDatabase = uniqueName('t_pg');
  const pgConfig: ConfigTree = {
    ...shared,
    database: { name: pgDatabase },
    mockPg: { secretKey: PG_SECRET, slowConfirmMs: 1_500 },
    ...options.pg,
  };
  const discovery = new MovableDiscovery();
  const running: Service<any>[] = [];

  const startPg = async () => {
    const pg = await startTestService(mockPg, { topology, config: pgConfig });
    running.push(pg);
    discovery.set('mock-pg', pg.url);
    return pg;
  };
  let pg = await startPg();
  // One event at a time, in publish order: what barrier() relies on.
  const probe = await startTestService(defineOrderProbe(probeName), {
    topology,
    config: { ...shared, events: { ...(shared.events as ConfigTree), concurrency: 1 } },
  });
  running.push(probe);
  const paymentConfig: ConfigTree = {
    ...shared,
    database: { name: uniqueName('t_pay') },
    http: { client: { maxAttempts: 1, breaker: { minimumNumberOfCalls: 3, halfOpenAfterMs: 300 } } },
    payment: {
      pg: { secretKey: PG_SECRET, timeoutMs: 500 },
      orderWaitMs: 1_500,
      reconcile: { intervalMs: 100, batchSize: 20, retryBaseMs: 100, retryMaxMs: 400 },
      ...((options.payment?.payment as ConfigTree | undefined) ?? {}),
    },
  };
  const startPayment = async () => {
    const service = await startTestService(paymentService, { topology, discovery, config: paymentConfig });
    running.push(service);
    return service;
  };
  let payment = await startPayment();

  const json = async (res: Response) => {
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const call = (
    base: () => string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${base()}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    }).then(json);

  const harness = {
    get payment() {
      return payment;
    },
    discovery,
    get pg() {
      return pg;
    },
    /** Stops the PG (its database stays). */
    async stopPg() {
      await pg.stop();
    },
    /** Starts the PG again on the same database, at a new address. */
    async restartPg() {
      pg = await startPg();
    },
    /** Stops payment-service and starts it again on the same database (a crash and restart). */
    async restartPayment() {
      await payment.stop();
      payment = await startPayment();
    },
    async stop() {
      await Promise.all(
        running
          .splice(0)
          .reverse()
          .map((s) => s.stop()),
      );
    },

    newOrder(overrides: Partial<OrderPlacedPayload> = {}): OrderPlacedPayload {
      const payableAmount = overrides.payableAmount ?? 39_000;
      return {
        orderId: randomUUID(),
        orderNumber: `ORD-20250615-${randomUUID().replaceAll('-', '').slice(0, 8).toUpperCase()}`,
        userId: randomUUID(),
        version: 2,
        subtotal: payableAmount + 1_000,
        discountAmount: 1_000,
        pointsUsed: 0,
        payableAmount,
        orderName: '반팔 티셔츠 외 1건',
        placedAt: new Date().toISOString(),
        ...overrides,
      };
    },
    /** Publishes order.placed and waits until payment-service holds the order. */
    async place(order: OrderPlacedPayload) {
      expect202(await call(() => probe.url, 'POST', '/placed', order));
      await until(async () => (await harness.internalOrder(order.orderNumber)).status === 200);
      return order;
    },
    /** Publishes order.placed without waiting for payment-service to apply it. */
    async publishPlaced(order: OrderPlacedPayload) {
      expect202(await call(() => probe.url, 'POST', '/placed', order));
    },
    /** Publishes order.cancelled and waits until payment-service holds the order as cancelled. */
    async cancelAndWait(order: OrderPlacedPayload, overrides: Partial<OrderCancelledPayload> = {}) {
      const event = await harness.cancel(order, overrides);
      await until(async () => (await harness.internalOrder(order.orderNumber)).body?.orderCancelled === true);
      return event;
    },
    /** How many events of a kind payment-service's consumer has applied (its /metrics). */
    async consumed(event: string): Promise<number> {
      const text = await scrapeMetrics(payment.url);
      const line = text
        .split('\n')
        .find(
          (l) =>
            l.startsWith('events_consumed_total{') &&
            l.includes(`event="${event}"`) &&
            l.includes('result="ok"'),
        );
      return line ? Number(line.split(' ').at(-1)) : 0;
    },
    async cancel(order: OrderPlacedPayload, overrides: Partial<OrderCancelledPayload> = {}) {
      const event: OrderCancelledPayload = {
        orderId: order.orderId,
        orderNumber: order.orderNumber,
        userId: order.userId,
        version: order.version + 1,
        reason: 'USER_CANCELLED',
        payableAmount: order.payableAmount,
        wasPaid: false,
        cancelledAt: new Date().toISOString(),
        ...overrides,
      };
      expect202(await call(() => probe.url, 'POST', '/cancelled', event));
      return event;
    },
    /** The browser at the PG: submits the checkout page with a card and returns the paymentKey. */
    async checkout(
      order: { orderNumber: string; payableAmount: number; orderName?: string },
      card: string,
      amount = order.payableAmount,
    ) {
      const res = await fetch(`${pg.url}/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          orderNumber: order.orderNumber,
          amount: String(amount),
          orderName: order.orderName ?? 'order',
          successUrl: 'http://127.0.0.1:5173/payments/success',
          failUrl: 'http://127.0.0.1:5173/payments/fail',
          card,
          action: 'pay',
        }).toString(),
        redirect: 'manual',
      });
      if (res.status !== 303) throw new Error(`checkout answered ${res.status}`);
      return new URL(res.headers.get('location')!).searchParams.get('paymentKey')!;
    },
    confirm(userId: string | undefined, body: { orderNumber: string; paymentKey: string; amount: number }) {
      return call(() => payment.url, 'POST', '/api/payments/confirm', body, userId ? asUser(userId) : {});
    },
    mine(userId: string, orderNumber: string) {
      return call(() => payment.url, 'GET', `/api/payments/orders/${orderNumber}`, undefined, asUser(userId));
    },
    internalOrder(orderNumber: string) {
      return call(
        () => payment.url,
        'GET',
        `/internal/payments/orders/${orderNumber}`,
        undefined,
        asService(),
      );
    },
    autoPay(orderNumber: string, card?: string) {
      return call(
        () => payment.url,
        'POST',
        '/internal/payments/auto-pay',
        {
          orderNumber,
          ...(card ? { card } : {}),
        },
        asService(),
      );
    },
    adminList(query = '') {
      return call(
        () => payment.url,
        'GET',
        `/api/admin/payments${query}`,
        undefined,
        asUser(randomUUID(), 'ADMIN'),
      );
    },
    pgPayment(paymentKey: string) {
      return call(() => pg.url, 'GET', `/v1/payments/${paymentKey}`, undefined, pgAuth);
    },
    /** Payment events order-service would have received for an order. */
    async events(orderNumber: string): Promise<SeenEvent[]> {
      const all = (await call(() => probe.url, 'GET', '/events')).body as SeenEvent[];
      return all.filter((e) => e.payload.orderNumber === orderNumber);
    },
    async eventsOnceSettled(orderNumber: string, count: number) {
      await until(async () => (await harness.events(orderNumber)).length >= count);
      return harness.events(orderNumber);
    },
    /**
     * Proves a negative without sleeping: settles a fresh payment through the reconciler (a slow card
     * outlasts the confirm's timeout) and waits for its event at the probe. The reconciler runs one
     * pass at a time and the relay and the probe keep publish order, so once the barrier's event is
     * recorded, every reconcile pass and every event published before it has been recorded too.
     */
    async barrier() {
      const order = await harness.place(harness.newOrder());
      const res = await harness.autoPay(order.orderNumber, 'slow');
      if (res.body?.status !== 'PENDING') throw new Error(`barrier payment was ${res.body?.status}`);
      await until(async () => (await harness.events(order.orderNumber)).length > 0, 15_000);
    },
    /** The order's latest payment status once it is not PENDING (or has refunded). */
    async settledPayment(orderNumber: string, status: string) {
      let last: any;
      await until(async () => {
        last = (await harness.internalOrder(orderNumber)).body?.payment;
        return last?.status === status;
      });
      return last;
    },
  };
  return harness;
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

export function asUser(userId: string, role: 'USER' | 'ADMIN' = 'USER') {
  return signedIn(userId, role);
}

function expect202(res: { status: number; body: unknown }) {
  if (res.status !== 202) throw new Error(`probe answered ${res.status}: ${JSON.stringify(res.body)}`);
}

/** Polls until the condition holds (10 s). */
export async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  await eventually(condition, timeoutMs);
}
