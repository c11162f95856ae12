import { pageParamValue, readPageIndex } from '../lib/page-param.ts';
import { USER_GRADES, USER_STATUSES, type UserGrade, type UserStatus } from '../users/user-enums.ts';

/** The admin user list's filters and paging; lives in the URL so views can be shared and reloaded. */
export interface AdminUserSearch {
  searchText: string;
  status: UserStatus | '';
  grade: UserGrade | '';
  /** Zero-based, as the API expects (the URL shows it one-based). */
  page: number;
  size: number;
  sort: string;
}

/** Each sort with its wording under `adminUsers.filters.sortBy`. */
export const ADMIN_USER_SORTS = [
  { value: 'createdAt,desc', labelKey: 'newest' },
  { value: 'createdAt,asc', labelKey: 'oldest' },
  { value: 'email,asc', labelKey: 'email' },
  { value: 'name,asc', labelKey: 'name' },
] as const;

export const ADMIN_USER_PAGE_SIZES = [10, 20, 50] as const;

export const DEFAULT_ADMIN_USER_SEARCH: AdminUserSearch = {
  searchText: '',
  status: '',
  grade: '',
  page: 0,
  size: 20,
  sort: 'createdAt,desc',
};

export function parseAdminUserSearch(params: URLSearchParams): AdminUserSearch {
  const defaults = DEFAULT_ADMIN_USER_SEARCH;
  return {
    searchText: params.get('searchText') ?? defaults.searchText,
    status: oneOf(params.get('status'), USER_STATUSES) ?? defaults.status,
    grade: oneOf(params.get('grade'), USER_GRADES) ?? defaults.grade,
    page: readPageIndex(params),
    size: oneOf(Number(params.get('size')), ADMIN_USER_PAGE_SIZES) ?? defaults.size,
    sort:
      oneOf(
        params.get('sort'),
        ADMIN_USER_SORTS.map((sort) => sort.value),
      ) ?? defaults.sort,
  };
}

/** Only non-default values go into the URL, keeping links short. */
export function toSearchParams(search: AdminUserSearch): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of Object.keys(search) as (keyof AdminUserSearch)[]) {
    const value = search[key];
    if (value === DEFAULT_ADMIN_USER_SEARCH[key]) continue;
    params.set(key, key === 'page' ? (pageParamValue(search.page) ?? '') : String(value));
  }
  return params;
}

function oneOf<T extends string | number>(value: unknown, allowed: readonly T[]): T | undefined {
  return allowed.find((candidate) => candidate === value);
}
