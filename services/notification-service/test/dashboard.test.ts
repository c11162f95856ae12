import { randomUUID } from 'node:crypto';
import {
  ChatConversationAssigned,
  ChatConversationOpened,
  ChatConversationResolved,
  ExchangeCollected,
  ExchangeCollecting,
  ProductCreated,
  ProductDeleted,
  type ProductSnapshot,
  ReturnCollecting,
  StockChanged,
  type StockChangedPayload,
} from '@sagamart/contracts';
import type { AdminDashboard } from '@sagamart/contracts/http/dashboard';
import type { Service } from '@sagamart/kit';
import { scrapeMetrics } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationDb } from '../src/index.ts';
import {
  aClaim,
  anOrder,
  aShipment,
  asUser,
  deployment,
  EventProbe,
  events,
  eventsHandled,
  eventually,
  jsonClient,
  startNotifications,
} from './support.ts';

/**
 * The admin dashboard: events published as their owners publish them (through an outbox, onto the
 * bus), and the figures read over HTTP as the admin reads them. Redeliveries under a new message id
 * and late events must not change what the dashboard says.
 */
describe('admin dashboard (notification-service read model)', () => {
  let service: Service<NotificationDb>;
  let probe: EventProbe;
  let api: ReturnType<typeof jsonClient>;
  const admin = asUser(randomUUID(), 'ADMIN');

  beforeAll(async () => {
    const config = deployment({}, { dashboard: { lowStockThreshold: 3 } });
    [service, probe] = await Promise.all([startNotifications(config), EventProbe.start(config)]);
    api = jsonClient(service);
  });
  afterAll(async () => {
    await Promise.all([service?.stop(), probe?.stop()]);
  });

  const read = async (): Promise<AdminDashboard> => {
    const res = await api.get('/api/admin/dashboard', admin);
    expect(res.status).toBe(200);
    return res.body;
  };
  /** Waits until the dashboard says what `check` wants (events land asynchronously). */
  const until = async (check: (d: AdminDashboard) => boolean): Promise<AdminDashboard> => {
    let last: AdminDashboard | undefined;
    await eventually(async () => {
      last = await read();
      return check(last);
    }).catch((error) => {
      throw new Error(`dashboard never matched; last: ${JSON.stringify(last)}`, { cause: error });
    });
    return last!;
  };
  /** Chat events the service has handled (applied or deduplicated by the inbox), by its metrics. */
  const handledChatEvents = async (): Promise<number> =>
    (await scrapeMetrics(service.url))
      .split('\n')
      .filter((line) => line.startsWith('events_consumed_total{') && line.includes('event="chat.'))
      .filter((line) => /result="(ok|duplicate)"/.test(line))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
  const statusCount = (d: AdminDashboard, status: string) =>
    d.ordersByStatus.find((s) => s.status === status)?.count ?? 0;

  it('answers admins only', async () => {
    expect((await api.get('/api/admin/dashboard', asUser())).status).toBe(403);
    expect((await jsonClient(service, { anonymous: true }).get('/api/admin/dashboard')).status).toBe(401);
  });

  it("counts an order's sales once it is paid, once, and takes them back when it is cancelled", async () => {
    const before = await read();
    const order = anOrder();
    await probe.publish(events.OrderPlaced, order.placed());
    await until((d) => statusCount(d, 'PAYMENT_PENDING') === statusCount(before, 'PAYMENT_PENDING') + 1);

    await probe.publish(events.OrderPaid, order.paid());
    // The producer's retry: the same event again under a new message id.
    await probe.publish(events.OrderPaid, order.paid());
    const paid = await until((d) => statusCount(d, 'PAID') === statusCount(before, 'PAID') + 1);
    expect(paid.today.sales).toBe(before.today.sales + 30_000);
    expect(paid.today.orders).toBe(before.today.orders + 1);
    expect(paid.week.sales).toBe(before.week.sales + 30_000);
    expect(paid.week.days).toHaveLength(7);
    expect(paid.week.days.at(-1)).toEqual(paid.today);
    expect(paid.topProducts).toContainEqual({
      productId: 1,
      productName: '티셔츠',
      quantity: 1,
      sales: 30_000,
    });
    expect(statusCount(paid, 'PAYMENT_PENDING')).toBe(statusCount(before, 'PAYMENT_PENDING'));

    // A late order.placed (delivered after order.paid) does not take the order back.
    await probe.publish(events.OrderPlaced, order.placed());
    await probe.publish(events.OrderCancelled, order.cancelled('ADMIN_CANCELLED', true));
    const cancelled = await until(
      (d) => statusCount(d, 'CANCELLED') === statusCount(before, 'CANCELLED') + 1,
    );
    expect(cancelled.today.sales).toBe(before.today.sales);
    expect(statusCount(cancelled, 'PAID')).toBe(statusCount(before, 'PAID'));
    expect(statusCount(cancelled, 'PAYMENT_PENDING')).toBe(statusCount(before, 'PAYMENT_PENDING'));
    expect(cancelled.topProducts.find((p) => p.productId === 1)?.quantity ?? 0).toBe(
      before.topProducts.find((p) => p.productId === 1)?.quantity ?? 0,
    );
  });

  it('moves an order on with its own parcel, not with an exchange parcel', async () => {
    const before = await read();
    const order = anOrder();
    await probe.publish(events.OrderPaid, order.paid());
    await probe.publish(events.ShipmentDispatched, aShipment(order, 'EXCHANGE').dispatched());
    const stillPaid = await until((d) => statusCount(d, 'PAID') === statusCount(before, 'PAID') + 1);
    expect(statusCount(stillPaid, 'SHIPPING')).toBe(statusCount(before, 'SHIPPING'));

    const parcel = aShipment(order);
    await probe.publish(events.ShipmentDelivered, parcel.delivered());
    // Dispatch heard after delivery: the order stays delivered.
    await probe.publish(events.ShipmentDispatched, parcel.dispatched());
    const delivered = await until(
      (d) => statusCount(d, 'DELIVERED') === statusCount(before, 'DELIVERED') + 1,
    );
    expect(statusCount(delivered, 'SHIPPING')).toBe(statusCount(before, 'SHIPPING'));
    expect(statusCount(delivered, 'PAID')).toBe(statusCount(before, 'PAID'));
  });

  it('lists open returns and exchanges until they are completed or rejected', async () => {
    const before = await read();
    const order = anOrder();
    const ret = aClaim(order);
    const exchange = aClaim(order);
    await probe.publish(events.ReturnRequested, ret.returnRequested());
    await probe.publish(events.ExchangeApproved, exchange.approved());
    // Requested after approved (delivery order): the claim stays as approved, still open.
    await probe.publish(events.ExchangeRequested, exchange.exchangeRequested());
    // Both claims count as open from their first event on: wait for the last one to be applied too
    // (the consumer may handle the approval after the request).
    const open = await until(
      (d) =>
        d.openClaims.returns === before.openClaims.returns + 1 &&
        d.openClaims.exchanges === before.openClaims.exchanges + 1 &&
        d.openClaims.recent.some((c) => c.claimId === exchange.claimId && c.status === 'APPROVED'),
    );
    expect(open.openClaims.recent).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ claimId: ret.claimId, kind: 'RETURN', status: 'REQUESTED' }),
        expect.objectContaining({ claimId: exchange.claimId, kind: 'EXCHANGE', status: 'APPROVED' }),
      ]),
    );

    await probe.publish(events.ReturnCompleted, ret.returned(30_000));
    // Rejected after its pickup was approved (the claim's third version).
    await probe.publish(events.ExchangeRejected, {
      ...exchange.rejected('사용 흔적이 있습니다'),
      version: 3,
    });
    const closed = await until(
      (d) =>
        d.openClaims.returns === before.openClaims.returns &&
        d.openClaims.exchanges === before.openClaims.exchanges,
    );
    expect(closed.openClaims.recent.map((c) => c.claimId)).not.toContain(ret.claimId);
    // A whole-order return marks the order returned.
    expect(statusCount(closed, 'RETURNED')).toBe(statusCount(before, 'RETURNED') + 1);
  });

  it('follows a claim to its latest status, with its request date, whatever order its events come in', async () => {
    const claimEvents = [
      events.ReturnRequested,
      events.ReturnApproved,
      ReturnCollecting,
      events.ExchangeRequested,
      events.ExchangeApproved,
      ExchangeCollecting,
      ExchangeCollected,
    ].map((e) => e.name);
    const handledClaimEvents = async () =>
      (await Promise.all(claimEvents.map((name) => eventsHandled(service, name)))).reduce((a, b) => a + b, 0);
    const handledBefore = await handledClaimEvents();
    const before = await read();
    const order = anOrder();
    const ret = aClaim(order);
    const exchange = aClaim(order);
    const pickedUpAt = new Date().toISOString();

    // The approval comes first: the claim is open, but its request date is not known yet.
    await probe.publish(events.ReturnApproved, ret.approved());
    const early = await until((d) => d.openClaims.returns === before.openClaims.returns + 1);
    expect(early.openClaims.recent.map((c) => c.requestedAt)).not.toContain(new Date(0).toISOString());

    // Picked up, then the request arrives: COLLECTING, on the date it was requested.
    const { approvedAt: _returnApproved, ...returnPickup } = ret.approved();
    await probe.publish(ReturnCollecting, { ...returnPickup, version: 3, pickedUpAt });
    await probe.publish(events.ReturnRequested, ret.returnRequested());
    // An exchange's events newest first: its old options back (RESHIPPING), picked up, requested, approved.
    const { approvedAt: _exchangeApproved, ...exchangePickup } = exchange.approved();
    const { pickupTrackingNumber: _tracking, ...exchangeRef } = exchangePickup;
    await probe.publish(ExchangeCollected, {
      ...exchangeRef,
      version: 4,
      items: exchange.exchangeRequested().items,
      collectedAt: pickedUpAt,
    });
    await probe.publish(ExchangeCollecting, { ...exchangePickup, version: 3, pickedUpAt });
    await probe.publish(events.ExchangeRequested, exchange.exchangeRequested());
    await probe.publish(events.ExchangeApproved, exchange.approved());

    // All seven handled: the figures are final.
    await eventually(async () => (await handledClaimEvents()) === handledBefore + 7);
    const after = await read();
    expect(after.openClaims.returns).toBe(before.openClaims.returns + 1);
    expect(after.openClaims.exchanges).toBe(before.openClaims.exchanges + 1);
    const shown = (claimId: string) => after.openClaims.recent.find((c) => c.claimId === claimId);
    expect(shown(ret.claimId)).toEqual({
      claimId: ret.claimId,
      kind: 'RETURN',
      orderId: order.orderId,
      orderNumber: order.orderNumber,
      status: 'COLLECTING',
      requestedAt: ret.returnRequested().requestedAt,
    });
    expect(shown(exchange.claimId)).toMatchObject({
      kind: 'EXCHANGE',
      status: 'RESHIPPING',
      requestedAt: exchange.exchangeRequested().requestedAt,
    });
  });

  it('counts open chats, waiting and in progress, by the newest version of each conversation', async () => {
    const handledBefore = await handledChatEvents();
    const before = await read();
    const chatOf = (version: number) => ({
      conversationId: randomUUID(),
      customerId: randomUUID(),
      version,
    });
    const at = new Date().toISOString();
    const waiting = chatOf(1);
    const taken = chatOf(1);
    const agentId = randomUUID();
    await probe.publish(ChatConversationOpened, { ...waiting, orderId: null, queuedAt: at });
    await probe.publish(ChatConversationOpened, { ...taken, orderId: 'o-1', queuedAt: at });
    // The producer's retry: the same opening under a new message id counts once.
    await probe.publish(ChatConversationOpened, { ...taken, orderId: 'o-1', queuedAt: at });
    await probe.publish(ChatConversationAssigned, {
      ...taken,
      version: 2,
      assigneeId: agentId,
      assignedAt: at,
    });
    const open = await until(
      (d) =>
        d.openChats.waiting === before.openChats.waiting + 1 &&
        d.openChats.inProgress === before.openChats.inProgress + 1,
    );
    expect(open.openChats.waiting + open.openChats.inProgress).toBe(
      before.openChats.waiting + before.openChats.inProgress + 2,
    );

    // Resolved; its assignment (version 2) arrives again late, and a third conversation is resolved
    // before its opening is heard: neither is open.
    await probe.publish(ChatConversationResolved, {
      ...taken,
      version: 3,
      assigneeId: agentId,
      resolvedAt: at,
    });
    await probe.publish(ChatConversationAssigned, {
      ...taken,
      version: 2,
      assigneeId: agentId,
      assignedAt: at,
    });
    const early = chatOf(2);
    await probe.publish(ChatConversationResolved, { ...early, assigneeId: null, resolvedAt: at });
    await probe.publish(ChatConversationOpened, { ...early, version: 1, orderId: null, queuedAt: at });
    // The waiting one is reopened later (a higher version of the same state): still one waiting.
    await probe.publish(ChatConversationOpened, { ...waiting, version: 3, orderId: null, queuedAt: at });
    // Every one of the nine chat events handled (in whatever order they came): then the figures are final.
    await eventually(async () => (await handledChatEvents()) === handledBefore + 9);
    const after = await read();
    expect(after.openChats).toEqual({
      waiting: before.openChats.waiting + 1,
      inProgress: before.openChats.inProgress,
    });
  });

  it('lists SKUs on sale that run low, as their stock moves', async () => {
    const productId = 9_000 + Math.floor(Math.random() * 1_000);
    const skuId = productId * 10;
    const product = aProduct(productId, [
      { skuId, stock: 2, options: { 색상: '블랙', 사이즈: 'L' } },
      { skuId: skuId + 1, stock: 50, options: { 색상: '화이트', 사이즈: 'M' } },
    ]);
    await probe.publish(ProductCreated, product);
    const low = await until((d) => d.lowStock.some((s) => s.skuId === skuId));
    expect(low.lowStockThreshold).toBe(3);
    expect(low.lowStock.find((s) => s.skuId === skuId)).toEqual({
      skuId,
      productId,
      productName: '대시보드 테스트 후드',
      skuCode: `SKU-${skuId}`,
      optionLabel: '블랙 / L',
      stock: 2,
    });
    expect(low.lowStock.map((s) => s.skuId)).not.toContain(skuId + 1);

    // Restocked; then a movement older than the restock arrives late and is ignored.
    await probe.publish(StockChanged, stockChanged(productId, skuId, 3, 40));
    await probe.publish(StockChanged, stockChanged(productId, skuId, 2, 1));
    await until((d) => !d.lowStock.some((s) => s.skuId === skuId));
    // The white one sells down to 1.
    await probe.publish(StockChanged, stockChanged(productId, skuId + 1, 2, 1));
    await until((d) => d.lowStock.some((s) => s.skuId === skuId + 1 && s.stock === 1));

    await probe.publish(ProductDeleted, {
      productId,
      version: 2,
      mode: 'SOFT',
      deletedAt: new Date().toISOString(),
    });
    await until((d) => !d.lowStock.some((s) => s.productId === productId));
  });

  it('puts a SKU that just sold out first, with how many run low, however many older ones are low', async () => {
    const productId = 20_000 + Math.floor(Math.random() * 1_000);
    const firstSku = productId * 100;
    // Twelve SKUs sold out a day ago (lower ids, so the fewest-first order listed them first), and
    // one SKU with plenty, the last id.
    const soldOutLongAgo = Array.from({ length: 12 }, (_, i) => ({
      skuId: firstSku + i,
      stock: 0,
      options: { 색상: '블랙', 사이즈: `${90 + i}` },
    }));
    const justSold = firstSku + 50;
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    await probe.publish(ProductCreated, {
      ...aProduct(productId, [
        ...soldOutLongAgo,
        { skuId: justSold, stock: 40, options: { 색상: '화이트' } },
      ]),
      createdAt: yesterday,
      updatedAt: yesterday,
    });
    const before = await until((d) => (d.lowStockTotal ?? 0) >= 12);
    expect(before.lowStock.map((s) => s.skuId)).not.toContain(justSold);

    await probe.publish(StockChanged, stockChanged(productId, justSold, 2, 0));
    const after = await until((d) => d.lowStock.some((s) => s.skuId === justSold));
    expect(after.lowStock[0]).toMatchObject({ skuId: justSold, stock: 0 });
    expect(after.lowStock).toHaveLength(10);
    expect(after.lowStockTotal).toBe((before.lowStockTotal ?? 0) + 1);
  });
});

function aProduct(
  productId: number,
  skus: Array<{ skuId: number; stock: number; options: Record<string, string> }>,
): ProductSnapshot {
  const at = new Date().toISOString();
  return {
    productId,
    version: 1,
    code: `DASH-${productId}`,
    name: '대시보드 테스트 후드',
    description: '',
    descriptionText: '',
    basePrice: 50_000,
    salePrice: 50_000,
    status: 'ACTIVE',
    displayed: true,
    deleted: false,
    categoryIds: [1],
    optionGroups: [
      { name: '색상', values: ['블랙', '화이트'] },
      { name: '사이즈', values: ['M', 'L'] },
    ],
    skus: skus.map((s) => ({
      skuId: s.skuId,
      skuCode: `SKU-${s.skuId}`,
      options: s.options,
      price: 50_000,
      status: 'ACTIVE',
      removed: false,
      stock: s.stock,
      reserved: 0,
      sold: 0,
      stockVersion: 1,
    })),
    images: [],
    createdAt: at,
    updatedAt: at,
  };
}

function stockChanged(productId: number, skuId: number, version: number, stock: number): StockChangedPayload {
  return {
    productId,
    skuId,
    skuCode: `SKU-${skuId}`,
    version,
    movement: { id: version, type: 'ADJUST', quantity: 0, orderId: null },
    stock,
    reserved: 0,
    sold: 0,
    status: 'ACTIVE',
    occurredAt: new Date().toISOString(),
  };
}
