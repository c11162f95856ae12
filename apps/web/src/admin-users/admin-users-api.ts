import type * as users from '@sagamart/contracts/http/users';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api } from '../api/client.ts';
import type { Page } from '../api/page.ts';
import type { UserId } from '../users/users-api.ts';
import type { AdminUserSearch } from './user-search.ts';

/** Admins see the same fields as the user's own profile. */
/** A user's profile with its version and point balance. */
export type AdminUser = Static<typeof users.AdminUserSchema>;

export type AdminUserChange = Static<typeof users.AdminUserChangeBody>;

export const adminUsersQueryPrefix = ['admin', 'users'] as const;

export function adminUsersQuery(search: AdminUserSearch) {
  return queryOptions({
    queryKey: [...adminUsersQueryPrefix, 'list', search],
    queryFn: ({ signal }) =>
      api.get<Page<AdminUser>>('/api/admin/users', {
        query: {
          searchText: search.searchText,
          status: search.status,
          grade: search.grade,
          page: search.page,
          size: search.size,
          sort: search.sort,
        },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

export function adminUserQuery(userId: string) {
  return queryOptions({
    queryKey: [...adminUsersQueryPrefix, 'detail', userId],
    queryFn: ({ signal }) => api.get<AdminUser>(`/api/admin/users/${encodeURIComponent(userId)}`, { signal }),
  });
}

export function updateAdminUser(userId: UserId, change: AdminUserChange): Promise<AdminUser> {
  return api.patch<AdminUser>(`/api/admin/users/${encodeURIComponent(userId)}`, change);
}
