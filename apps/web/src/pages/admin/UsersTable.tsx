import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import type { AdminUser } from '../../admin-users/admin-users-api.ts';
import { formatDate } from '../../lib/format.ts';
import { RoleBadge, UserGradeBadge, UserStatusBadge } from '../../ui/badges.tsx';
import { type DataColumn, DataTable } from '../../ui/DataTable.tsx';

/** Where a detail page's "Back" link returns to: the list with the same filters. */
export interface UserDetailLocationState {
  listSearch?: string;
}

export function UsersTable({ users }: { users: AdminUser[] }) {
  const { t } = useTranslation();
  const { search } = useLocation();
  if (users.length === 0) {
    return (
      <Text c="dimmed" p="lg">
        {t('adminUsers.list.empty')}
      </Text>
    );
  }
  const columns: DataColumn<AdminUser>[] = [
    {
      key: 'email',
      header: t('adminUsers.list.column.email'),
      phone: 'title',
      cell: (user) => (
        <Anchor
          component={Link}
          to={`/admin/users/${encodeURIComponent(user.userId)}`}
          state={{ listSearch: search } satisfies UserDetailLocationState}
          fw={500}
        >
          {user.email}
        </Anchor>
      ),
    },
    { key: 'name', header: t('adminUsers.list.column.name'), cell: (user) => user.name },
    { key: 'phone', header: t('adminUsers.list.column.phone'), cell: (user) => user.phone ?? '—' },
    { key: 'role', header: t('adminUsers.list.column.role'), cell: (user) => <RoleBadge role={user.role} /> },
    {
      key: 'status',
      header: t('adminUsers.list.column.status'),
      phone: 'status',
      cell: (user) => <UserStatusBadge status={user.status} />,
    },
    {
      key: 'grade',
      header: t('adminUsers.list.column.grade'),
      cell: (user) => <UserGradeBadge grade={user.grade} />,
    },
    {
      key: 'joined',
      header: t('adminUsers.list.column.joined'),
      phone: 'date',
      cell: (user) => formatDate(user.createdAt),
    },
  ];
  return (
    <DataTable
      label={t('adminUsers.list.table')}
      columns={columns}
      rows={users}
      rowKey={(user) => user.userId}
      minWidth={760}
      highlightOnHover
      verticalSpacing="sm"
    />
  );
}
