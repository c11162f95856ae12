import { Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { adminUsersQuery } from '../../admin-users/admin-users-api.ts';
import { type AdminUserSearch, parseAdminUserSearch, toSearchParams } from '../../admin-users/user-search.ts';
import { formatCount } from '../../lib/format.ts';
import { PagedResults } from '../../ui/PagedResults.tsx';
import { UserFilters } from './UserFilters.tsx';
import { UsersTable } from './UsersTable.tsx';

export function UsersPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const search = parseAdminUserSearch(params);
  const users = useQuery(adminUsersQuery(search));

  /** Any filter change starts again from the first page. */
  const changeSearch = (change: Partial<AdminUserSearch>) =>
    setParams(toSearchParams({ ...search, page: 0, ...change }));

  const result = users.data;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {t('adminUsers.list.title')}
        </Title>
        {result && (
          <Text size="sm" c="dimmed" aria-live="polite">
            {t(result.totalElements === 1 ? 'adminUsers.list.countOne' : 'adminUsers.list.count', {
              total: formatCount(result.totalElements),
            })}
          </Text>
        )}
      </Group>

      <UserFilters search={search} onChange={changeSearch} />
      <PagedResults
        query={users}
        label={t('adminUsers.list.pages')}
        current={search.page}
        onPage={(page) => changeSearch({ page })}
      >
        {(rows) => <UsersTable users={rows} />}
      </PagedResults>
    </Stack>
  );
}
