import type * as orders from '@sagamart/contracts/http/orders';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api } from '../api/client.ts';
import type { Page } from '../api/page.ts';
import type { AdminOrderSearch } from './order-search.ts';

export type AdminOrderSummary = Static<typeof orders.AdminOrderSummary>;
/** An order with its owner, the admin's memo and its saga. */
export type AdminOrder = Static<typeof orders.AdminOrderDetail>;
/** The order's saga: where it is, what it calls next, and every participant call so far. */
export type SagaView = AdminOrder['saga'];
export type SagaPhase = SagaView['phase'];
export type SagaStep = SagaView['steps'][number];
export type SagaLogEntry = SagaView['log'][number];
/** A saga left in a transient phase for too long. */
export type StuckSaga = Static<typeof orders.StuckSaga>;

/** The server's limit for the memo. */
export const ADMIN_MEMO_MAX_LENGTH = 2000;

export const adminOrdersQueryPrefix = ['admin', 'orders'] as const;

export function adminOrdersQuery(search: AdminOrderSearch) {
  return queryOptions({
    queryKey: [...adminOrdersQueryPrefix, 'list', search],
    queryFn: ({ signal }) =>
      api.get<Page<AdminOrderSummary>>('/api/admin/orders', {
        query: {
          orderNumber: search.orderNumber,
          buyer: search.buyer,
          status: search.status,
          page: search.page,
          size: search.size,
        },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

/** By id or by order number. Polls while the saga is working (a transient phase). */
export function adminOrderQuery(id: string) {
  return queryOptions({
    queryKey: [...adminOrdersQueryPrefix, 'detail', id],
    queryFn: ({ signal }) => api.get<AdminOrder>(`/api/admin/orders/${encodeURIComponent(id)}`, { signal }),
    refetchInterval: (query) => (isWorking(query.state.data?.saga.phase) ? 2_000 : false),
  });
}

export const stuckSagasQuery = queryOptions({
  queryKey: [...adminOrdersQueryPrefix, 'stuck'],
  queryFn: ({ signal }) =>
    api.get<Page<StuckSaga>>('/api/admin/orders/stuck', { query: { page: 0, size: 20 }, signal }),
  refetchInterval: 15_000,
});

/** An empty memo clears it. */
export function setAdminMemo(id: string, memo: string): Promise<AdminOrder> {
  return api.put<AdminOrder>(`/api/admin/orders/${encodeURIComponent(id)}/memo`, { memo });
}

/** The server's limit for a cancel reason. */
export const CANCEL_REASON_MAX_LENGTH = 500;

/** ADMIN_CANCELLED with the admin's reason (the shopper reads it): releases everything; a paid order is refunded. */
export function adminCancelOrder(id: string, reason: string): Promise<AdminOrder> {
  const body: Static<typeof orders.AdminCancelBody> = { reason };
  return api.post<AdminOrder>(`/api/admin/orders/${encodeURIComponent(id)}/cancel`, body);
}

function isWorking(phase: SagaPhase | undefined): boolean {
  return phase === 'RESERVING' || phase === 'COMMITTING' || phase === 'COMPENSATING';
}
