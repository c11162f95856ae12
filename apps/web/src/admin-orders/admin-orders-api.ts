import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { Page } from '../api/page.ts';
import type { Order, OrderStatus, OrderSummary } from '../orders/orders-api.ts';
import type { AdminOrderSearch } from './order-search.ts';

export interface AdminOrderSummary extends OrderSummary {
  userId: string;
}

export type SagaPhase =
  | 'RESERVING'
  | 'AWAITING_PAYMENT'
  | 'COMMITTING'
  | 'COMPENSATING'
  | 'COMPLETED'
  | 'COMPENSATED';
export type SagaStep = 'stock' | 'coupon' | 'points';

export interface SagaLogEntry {
  action: 'reserve' | 'commit' | 'compensate';
  step: SagaStep;
  outcome: 'DONE' | 'REFUSED' | 'FAILED';
  attempt: number;
  detail: string | null;
  at: string;
}

/** The order's saga: where it is, what it calls next, and every participant call so far. */
export interface SagaView {
  phase: SagaPhase;
  steps: SagaStep[];
  compensations: SagaStep[];
  current: { kind: string; step: SagaStep } | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  phaseSince: string;
  log: SagaLogEntry[];
}

export interface AdminOrder extends Order {
  userId: string;
  adminMemo: string | null;
  saga: SagaView;
}

/** A saga left in a transient phase for too long. */
export interface StuckSaga {
  orderId: string;
  orderNumber: string;
  status: OrderStatus;
  phase: SagaPhase;
  current: { kind: string; step: SagaStep } | null;
  attempts: number;
  lastError: string | null;
  phaseSince: string;
  nextAttemptAt: string;
  stuckForSeconds: number;
}

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

/** ADMIN_CANCELLED: releases everything; a paid order is refunded. */
export function adminCancelOrder(id: string): Promise<AdminOrder> {
  return api.post<AdminOrder>(`/api/admin/orders/${encodeURIComponent(id)}/cancel`);
}

function isWorking(phase: SagaPhase | undefined): boolean {
  return phase === 'RESERVING' || phase === 'COMMITTING' || phase === 'COMPENSATING';
}
