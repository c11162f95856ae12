import { Anchor, Card, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { type AdminUser, adminUserQuery } from '../../admin-users/admin-users-api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { RoleBadge, UserGradeBadge, UserStatusBadge } from '../../ui/badges.tsx';
import { UserAccessForm } from './UserAccessForm.tsx';
import type { UserDetailLocationState } from './UsersTable.tsx';

export function UserDetailPage() {
  const { t } = useTranslation();
  const userId = useParams().id ?? '';
  const listSearch = (useLocation().state as UserDetailLocationState | null)?.listSearch ?? '';
  const user = useQuery(adminUserQuery(userId));

  return (
    <Stack gap="lg">
      <Anchor component={Link} to={`/admin/users${listSearch}`} size="sm">
        {t('adminUsers.detail.back')}
      </Anchor>
      {user.isPending && <Skeleton h={240} />}
      {user.isError && <ApiErrorAlert error={user.error} onRetry={() => void user.refetch()} />}
      {user.data && (
        <>
          <UserHeader user={user.data} />
          {/* Keyed by the server's values so the controls reset after every successful save. */}
          <UserAccessForm
            key={`${user.data.userId}:${user.data.status}:${user.data.grade}:${user.data.role}`}
            user={user.data}
          />
        </>
      )}
    </Stack>
  );
}

function UserHeader({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" align="flex-start" mb="md">
        <div>
          <Title order={1} size="h2">
            {user.name}
          </Title>
          <Text c="dimmed">{user.email}</Text>
        </div>
        <Group gap={6}>
          <RoleBadge role={user.role} />
          <UserStatusBadge status={user.status} />
          <UserGradeBadge grade={user.grade} />
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Fact label={t('adminUsers.detail.userId')}>{user.userId}</Fact>
        <Fact label={t('adminUsers.detail.phone')}>{user.phone ?? '—'}</Fact>
        <Fact label={t('adminUsers.detail.joined')}>{formatDateTime(user.createdAt)}</Fact>
      </SimpleGrid>
    </Card>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text mt={2}>{children}</Text>
    </div>
  );
}
