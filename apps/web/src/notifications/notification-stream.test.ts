import { NotificationServerMessage, type NotificationView } from '@sagamart/contracts';
import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { Value } from 'typebox/value';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Page } from '../api/page.ts';
import { FakeSockets } from '../testing/fake-socket.ts';
import { aPage } from '../testing/fixtures.ts';
import { NotificationStream } from './notification-stream.ts';
import { applyReadMark, myNotificationsQuery, unreadCountQuery } from './notifications-api.ts';

// The bell's cache as read marks arrive on the notification socket: a mark made in another tab or on
// another device shows here without a reload.

function notification(seq: number): NotificationView {
  return {
    id: `00000000-0000-4000-8000-00000000000${seq}`,
    seq,
    kind: 'ORDER_PLACED',
    title: '주문이 접수되었습니다',
    body: '주문이 접수되었습니다.',
    link: '/me/orders/o-1',
    facts: { amount: 30_000 },
    read: false,
    createdAt: '2026-12-04T10:00:00.000Z',
  };
}

/** notification-service as far as the bell reads it: the user's notifications and their read marks. */
class FakeServer {
  readonly notifications = [1, 2, 3].map(notification);
  markRead(seqs: number[]) {
    for (const n of this.notifications) if (seqs.includes(n.seq)) n.read = true;
  }
  list(): Page<NotificationView> {
    return aPage(this.notifications.map((n) => ({ ...n })).reverse());
  }
  unread() {
    return { count: this.notifications.filter((n) => !n.read).length };
  }
}

function harness() {
  const server = new FakeServer();
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const sockets = new FakeSockets();
  const pushedReads: unknown[] = [];
  const stream = new NotificationStream({
    url: 'ws://shop.test/ws/notifications',
    token: async () => 'access-token',
    baseline: async () => 3,
    createSocket: sockets.create,
    onBrowserOnline: () => () => {},
    onNotification: () => {},
    onReset: () => {},
    onRead: (read) => {
      pushedReads.push(read);
      void applyReadMark(queryClient, read);
    },
    onReconnected: () => void queryClient.invalidateQueries({ queryKey: ['me', 'notifications'] }),
    onStatus: () => {},
  });
  // The header's bell: its unread count is always watched; the list is cached from the last opening.
  const count = new QueryObserver(queryClient, {
    ...unreadCountQuery(),
    queryFn: async () => server.unread(),
  });
  const unsubscribe = count.subscribe(() => {});
  queryClient.setQueryDefaults(myNotificationsQuery().queryKey, { queryFn: async () => server.list() });
  queryClient.setQueryData(myNotificationsQuery().queryKey, server.list());
  const connected = async () => {
    const socket = await sockets.openNewest();
    socket.deliver({ type: 'resumed', last: 3 });
    return socket;
  };
  return {
    server,
    stream,
    sockets: sockets.created,
    pushedReads,
    connected,
    unreadCount: () => count.getCurrentResult().data?.count,
    readSeqs: () =>
      queryClient
        .getQueryData<Page<NotificationView>>(myNotificationsQuery().queryKey)
        ?.content.filter((n) => n.read)
        .map((n) => n.seq),
    stop() {
      stream.stop();
      unsubscribe();
      queryClient.clear();
    },
  };
}

describe('NotificationStream read marks', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('applies a read mark from another tab to the bell: the list at once, the count from the server', async () => {
    const bell = harness();
    bell.stream.start();
    const socket = await bell.connected();
    await vi.waitFor(() => expect(bell.unreadCount()).toBe(3));

    // Another tab opened notification 2, then read them all.
    bell.server.markRead([2]);
    const one = { type: 'read', id: notification(2).id };
    expect(Value.Check(NotificationServerMessage, one)).toBe(true);
    socket.deliver(one);
    await vi.waitFor(() => expect(bell.readSeqs()).toEqual([2]));
    await vi.waitFor(() => expect(bell.unreadCount()).toBe(2));

    bell.server.markRead([1, 3]);
    const all = { type: 'read', upTo: 3 };
    expect(Value.Check(NotificationServerMessage, all)).toBe(true);
    socket.deliver(all);
    await vi.waitFor(() => expect(bell.readSeqs()).toEqual([3, 2, 1]));
    await vi.waitFor(() => expect(bell.unreadCount()).toBe(0));
    bell.stop();
  });

  it('ignores a read frame that names nothing (one outside the contract)', async () => {
    const bell = harness();
    bell.stream.start();
    const socket = await bell.connected();
    const malformed = [{ type: 'read' }, { type: 'read', id: 2 }, { type: 'read', upTo: 0 }];
    for (const frame of malformed) {
      expect(Value.Check(NotificationServerMessage, frame)).toBe(false);
      socket.deliver(frame);
    }
    const valid = { type: 'read', upTo: 1 };
    socket.deliver(valid);
    expect(bell.pushedReads).toEqual([valid]);
    bell.stop();
  });

  it('reads the list again when it comes back after a drop: marks made meanwhile are not replayed', async () => {
    const bell = harness();
    bell.stream.start();
    const first = await bell.connected();
    await vi.waitFor(() => expect(bell.unreadCount()).toBe(3));
    first.drop();

    bell.server.markRead([1, 2, 3]);
    await vi.advanceTimersByTimeAsync(31_000);
    expect(bell.sockets).toHaveLength(2);
    await bell.connected();
    await vi.waitFor(() => expect(bell.unreadCount()).toBe(0));
    bell.stop();
  });
});
