import type { NotificationView, UnreadCount } from '@sagamart/contracts';
import { queryOptions } from '@tanstack/react-query';
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

/** The kinds about one of my own orders (the admin kinds are about other people's). */
export function isAboutMyOrder(notification: Pick<NotificationView, 'kind'>): boolean {
  return !notification.kind.startsWith('ADMIN_');
}
