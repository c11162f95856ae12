import {
  ActionIcon,
  Button,
  Group,
  Indicator,
  Popover,
  ScrollArea,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { formatDateTime } from '../lib/format.ts';
import { useNotificationStatus } from './NotificationCenter.tsx';
import { notificationText } from './notification-text.ts';
import {
  markAllNotificationsRead,
  markNotificationRead,
  myNotificationsQuery,
  type NotificationView,
  notificationsQueryPrefix,
  unreadCountQuery,
} from './notifications-api.ts';

/** The header's bell: unread count, the newest notifications, mark read; shows when the live link is down. */
export function NotificationBell() {
  const [opened, setOpened] = useState(false);
  const { t } = useTranslation();
  const status = useNotificationStatus();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const unread = useQuery(unreadCountQuery());
  const list = useQuery({ ...myNotificationsQuery(), enabled: opened });
  const count = unread.data?.count ?? 0;
  const refresh = () => queryClient.invalidateQueries({ queryKey: notificationsQueryPrefix });

  const readOne = useMutation({ mutationFn: markNotificationRead, onSettled: refresh });
  const readAll = useMutation({ mutationFn: markAllNotificationsRead, onSettled: refresh });

  const open = (notification: NotificationView) => {
    if (!notification.read) readOne.mutate(notification.id);
    setOpened(false);
    void navigate(notification.link);
  };

  const offline = status === 'offline';
  return (
    <Group gap={4} wrap="nowrap">
      {offline && (
        <Text size="xs" c="red.7" data-testid="notification-status" title={t('notifications.offlineText')}>
          {t('notifications.offline')}
        </Text>
      )}
      <Popover opened={opened} onChange={setOpened} position="bottom-end" width={340} shadow="md">
        <Popover.Target>
          <Indicator
            label={<span data-testid="notification-count">{count > 99 ? '99+' : count}</span>}
            size={18}
            disabled={count === 0}
            color="red"
          >
            <ActionIcon
              variant="subtle"
              size="lg"
              aria-label={count > 0 ? t('notifications.unread', { count }) : t('notifications.label')}
              onClick={() => setOpened((o) => !o)}
            >
              <BellIcon />
            </ActionIcon>
          </Indicator>
        </Popover.Target>
        <Popover.Dropdown p="xs">
          <Group justify="space-between" mb="xs">
            <Text fw={600}>{t('notifications.title')}</Text>
            <Button
              size="compact-xs"
              variant="subtle"
              disabled={count === 0 || readAll.isPending}
              onClick={() => readAll.mutate()}
            >
              {t('notifications.readAll')}
            </Button>
          </Group>
          <ScrollArea.Autosize mah={380}>
            <Stack gap={2} role="list" aria-label={t('notifications.list')}>
              {list.isPending && (
                <Text size="sm" c="dimmed">
                  {t('common.loading')}
                </Text>
              )}
              {list.isError && (
                <Text size="sm" c="red">
                  {t('notifications.loadFailed')}
                </Text>
              )}
              {list.data?.content.length === 0 && (
                <Text size="sm" c="dimmed">
                  {t('notifications.empty')}
                </Text>
              )}
              {list.data?.content.map((n) => {
                const text = notificationText(n);
                return (
                  <UnstyledButton
                    key={n.id}
                    role="listitem"
                    onClick={() => open(n)}
                    p="xs"
                    style={{
                      borderRadius: 6,
                      background: n.read ? undefined : 'var(--mantine-color-teal-0)',
                    }}
                  >
                    <Text size="sm" fw={n.read ? 400 : 700}>
                      {text.title}
                    </Text>
                    <Text size="xs" c="dimmed" lineClamp={2}>
                      {text.body}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {formatDateTime(n.createdAt)}
                    </Text>
                  </UnstyledButton>
                );
              })}
            </Stack>
          </ScrollArea.Autosize>
        </Popover.Dropdown>
      </Popover>
    </Group>
  );
}

function BellIcon() {
  return (
    <svg
      width="22"
      height="22"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      aria-hidden="true"
    >
      <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}
