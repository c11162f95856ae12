import type { NotificationReadMessage, NotificationView, UnreadCount } from '@sagamart/contracts';
import { type QueryClient, queryOptions } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { Page } from '../api/page.ts';

export type { NotificationView } from '@sagamart/contracts';

export const notificationsQueryPrefix = ['me', 'notifications'] as const;
/** The bell shows the newest ones; older ones are of little use in a dropdown. */
export const BELL_PAGE_SIZE = 20;

export function myNotificationsQuery() {
  return queryOptions({
    queryKey: [...notificationsQueryPrefix, 'list'],
    queryFn: ({ signal }) =>
      api.get<Page<NotificationView>>('/api/notifications', {
        query: { page: 0, size: BELL_PAGE_SIZE },
        signal,
      }),
  });
}

export function unreadCountQuery() {
  return queryOptions({
    queryKey: [...notificationsQueryPrefix, 'unread-count'],
    queryFn: ({ signal }) => api.get<UnreadCount>('/api/notifications/unread-count', { signal }),
  });
}

export function markNotificationRead(id: string): Promise<void> {
  return api.post<void>(`/api/notifications/${encodeURIComponent(id)}/read`);
}

export function markAllNotificationsRead(): Promise<void> {
  return api.post<void>('/api/notifications/read-all');
}

/**
 * A read mark the server pushed (made in this tab or in another tab or device): the cached list shows
 * them read at once, as a read notification never turns unread again; the unread count, which may
 * take in ones beyond the list, is read anew, and so is the list.
 */
export async function applyReadMark(queryClient: QueryClient, read: NotificationReadMessage): Promise<void> {
  const all = { queryKey: notificationsQueryPrefix };
  // A read in flight may have left before the mark; cancelled first, or its answer would undo the mark.
  await queryClient.cancelQueries(all);
  const marked = (n: NotificationView) => ('id' in read ? n.id === read.id : n.seq <= read.upTo);
  queryClient.setQueriesData<Page<NotificationView>>({ queryKey: myNotificationsQuery().queryKey }, (page) =>
    page
      ? { ...page, content: page.content.map((n) => (!n.read && marked(n) ? { ...n, read: true } : n)) }
      : page,
  );
  await queryClient.invalidateQueries(all);
}

/** The kinds about one of my own orders (the admin kinds are about other people's). */
export function isAboutMyOrder(notification: Pick<NotificationView, 'kind'>): boolean {
  return !notification.kind.startsWith('ADMIN_');
}
