import { Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { adminUsersQuery } from '../../admin-users/admin-users-api.ts';
import { type AdminUserSearch, parseAdminUserSearch, toSearchParams } from '../../admin-users/user-search.ts';
import { PagedResults } from '../../ui/PagedResults.tsx';
import { UserFilters } from './UserFilters.tsx';
import { UsersTable } from './UsersTable.tsx';

export function UsersPage() {
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
          Users
        </Title>
        {result && (
          <Text size="sm" c="dimmed" aria-live="polite">
            {result.totalElements.toLocaleString('en-US')} {result.totalElements === 1 ? 'user' : 'users'}
          </Text>
        )}
      </Group>

      <UserFilters search={search} onChange={changeSearch} />
      <PagedResults
        query={users}
        label="User list pages"
        current={search.page}
        onPage={(page) => changeSearch({ page })}
      >
        {(rows) => <UsersTable users={rows} />}
      </PagedResults>
    </Stack>
  );
}
