import { randomUUID } from 'node:crypto';
import { type EventContract, type EventPayload, SOCKET_CLOSE } from '@sagamart/contracts';
import { type Service, sql } from '@sagamart/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationDb } from '../src/index.ts';
import {
  aClaim,
  anOrder,
  aShipment,
  asUser,
  demoted,
  deployment,
  EventProbe,
  events,
  eventsHandled,
  eventually,
  jsonClient,
  metricValue,
  NotificationSocket,
  registeredAdmin,
  scrapeMetrics,
  startNotifications,
} from './support.ts';

describe('notification-service', () => {
  let service: Service<NotificationDb>;
  let probe: EventProbe;
  let api: ReturnType<typeof jsonClient>;

  beforeAll(async () => {
    const config = deployment({}, { notifications: { keepPerUser: 4 }, retention: { intervalMs: 200 } });
    [service, probe] = await Promise.all([startNotifications(config), EventProbe.start(config)]);
    api = jsonClient(service);
  });
  afterAll(async () => {
    await Promise.all([service?.stop(), probe?.stop()]);
  });

  type Role = 'USER' | 'ADMIN';
  const list = async (userId: string, role: Role = 'USER') =>
    (await api.get('/api/notifications', asUser(userId, role))).body;
  const count = async (userId: string, role: Role = 'USER') =>
    (await api.get('/api/notifications/unread-count', asUser(userId, role))).body.count as number;

  describe('REST', () => {
    it('lists my notifications newest first, in Korean, with a link to the order', async () => {
      const order = anOrder();
      await probe.publish(events.OrderPlaced, order.placed());
      await eventually(async () => (await count(order.userId)) === 1);
      await probe.publish(events.OrderCancelled, order.cancelled('USER_CANCELLED', true));
      await eventually(async () => (await count(order.userId)) === 2);
      const page = await list(order.userId);
      expect(page).toMatchObject({
        page: 0,
        size: 20,
        totalElements: 2,
        totalPages: 1,
        first: true,
        last: true,
      });
      const [cancelled, placed] = page.content;
      expect(placed).toMatchObject({
        seq: 1,
        kind: 'ORDER_PLACED',
        title: '주문이 접수되었습니다',
        link: `/me/orders/${order.orderId}`,
        orderId: order.orderId,
        orderNumber: order.orderNumber,
        facts: { amount: 30_000 },
        read: false,
      });
      expect(placed.body).toContain('30,000원');
      expect(cancelled).toMatchObject({
        seq: 2,
        kind: 'ORDER_CANCELLED',
        title: '주문이 취소되었습니다',
        facts: { cancelReason: 'USER_CANCELLED', amount: 30_000 },
      });
      expect(cancelled.body).toBe(
        `요청하신 대로 ${order.orderNumber} 주문이 취소되었습니다. 결제하신 30,000원은 환불됩니다.`,
      );
    });

    it('tells the points a cancel or a return gives back in points (P), never in won', async () => {
      const cancelled = anOrder();
      await probe.publish(events.OrderCancelled, {
        ...cancelled.cancelled('USER_CANCELLED', true),
        payableAmount: 33_000,
        pointsRefund: 2_000,
      });
      const returned = anOrder();
      await probe.publish(events.ReturnCompleted, {
        ...aClaim(returned).returned(57_641),
        pointsRefund: 959,
      });
      const [cancel] = await eventually(async () => {
        const content = (await list(cancelled.userId)).content;
        return content.length === 1 ? content : undefined;
      });
      expect(cancel).toMatchObject({ kind: 'ORDER_CANCELLED', facts: { amount: 33_000, points: 2_000 } });
      expect(cancel.body).toBe(
        `요청하신 대로 ${cancelled.orderNumber} 주문이 취소되었습니다. 결제하신 33,000원은 환불됩니다. 사용하신 포인트 2,000P도 돌려드립니다.`,
      );
      const [completed] = await eventually(async () => {
        const content = (await list(returned.userId)).content;
        return content.length === 1 ? content : undefined;
      });
      expect(completed).toMatchObject({ kind: 'RETURN_COMPLETED', facts: { amount: 57_641, points: 959 } });
      expect(completed.body).toBe(
        `${returned.orderNumber} 주문의 반품이 완료되었습니다. 57,641원이 환불됩니다. 사용하신 포인트 959P도 돌려드립니다.`,
      );
    });

    it('marks one read, then all; someone else’s notification is a 404', async () => {
      const mine = anOrder();
      // One after the other: handled out of order, the older step (placed) would tell nothing.
      await probe.publish(events.OrderPlaced, mine.placed());
      await eventually(async () => (await count(mine.userId)) === 1);
      await probe.publish(events.OrderPaid, mine.paid());
      await eventually(async () => (await count(mine.userId)) === 2);
      const [newest] = (await list(mine.userId)).content;

      const stranger = randomUUID();
      const theirs = await api.post(`/api/notifications/${newest.id}/read`, undefined, asUser(stranger));
      expect(theirs.status).toBe(404);
      expect(theirs.headers.get('content-type')).toContain('application/problem+json');
      expect(await count(mine.userId)).toBe(2);

      expect(
        (await api.post(`/api/notifications/${newest.id}/read`, undefined, asUser(mine.userId))).status,
      ).toBe(204);
      expect(await count(mine.userId)).toBe(1);
      expect((await list(mine.userId)).content.map((n: { read: boolean }) => n.read)).toEqual([true, false]);

      expect((await api.post('/api/notifications/read-all', undefined, asUser(mine.userId))).status).toBe(
        204,
      );
      expect(await count(mine.userId)).toBe(0);
    });

    it('answers bad input and missing identity with problems', async () => {
      const user = asUser();
      const bad = await api.post('/api/notifications/not-a-uuid/read', undefined, user);
      expect(bad.status).toBe(400);
      expect(bad.body.traceId).toBeTruthy();
      expect((await api.get('/api/notifications?size=1000', user)).status).toBe(400);
      expect((await api.get('/api/notifications?page=-1', user)).status).toBe(400);
      expect((await api.get('/api/notifications')).status).toBe(401);
      expect((await api.get('/api/notifications/unread-count')).status).toBe(401);
    });
  });

  describe('refunds', () => {
    const kinds = async (userId: string) =>
      ((await list(userId)).content as { kind: string }[]).map((n) => n.kind);
    /** Publishes the refunds and waits until the service has handled them all. */
    const refund = async (...orders: ReturnType<typeof anOrder>[]) => {
      const handled = await eventsHandled(service, 'payment.refunded');
      for (const order of orders) await probe.publish(events.PaymentRefunded, order.refunded());
      await eventually(
        async () => (await eventsHandled(service, 'payment.refunded')) === handled + orders.length,
      );
    };

    it('tells a paid order’s cancel and its refund once, whichever event comes first', async () => {
      const cancelFirst = anOrder();
      const refundFirst = anOrder();
      await probe.publish(events.OrderCancelled, cancelFirst.cancelled('ADMIN_CANCELLED', true));
      await eventually(async () => (await count(cancelFirst.userId)) === 1);
      await refund(cancelFirst, refundFirst);
      await eventually(async () => (await count(refundFirst.userId)) === 1);
      const handled = await eventsHandled(service, 'order.cancelled');
      await probe.publish(events.OrderCancelled, refundFirst.cancelled('USER_CANCELLED', true));
      await eventually(async () => (await eventsHandled(service, 'order.cancelled')) === handled + 1);

      expect(await kinds(cancelFirst.userId)).toEqual(['ORDER_CANCELLED']);
      expect(await kinds(refundFirst.userId)).toEqual(['PAYMENT_REFUNDED']);
      const [refunded] = (await list(refundFirst.userId)).content;
      expect(refunded).toMatchObject({
        title: '결제가 환불되었습니다',
        body: `${refundFirst.orderNumber} 주문이 취소되어 결제하신 30,000원이 환불되었습니다.`,
        facts: { amount: 30_000 },
        link: `/me/orders/${refundFirst.orderId}`,
      });
    });

    it('tells the refund of an approval that raced the cancel, which said nothing of a refund', async () => {
      const order = anOrder();
      await probe.publish(events.OrderCancelled, order.cancelled('PAYMENT_TIMEOUT', false));
      await eventually(async () => (await count(order.userId)) === 1);
      const [cancelled] = (await list(order.userId)).content;
      expect(cancelled.body).toBe(`결제 시간이 지나 ${order.orderNumber} 주문이 취소되었습니다.`);

      // The payment the PG approved late is refunded: the shopper hears of the money.
      await refund(order);
      expect(await kinds(order.userId)).toEqual(['PAYMENT_REFUNDED', 'ORDER_CANCELLED']);
      expect(await count(order.userId)).toBe(2);
    });
  });

  describe('admin copies', () => {
    it('gives every active admin their own copy of a paid order, and none to a former admin', async () => {
      const [first, second, former] = [registeredAdmin(), registeredAdmin(), registeredAdmin()];
      for (const admin of [first, second, former]) await probe.publish(events.UserRegistered, admin);
      await probe.publish(events.UserUpdated, demoted(former));
      // A late version 1 changes nothing: the demotion (version 2) stands.
      await probe.publish(events.UserRegistered, former);
      await eventually(
        async () =>
          (await eventsHandled(service, 'user.registered')) === 4 &&
          (await eventsHandled(service, 'user.updated')) === 1,
      );

      const order = anOrder();
      await probe.publish(events.OrderPaid, order.paid());
      await probe.publish(events.OrderPaid, order.paid());
      await eventually(
        async () => (await count(first.userId, 'ADMIN')) === 1 && (await count(second.userId, 'ADMIN')) === 1,
      );
      const [copy] = (await list(first.userId, 'ADMIN')).content;
      expect(copy).toMatchObject({
        kind: 'ADMIN_ORDER_PAID',
        title: '새 주문이 결제되었습니다',
        link: `/admin/orders/${order.orderId}`,
      });
      expect((await list(second.userId, 'ADMIN')).content[0].id).not.toBe(copy.id);
      expect(await count(former.userId, 'ADMIN')).toBe(0);
      expect((await list(order.userId)).content.map((n: { kind: string }) => n.kind)).toEqual(['ORDER_PAID']);
    });

    it('shows an admin’s copies only while their token says ADMIN: not once demoted, again once promoted', async () => {
      const admin = registeredAdmin();
      const known = await eventsHandled(service, 'user.registered');
      await probe.publish(events.UserRegistered, admin);
      await eventually(async () => (await eventsHandled(service, 'user.registered')) > known);
      const sold = anOrder();
      await probe.publish(events.OrderPaid, sold.paid());
      await eventually(async () => (await count(admin.userId, 'ADMIN')) === 1);
      const [copy] = (await list(admin.userId, 'ADMIN')).content;
      expect(copy).toMatchObject({ seq: 1, kind: 'ADMIN_ORDER_PAID', orderNumber: sold.orderNumber });

      // Demoted: user-service says so, and auth-service's new tokens carry USER.
      const updated = await eventsHandled(service, 'user.updated');
      await probe.publish(events.UserUpdated, demoted(admin));
      await eventually(async () => (await eventsHandled(service, 'user.updated')) > updated);
      // Their own order, as a shopper now: seq 2.
      await probe.publish(events.OrderPlaced, anOrder(admin.userId).placed());
      await eventually(async () => (await list(admin.userId, 'ADMIN')).content[0]?.seq === 2);

      const mine = await list(admin.userId);
      expect(mine.content.map((n: { kind: string }) => n.kind)).toEqual(['ORDER_PLACED']);
      expect(mine.totalElements).toBe(1);
      expect(await count(admin.userId)).toBe(1);
      const read = await api.post(`/api/notifications/${copy.id}/read`, undefined, asUser(admin.userId));
      expect(read.status).toBe(404);
      expect((await api.post('/api/notifications/read-all', undefined, asUser(admin.userId))).status).toBe(
        204,
      );
      expect(await count(admin.userId)).toBe(0);
      // The socket's replay (everything before `resumed`) leaves the copy out too.
      const socket = NotificationSocket.direct(service, asUser(admin.userId));
      await socket.resume(0);
      await eventually(() => socket.received.some((m) => m.type === 'resumed'));
      expect(socket.seqs).toEqual([2]);
      expect(socket.received.at(-1)).toEqual({ type: 'resumed', last: 2 });
      socket.close();

      // Made admin again: the copy is theirs to see once more, as they left it (unread).
      const again = await list(admin.userId, 'ADMIN');
      expect(again.content.map((n: { kind: string; read: boolean }) => [n.kind, n.read])).toEqual([
        ['ORDER_PLACED', true],
        ['ADMIN_ORDER_PAID', false],
      ]);
      expect(await count(admin.userId, 'ADMIN')).toBe(1);
    });
  });

  describe('shipping, returns and exchanges', () => {
    /** One event to publish, and the name its handled count is scraped by. */
    const step = <C extends EventContract>(contract: C, payload: EventPayload<C>) => ({
      event: contract.name,
      publish: () => probe.publish(contract, payload),
    });
    /**
     * Publishes each step `times` over (under new message ids: a producer's retry) and waits until the
     * service has handled it before the next, so the steps of one claim or shipment arrive in order.
     */
    const inTurn = async (times: number, ...steps: ReturnType<typeof step>[]) => {
      for (const { event, publish } of steps) {
        const handled = await eventsHandled(service, event);
        for (let i = 0; i < times; i++) await publish();
        await eventually(async () => (await eventsHandled(service, event)) === handled + times);
      }
    };
    type Listed = { kind: string; title: string; body: string; link: string };
    const made = async (order: { userId: string }) => (await list(order.userId)).content as Listed[];

    it('tells the shopper each shipping and claim step once, even when every event comes twice', async () => {
      // Three shoppers, as this suite keeps four notifications per user.
      const [shipped, returned, exchanged] = [anOrder(), anOrder(), anOrder()];
      const shipment = aShipment(shipped);
      const newOption = aShipment(shipped, 'EXCHANGE');
      const swap = aClaim(shipped);
      const giveBack = aClaim(returned);
      const refused = aClaim(returned);
      const change = aClaim(exchanged);
      const declined = aClaim(exchanged);
      await inTurn(
        2,
        step(events.ShipmentDispatched, shipment.dispatched()),
        step(events.ShipmentDelivered, shipment.delivered()),
        step(events.ShipmentDispatched, newOption.dispatched()),
        step(events.ShipmentDelivered, newOption.delivered()),
        step(events.ExchangeCompleted, swap.exchanged()),
        step(events.ReturnApproved, giveBack.approved()),
        step(events.ReturnCompleted, giveBack.returned(12_000)),
        step(events.ReturnRejected, refused.rejected('사용 흔적이 있습니다')),
        step(events.ExchangeApproved, change.approved()),
        step(events.ExchangeRejected, declined.rejected('재고가 없습니다')),
      );
      const [shippedList, returnedList, exchangedList] = await Promise.all([
        made(shipped),
        made(returned),
        made(exchanged),
      ]);
      // The exchange's new option leaving is a second 배송 시작; its arrival is told by EXCHANGE_COMPLETED alone.
      expect(shippedList.map((n) => n.kind).sort()).toEqual(
        ['EXCHANGE_COMPLETED', 'SHIPMENT_DELIVERED', 'SHIPMENT_DISPATCHED', 'SHIPMENT_DISPATCHED'].sort(),
      );
      expect(returnedList.map((n) => n.kind).sort()).toEqual(
        ['RETURN_APPROVED', 'RETURN_COMPLETED', 'RETURN_REJECTED'].sort(),
      );
      expect(exchangedList.map((n) => n.kind).sort()).toEqual(
        ['EXCHANGE_APPROVED', 'EXCHANGE_REJECTED'].sort(),
      );

      const byKind = new Map([...shippedList, ...returnedList, ...exchangedList].map((n) => [n.kind, n]));
      expect(byKind.get('SHIPMENT_DELIVERED')).toMatchObject({
        title: '배송이 완료되었습니다',
        link: `/me/orders/${shipped.orderId}`,
        body: `${shipped.orderNumber} 주문의 상품이 도착했습니다.`,
      });
      expect(shippedList.filter((n) => n.kind === 'SHIPMENT_DISPATCHED').map((n) => n.title)).toEqual([
        '배송이 시작되었습니다',
        '배송이 시작되었습니다',
      ]);
      expect(byKind.get('RETURN_APPROVED')).toMatchObject({
        title: '반품이 승인되었습니다',
        link: `/me/orders/${returned.orderId}`,
      });
      expect(byKind.get('RETURN_COMPLETED')!.body).toBe(
        `${returned.orderNumber} 주문의 반품이 완료되었습니다. 12,000원이 환불됩니다.`,
      );
      expect(byKind.get('RETURN_REJECTED')!.body).toBe(
        `${returned.orderNumber} 주문의 반품이 거절되었습니다. 사유: 사용 흔적이 있습니다`,
      );
      expect(byKind.get('EXCHANGE_APPROVED')).toMatchObject({ title: '교환이 승인되었습니다' });
      expect(byKind.get('EXCHANGE_REJECTED')!.body).toBe(
        `${exchanged.orderNumber} 주문의 교환이 거절되었습니다. 사유: 재고가 없습니다`,
      );
      expect(byKind.get('EXCHANGE_COMPLETED')).toMatchObject({ title: '교환이 완료되었습니다' });
    });

    it('tells the shopper of each pickup: approved, cancelled by the courier, approved again, once per waybill', async () => {
      const [returned, exchanged] = [anOrder(), anOrder()];
      const giveBack = aClaim(returned);
      const change = aClaim(exchanged);
      // Approved, its pickup cancelled, approved again with a new waybill and that pickup cancelled
      // too; each event twice.
      await inTurn(
        2,
        step(events.ReturnApproved, giveBack.approved(2, '223456789012')),
        step(events.ReturnPickupCancelled, giveBack.pickupCancelled(3, '223456789012')),
        step(events.ReturnApproved, giveBack.approved(4, '223456789013')),
        step(events.ReturnPickupCancelled, giveBack.pickupCancelled(5, '223456789013')),
        step(events.ExchangeApproved, change.approved(2, '223456789014')),
        step(events.ExchangePickupCancelled, change.pickupCancelled(3, '223456789014')),
        step(events.ExchangeApproved, change.approved(4, '223456789015')),
      );
      const returnedList = await made(returned);
      expect(returnedList.map((n) => n.kind)).toEqual([
        'RETURN_PICKUP_CANCELLED',
        'RETURN_APPROVED',
        'RETURN_PICKUP_CANCELLED',
        'RETURN_APPROVED',
      ]);
      expect(returnedList[0]).toMatchObject({
        title: '반품 회수가 취소되었습니다',
        body: `택배사 사정으로 ${returned.orderNumber} 주문의 반품 상품 회수가 취소되었습니다. 확인 후 다시 안내해 드릴게요.`,
        link: `/me/orders/${returned.orderId}`,
      });
      // After "we will let you know again", the shopper is told: the newest is the second approval.
      expect(await made(exchanged)).toMatchObject([
        { kind: 'EXCHANGE_APPROVED', title: '교환이 승인되었습니다' },
        { kind: 'EXCHANGE_PICKUP_CANCELLED', title: '교환 회수가 취소되었습니다' },
        { kind: 'EXCHANGE_APPROVED' },
      ]);
    });

    it('tells no step of a claim or shipment after a newer one, whatever order the events come in', async () => {
      // No transport promises order, and a retried handler is overtaken: the newer steps come first.
      const [returned, shipped] = [anOrder(), anOrder()];
      const giveBack = aClaim(returned);
      const approvedAgain = aClaim(shipped);
      const parcel = aShipment(shipped);
      const newOption = aShipment(shipped, 'EXCHANGE');
      await inTurn(
        1,
        step(events.ReturnCompleted, giveBack.returned(21_818)),
        step(events.ShipmentDelivered, parcel.delivered()),
        step(events.ReturnApproved, approvedAgain.approved(4, '223456789013')),
        // The exchange's new option arrived: exchange.completed tells it, but it is newer all the same.
        step(events.ShipmentDelivered, newOption.delivered()),
      );
      expect((await made(returned)).map((n) => n.kind)).toEqual(['RETURN_COMPLETED']);
      expect((await made(shipped)).map((n) => n.kind)).toEqual(['RETURN_APPROVED', 'SHIPMENT_DELIVERED']);

      // The older steps, late (and the newest again, redelivered): nothing more.
      await inTurn(
        1,
        step(events.ReturnApproved, giveBack.approved()),
        step(events.ShipmentDispatched, parcel.dispatched()),
        step(events.ReturnPickupCancelled, approvedAgain.pickupCancelled(3, '223456789012')),
        step(events.ShipmentDispatched, newOption.dispatched()),
        step(events.ReturnCompleted, giveBack.returned(21_818)),
      );
      const finished = await made(returned);
      expect(finished.map((n) => n.kind)).toEqual(['RETURN_COMPLETED']);
      expect(finished[0]!.body).toBe(
        `${returned.orderNumber} 주문의 반품이 완료되었습니다. 21,818원이 환불됩니다.`,
      );
      expect((await made(shipped)).map((n) => n.kind)).toEqual(['RETURN_APPROVED', 'SHIPMENT_DELIVERED']);
      expect(await count(returned.userId)).toBe(1);
    });

    it('tells no step of an exchange’s parcel after the exchange was told complete', async () => {
      // The parcel's events count its own versions, the claim's its own: the completion ends the claim.
      const [late, inOrder] = [anOrder(), anOrder()];
      const swap = aClaim(late);
      const parcel = aShipment(late, 'EXCHANGE');
      await inTurn(
        1,
        step(events.ExchangeCompleted, swap.exchanged()),
        step(events.ShipmentDispatched, { ...parcel.dispatched(), claimId: swap.claimId }),
      );
      expect((await made(late)).map((n) => n.kind)).toEqual(['EXCHANGE_COMPLETED']);
      expect(await count(late.userId)).toBe(1);

      // In their own order both are news, the completion the newest.
      const change = aClaim(inOrder);
      const sent = aShipment(inOrder, 'EXCHANGE');
      await inTurn(
        1,
        step(events.ShipmentDispatched, { ...sent.dispatched(), claimId: change.claimId }),
        step(events.ShipmentDelivered, { ...sent.delivered(), claimId: change.claimId }),
        step(events.ExchangeCompleted, change.exchanged()),
      );
      expect((await made(inOrder)).map((n) => n.kind)).toEqual(['EXCHANGE_COMPLETED', 'SHIPMENT_DISPATCHED']);
    });

    it('tells no step of an order’s parcel after the order was told cancelled', async () => {
      // A parcel dispatched but not picked up is cancelled with its order; its dispatch, handled late, is old news.
      const [late, inOrder] = [anOrder(), anOrder()];
      const parcel = aShipment(late);
      await inTurn(
        1,
        step(events.OrderCancelled, late.cancelled('USER_CANCELLED', true)),
        step(events.ShipmentDispatched, parcel.dispatched()),
      );
      expect((await made(late)).map((n) => n.kind)).toEqual(['ORDER_CANCELLED']);

      // In their own order both are news, the cancel the newest.
      const sent = aShipment(inOrder);
      await inTurn(
        1,
        step(events.ShipmentDispatched, sent.dispatched()),
        step(events.OrderCancelled, inOrder.cancelled('USER_CANCELLED', true)),
      );
      expect((await made(inOrder)).map((n) => n.kind)).toEqual(['ORDER_CANCELLED', 'SHIPMENT_DISPATCHED']);
    });

    it('forgets the newest steps nothing touched for longer than the retention window, keeping the rest', async () => {
      const db = service.context.db;
      const sweep = async (name: string) =>
        metricValue(await scrapeMetrics(service), name, { table: 'newest_versions' }) ?? 0;
      // The kit's retention sweep (retention.intervalMs) prunes newest_versions too.
      await eventually(async () => (await sweep('retention_passes_total')) > 0);

      const [old, recent] = [anOrder(), anOrder()];
      const oldClaim = aClaim(old);
      const oldParcel = aShipment(old);
      const recentClaim = aClaim(recent);
      await inTurn(
        1,
        step(events.ReturnCompleted, oldClaim.returned(12_000)),
        step(events.ShipmentDelivered, oldParcel.delivered()),
        step(events.ReturnCompleted, recentClaim.returned(12_000)),
      );
      const ids = [oldClaim.claimId, oldParcel.shipmentId, recentClaim.claimId];
      const held = async () =>
        (
          await db
            .selectFrom('newest_versions')
            .select('aggregate_id')
            .where('aggregate_id', 'in', ids)
            .execute()
        ).map((r) => r.aggregate_id);
      expect((await held()).sort()).toEqual([...ids].sort());

      // 31 days pass for the old order's claim and parcel (the window is 30).
      const deleted = await sweep('retention_deleted_total');
      await sql`update newest_versions set advanced_at = advanced_at - interval '31 days'
        where aggregate_id in (${oldClaim.claimId}, ${oldParcel.shipmentId})`.execute(db);
      await eventually(async () => (await held()).length === 1);
      expect(await held()).toEqual([recentClaim.claimId]);
      expect(await sweep('retention_deleted_total')).toBeGreaterThanOrEqual(deleted + 2);

      // Within the window the order of steps still holds: a late approval of the recent claim is no news.
      await inTurn(1, step(events.ReturnApproved, recentClaim.approved()));
      expect((await made(recent)).map((n) => n.kind)).toEqual(['RETURN_COMPLETED']);
    });

    it('tells no order placed after its cancel was told, when the placement comes late', async () => {
      const order = anOrder();
      await inTurn(1, step(events.OrderCancelled, order.cancelled('PAYMENT_TIMEOUT')));
      await inTurn(1, step(events.OrderPlaced, order.placed()));
      expect((await made(order)).map((n) => n.kind)).toEqual(['ORDER_CANCELLED']);
      expect(await count(order.userId)).toBe(1);
    });

    it('gives every active admin their own copy of a return or exchange request, once', async () => {
      const [first, second] = [registeredAdmin(), registeredAdmin()];
      const known = await eventsHandled(service, 'user.registered');
      for (const admin of [first, second]) await probe.publish(events.UserRegistered, admin);
      await eventually(async () => (await eventsHandled(service, 'user.registered')) >= known + 2);
      const order = anOrder();
      const returned = aClaim(order);
      const exchanged = aClaim(order);
      for (let i = 0; i < 2; i++) {
        await probe.publish(events.ReturnRequested, returned.returnRequested());
        await probe.publish(events.ExchangeRequested, exchanged.exchangeRequested());
      }
      await eventually(
        async () =>
          (await eventsHandled(service, 'return.requested')) === 2 &&
          (await eventsHandled(service, 'exchange.requested')) === 2,
      );
      await eventually(
        async () => (await count(first.userId, 'ADMIN')) === 2 && (await count(second.userId, 'ADMIN')) === 2,
      );
      const copies = (await list(first.userId, 'ADMIN')).content;
      expect(copies.map((n: { title: string }) => n.title).sort()).toEqual([
        '교환 요청이 접수되었습니다',
        '반품 요청이 접수되었습니다',
      ]);
      for (const copy of copies) {
        expect(copy).toMatchObject({ kind: 'ADMIN_CLAIM_REQUESTED', link: `/admin/orders/${order.orderId}` });
      }
      const theirs = (await list(second.userId, 'ADMIN')).content.map((n: { id: string }) => n.id);
      expect(theirs).not.toContain(copies[0].id);
      // The shopper is not told of their own request.
      expect(await count(order.userId)).toBe(0);
    });
  });

  describe('socket protocol', () => {
    it('answers a resume from before what is kept with a reset, then goes on live', async () => {
      const userId = randomUUID();
      // Five notifications; four are kept (keepPerUser: 4), so seq 1 is gone.
      for (let i = 0; i < 5; i++) await probe.publish(events.OrderPlaced, anOrder(userId).placed());
      await eventually(async () => (await list(userId)).content[0]?.seq === 5);
      expect((await list(userId)).content.map((n: { seq: number }) => n.seq)).toEqual([5, 4, 3, 2]);

      const stale = NotificationSocket.direct(service, asUser(userId));
      await stale.resume(0);
      await eventually(() => stale.received.length >= 2);
      expect(stale.received).toEqual([
        { type: 'reset', last: 5 },
        { type: 'resumed', last: 5 },
      ]);
      await probe.publish(events.OrderPlaced, anOrder(userId).placed());
      await stale.until(1);
      expect(stale.seqs).toEqual([6]);
      stale.close();

      const recent = NotificationSocket.direct(service, asUser(userId));
      await recent.resume(3);
      await recent.until(3);
      expect(recent.seqs).toEqual([4, 5, 6]);
      // A seq this history never had (a client of a wiped database) is a reset too.
      const future = NotificationSocket.direct(service, asUser(userId));
      await future.resume(99);
      await eventually(() => future.received.length >= 2);
      expect(future.received[0]).toEqual({ type: 'reset', last: 6 });
      recent.close();
      future.close();
    });

    it('answers ping with pong and closes on anything outside the protocol', async () => {
      const socket = NotificationSocket.direct(service, asUser());
      await socket.opened;
      socket.socket.send(JSON.stringify({ type: 'ping' }));
      await eventually(() => socket.received.some((m) => m.type === 'pong'));
      socket.socket.send(JSON.stringify({ type: 'resume', since: -1 }));
      expect((await socket.closed).code).toBe(SOCKET_CLOSE.protocolError);

      const twice = NotificationSocket.direct(service, asUser());
      await twice.resume(0);
      await twice.resume(0);
      expect((await twice.closed).code).toBe(SOCKET_CLOSE.protocolError);
    });

    it('refuses a socket without an identity', async () => {
      const anonymous = NotificationSocket.direct(service, {});
      await expect(anonymous.opened).rejects.toThrow(/401/);
    });
  });

  describe('retention', () => {
    it('keeps the newest keepPerUser notifications of each user: the list, the count and old ids', async () => {
      const userId = randomUUID();
      const other = randomUUID();
      for (let i = 0; i < 7; i++) await probe.publish(events.OrderPlaced, anOrder(userId).placed());
      await probe.publish(events.OrderPlaced, anOrder(other).placed());
      await eventually(async () => (await list(userId)).content[0]?.seq === 7);
      const kept = await list(userId);
      // keepPerUser: 4 — seqs 1 to 3 are deleted in the transaction that made seq 7's room.
      expect(kept.totalElements).toBe(4);
      expect(kept.content.map((n: { seq: number }) => n.seq)).toEqual([7, 6, 5, 4]);
      expect(await count(userId)).toBe(4);
      // Another user's history is their own: pruning one user never touches it.
      await eventually(async () => (await count(other)) === 1);
      // A client holding nothing is told to reload: its history starts after what was pruned.
      const socket = NotificationSocket.direct(service, asUser(userId));
      await socket.resume(0);
      await eventually(() => socket.received.some((m) => m.type === 'resumed'));
      expect(socket.received[0]).toEqual({ type: 'reset', last: 7 });
      expect(socket.seqs).toEqual([]);
      socket.close();
    });
  });
});

describe('notification-service: a client that stops reading', () => {
  let service: Service<NotificationDb>;
  let probe: EventProbe;
  beforeAll(async () => {
    // A small limit, so that the test fills the kernel's socket buffers and then just past it.
    const config = deployment({}, { notifications: { socket: { maxBufferedBytes: 16_384 } } });
    [service, probe] = await Promise.all([startNotifications(config), EventProbe.start(config)]);
  });
  afterAll(async () => {
    await Promise.all([service?.stop(), probe?.stop()]);
  });

  const overflows = async () =>
    metricValue(await scrapeMetrics(service), 'notification_socket_closes_total', {
      code: String(SOCKET_CLOSE.overflow),
    }) ?? 0;

  it('is closed with 4008 once its buffer passes the limit, and resumes from its last seq', async () => {
    const userId = randomUUID();
    for (let i = 0; i < 2; i++) await probe.publish(events.OrderPlaced, anOrder(userId).placed());
    const slow = NotificationSocket.direct(service, asUser(userId));
    await slow.resume(0);
    await slow.until(2);
    expect(await overflows()).toBe(0);

    // The client stops reading, but keeps asking: every ping is answered with a pong the server
    // cannot hand over. Once the kernel's buffers are full (a few MB on loopback), the server's own
    // queue grows past maxBufferedBytes, and it cuts the client off. Bounded: at most 20 rounds.
    slow.socket.pause();
    const ping = JSON.stringify({ type: 'ping' });
    for (let round = 0; round < 20 && (await overflows()) === 0; round++) {
      for (let i = 0; i < 100_000; i++) slow.socket.send(ping);
      await eventually(() => slow.socket.bufferedAmount === 0, 20_000);
      await eventually(async () => (await overflows()) > 0, 1_000, 100).catch(() => undefined);
    }
    expect(await overflows()).toBe(1);

    // A notification committed meanwhile is not lost: the client, reading again, sees 4008 and
    // resumes from the last seq it holds.
    await probe.publish(events.OrderPlaced, anOrder(userId).placed());
    slow.socket.resume();
    expect((await slow.closed).code).toBe(SOCKET_CLOSE.overflow);
    expect(slow.seqs).toEqual([1, 2]);
    const again = NotificationSocket.direct(service, asUser(userId));
    await again.resume(slow.seqs.at(-1)!);
    await again.until(1);
    expect(again.seqs).toEqual([3]);
    again.close();
  }, 120_000);
});
