import { randomUUID } from 'node:crypto';
import { NotificationServerMessage } from '@sagamart/contracts';
import type { ConfigTree, Service } from '@sagamart/kit';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAuth, startFakeAuth, startGateway, TestDiscovery } from '../../gateway/test/harness.ts';
import type { NotificationDb } from '../src/index.ts';
import {
  anOrder,
  asUser,
  deployment,
  EventProbe,
  events,
  eventsHandled,
  eventually,
  jsonClient,
  NotificationSocket,
  ResumingClient,
  startNotifications,
} from './support.ts';

/**
 * The delivery guarantees, on one transport: stored once, resumed exactly, delivered across
 * instances, and nothing lost when an instance goes away mid-stream.
 */
export function deliverySuite(name: string, transport: () => ConfigTree) {
  describe(`notification delivery (${name})`, () => {
    let config: ConfigTree;
    let a: Service<NotificationDb>;
    let b: Service<NotificationDb>;
    let probe: EventProbe;

    beforeAll(async () => {
      // The sweep is off (one minute): live delivery across instances must come through the fan-out.
      config = deployment(transport(), { notifications: { sweepMs: 60_000 } });
      [a, b, probe] = await Promise.all([
        startNotifications(config),
        startNotifications(config),
        EventProbe.start(config),
      ]);
    });
    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop(), probe?.stop()]);
    });

    const unread = async (userId: string) =>
      (await jsonClient(a).get('/api/notifications/unread-count', asUser(userId))).body.count as number;

    it('makes one notification of a redelivered event, and one of a change told twice', async () => {
      const order = anOrder();
      const messageId = randomUUID();
      await probe.publish(events.OrderPlaced, order.placed(), messageId);
      // Redelivered after it was handled (its outbox row is gone by then: ids are unique there).
      await eventually(async () => (await unread(order.userId)) === 1);
      await probe.publish(events.OrderPlaced, order.placed(), messageId);
      await probe.publish(events.OrderPaid, order.paid());
      // A redelivery with a new message id (a replayed dead letter, a republished outbox row).
      await probe.publish(events.OrderPaid, order.paid());
      // Every copy was handled (by either instance) before counting.
      await eventually(async () => {
        let handled = 0;
        for (const instance of [a, b])
          for (const event of ['order.placed', 'order.paid']) handled += await eventsHandled(instance, event);
        return handled >= 4;
      });
      const list = (await jsonClient(b).get('/api/notifications', asUser(order.userId))).body;
      expect(list.totalElements).toBe(2);
      expect(list.content.map((n: { kind: string }) => n.kind).sort()).toEqual([
        'ORDER_PAID',
        'ORDER_PLACED',
      ]);
      expect(list.content.map((n: { seq: number }) => n.seq).sort()).toEqual([1, 2]);
    });

    it('replays exactly the missed notifications, in order, before any live one', async () => {
      const userId = randomUUID();
      const first = NotificationSocket.direct(a, asUser(userId));
      await first.resume(0);
      const orders = Array.from({ length: 3 }, () => anOrder(userId));
      for (const order of orders) await probe.publish(events.OrderPlaced, order.placed());
      await first.until(3);
      expect(first.seqs).toEqual([1, 2, 3]);
      first.close();
      await first.closed;

      // Missed while disconnected.
      for (const order of orders) await probe.publish(events.OrderPaid, order.paid());
      await eventually(async () => (await unread(userId)) === 6);

      const second = NotificationSocket.direct(b, asUser(userId));
      await second.resume(3);
      await probe.publish(events.OrderCancelled, orders[0]!.cancelled('USER_CANCELLED', true));
      await second.until(4);
      expect(second.seqs).toEqual([4, 5, 6, 7]);
      // The replay ends with `resumed` before the live notification.
      const types = second.received.map((m) => (m.type === 'notification' ? m.seq : m.type));
      expect(types).toEqual([4, 5, 6, 'resumed', 7]);
      second.close();
    });

    it('delivers to a socket on one instance what the other instance consumed', async () => {
      const userId = randomUUID();
      const onA = NotificationSocket.direct(a, asUser(userId));
      const onB = NotificationSocket.direct(b, asUser(userId));
      await Promise.all([onA.resume(0), onB.resume(0)]);
      await eventually(() => onA.received.length && onB.received.length);
      const count = 12;
      for (let i = 0; i < count; i++) await probe.publish(events.OrderPlaced, anOrder(userId).placed());
      await Promise.all([onA.until(count), onB.until(count)]);
      const expected = Array.from({ length: count }, (_, i) => i + 1);
      expect(onA.seqs).toEqual(expected);
      expect(onB.seqs).toEqual(expected);
      onA.close();
      onB.close();
    });

    it('pushes read marks made over REST to every socket of the user on both instances, and to no one else', async () => {
      const userId = randomUUID();
      const stranger = randomUUID();
      const onA = NotificationSocket.direct(a, asUser(userId));
      const onB = NotificationSocket.direct(b, asUser(userId));
      const strangers = [a, b].map((instance) => NotificationSocket.direct(instance, asUser(stranger)));
      const sockets = [onA, onB, ...strangers];
      await Promise.all(sockets.map((socket) => socket.resume(0)));
      await eventually(() => sockets.every((socket) => socket.received.some((m) => m.type === 'resumed')));
      const orders = Array.from({ length: 3 }, () => anOrder(userId));
      for (const order of orders) await probe.publish(events.OrderPlaced, order.placed());
      await probe.publish(events.OrderPlaced, anOrder(stranger).placed());
      await Promise.all([onA.until(3), onB.until(3), ...strangers.map((socket) => socket.until(1))]);
      const idOf = (seq: number) => onA.notifications.find((n) => n.seq === seq)!.id;

      // Every mark is made on a: a's sockets get it directly, b's through the fan-out.
      const api = jsonClient(a);
      const read = (id: string) => api.post(`/api/notifications/${id}/read`, undefined, asUser(userId));
      const readAll = () => api.post('/api/notifications/read-all', undefined, asUser(userId));
      expect((await read(idOf(2))).status).toBe(204);
      // Marks that change nothing are not pushed: the one already read, read-all with none left.
      expect((await read(idOf(2))).status).toBe(204);
      expect((await readAll()).status).toBe(204);
      expect((await readAll()).status).toBe(204);
      await probe.publish(events.OrderPaid, orders[0]!.paid());
      await Promise.all([onA.until(4), onB.until(4)]);
      expect((await read(idOf(4))).status).toBe(204);

      const expected = [
        { type: 'read', id: idOf(2) },
        // read-all marked seqs 1 and 3: everything up to 3 is read.
        { type: 'read', upTo: 3 },
        { type: 'read', id: idOf(4) },
      ];
      await eventually(() => onA.reads.length >= 3 && onB.reads.length >= 3);
      expect(onA.reads).toEqual(expected);
      expect(onB.reads).toEqual(expected);
      // A pong answered after the marks were pushed: a mark sent to the stranger would have come first.
      for (const socket of strangers) socket.socket.send(JSON.stringify({ type: 'ping' }));
      await eventually(() => strangers.every((socket) => socket.received.some((m) => m.type === 'pong')));
      for (const socket of strangers) expect(socket.reads).toEqual([]);
      // Every frame is one of the protocol's (the contracts' schema).
      const serverMessage = Compile(NotificationServerMessage);
      for (const socket of sockets)
        for (const frame of socket.received) expect(serverMessage.Check(frame)).toBe(true);
      for (const socket of sockets) socket.close();
    });

    describe('through the gateway', () => {
      let auth: FakeAuth;
      let gateway: Service<unknown>;
      let c: Service<NotificationDb>;
      const discovery = new TestDiscovery();
      beforeAll(async () => {
        auth = await startFakeAuth();
        discovery.set('auth-service', auth.service.url);
        c = await startNotifications(config);
        // Clients connect to b until it stops; then c takes them.
        discovery.set('notification-service', b.url);
        gateway = await startGateway(discovery);
      });
      afterAll(async () => {
        await Promise.all([gateway?.stop(), auth?.service.stop(), c?.stop()]);
      });

      it('loses nothing when the instance a client is connected to stops mid-stream', async () => {
        const userId = randomUUID();
        const token = await auth.sign({ sub: userId });
        const wsUrl = `${gateway.url.replace(/^http/, 'ws')}/ws/notifications?access_token=${token}`;
        const client = new ResumingClient(() => new NotificationSocket(wsUrl));
        await client.start();
        const total = 30;
        for (let i = 0; i < total; i++) {
          await probe.publish(events.OrderPlaced, anOrder(userId).placed());
          if (i === 10) {
            await client.until(5);
            // b goes away: its sockets close with 1001 and its unacknowledged events go to c.
            discovery.set('notification-service', c.url);
            await b.stop();
          }
        }
        await client.until(total);
        expect(client.seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));
        expect(client.closeCodes).toContain(1001);
        client.stop();
      });
    });
  });
}
