import { notifications as toasts } from '@mantine/notifications';
import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react';
import { refetchAfterPush } from '../app/query-client.ts';
import { session } from '../auth/session.ts';
import { useSession } from '../auth/use-session.ts';
import { myOrdersQueryPrefix } from '../orders/orders-api.ts';
import { orderPaymentsQueryPrefix } from '../payments/payments-api.ts';
import { NotificationStream, notificationSocketUrl, type StreamStatus } from './notification-stream.ts';
import { notificationText } from './notification-text.ts';
import {
  applyReadMark,
  isAboutMyOrder,
  myNotificationsQuery,
  notificationsQueryPrefix,
} from './notifications-api.ts';

const StatusContext = createContext<StreamStatus | null>(null);

/** The live connection's state: null when signed out. */
export function useNotificationStatus(): StreamStatus | null {
  return useContext(StatusContext);
}

/**
 * For a page that follows one of my orders: whether pushes are arriving (then it need not poll; each
 * notification about the order refreshes it). Each time the socket comes online again after the page
 * mounted (the first connection, a reconnect), the order (`queryKey`, none yet: null) is read once
 * more: a change made while the socket was connecting, before its resume point, is never pushed.
 */
export function useLiveOrderUpdates(queryKey: QueryKey | null): boolean {
  const queryClient = useQueryClient();
  const live = useNotificationStatus() === 'online';
  const wasLive = useRef(live);
  const latestKey = useRef(queryKey);
  latestKey.current = queryKey;
  useEffect(() => {
    if (live && !wasLive.current && latestKey.current)
      void refetchAfterPush(queryClient, { queryKey: latestKey.current });
    wasLive.current = live;
  }, [live, queryClient]);
  return live;
}

/**
 * Holds the notification socket while someone is signed in. Each notification refreshes the bell
 * and every view of the order it is about (my orders, the order detail, its payments on the payment
 * result page): the push replaces polling. Read marks made in any of the user's tabs update the bell.
 */
export function NotificationCenter({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const userId = user?.id;
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<StreamStatus | null>(null);

  useEffect(() => {
    if (!userId) {
      setStatus(null);
      return;
    }
    const stream = new NotificationStream({
      url: notificationSocketUrl(),
      token: () => session.getAccessToken(),
      // Resume after the newest one already listed: the first connection replays nothing old.
      baseline: async () => (await queryClient.fetchQuery(myNotificationsQuery())).content[0]?.seq ?? 0,
      onNotification: (notification) => {
        void refetchAfterPush(queryClient, { queryKey: notificationsQueryPrefix });
        if (!isAboutMyOrder(notification)) return;
        if (notification.orderId) void refetchAfterPush(queryClient, { queryKey: myOrdersQueryPrefix });
        if (notification.orderNumber)
          void refetchAfterPush(queryClient, {
            queryKey: [...orderPaymentsQueryPrefix, notification.orderNumber],
          });
        const text = notificationText(notification);
        toasts.show({ title: text.title, message: text.body, color: 'teal' });
      },
      onReset: () => {
        void refetchAfterPush(queryClient, { queryKey: notificationsQueryPrefix });
        void refetchAfterPush(queryClient, { queryKey: myOrdersQueryPrefix });
        void refetchAfterPush(queryClient, { queryKey: orderPaymentsQueryPrefix });
      },
      onRead: (read) => void applyReadMark(queryClient, read),
      onReconnected: () => void refetchAfterPush(queryClient, { queryKey: notificationsQueryPrefix }),
      onStatus: setStatus,
    });
    stream.start();
    return () => stream.stop();
  }, [userId, queryClient]);

  return <StatusContext.Provider value={status}>{children}</StatusContext.Provider>;
}
