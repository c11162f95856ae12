import { Anchor, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import type { AdminUser } from '../../admin-users/admin-users-api.ts';
import { formatDate } from '../../lib/format.ts';
import { RoleBadge, UserGradeBadge, UserStatusBadge } from '../../ui/badges.tsx';

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
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table highlightOnHover verticalSpacing="sm" aria-label={t('adminUsers.list.table')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('adminUsers.list.column.email')}</Table.Th>
            <Table.Th>{t('adminUsers.list.column.name')}</Table.Th>
            <Table.Th>{t('adminUsers.list.column.phone')}</Table.Th>
            <Table.Th>{t('adminUsers.list.column.role')}</Table.Th>
            <Table.Th>{t('adminUsers.list.column.status')}</Table.Th>
            <Table.Th>{t('adminUsers.list.column.grade')}</Table.Th>
            <Table.Th>{t('adminUsers.list.column.joined')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((user) => (
            <Table.Tr key={user.userId}>
              <Table.Td>
                <Anchor
                  component={Link}
                  to={`/admin/users/${encodeURIComponent(user.userId)}`}
                  state={{ listSearch: search } satisfies UserDetailLocationState}
                  fw={500}
                >
                  {user.email}
                </Anchor>
              </Table.Td>
              <Table.Td>{user.name}</Table.Td>
              <Table.Td>{user.phone ?? '—'}</Table.Td>
              <Table.Td>
                <RoleBadge role={user.role} />
              </Table.Td>
              <Table.Td>
                <UserStatusBadge status={user.status} />
              </Table.Td>
              <Table.Td>
                <UserGradeBadge grade={user.grade} />
              </Table.Td>
              <Table.Td>{formatDate(user.createdAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
