import type * as dashboard from '@sagamart/contracts/http/dashboard';
import { queryOptions } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api } from '../api/client.ts';

/** The admin's figures: sales, orders by status, best sellers, low stock, open claims. */
export type AdminDashboard = Static<typeof dashboard.AdminDashboard>;

/** The figures move as events land: the open dashboard asks again this often. */
export const DASHBOARD_REFRESH_MS = 5_000;

export const adminDashboardQuery = queryOptions({
  queryKey: ['admin', 'dashboard'],
  queryFn: ({ signal }) => api.get<AdminDashboard>('/api/admin/dashboard', { signal }),
  refetchInterval: DASHBOARD_REFRESH_MS,
});
