import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { Page, PageRequest } from '../api/page.ts';

/** Server-defined movement kinds (CHARGE, USE, REFUND, ...); unknown ones are shown as-is. */
export type PointEntryType = string;

export interface PointLedgerEntry {
  id: string | number;
  type: PointEntryType;
  /** Signed won: positive adds to the balance. */
  amount: number;
  balanceAfter: number;
  reason: string | null;
  createdAt: string;
}

export interface MyPoints {
  balance: number;
  ledger: Page<PointLedgerEntry>;
}

export const POINT_LEDGER_PAGE_SIZE = 10;

export function myPointsQuery(paging: PageRequest) {
  return queryOptions({
    queryKey: ['me', 'points', paging],
    queryFn: ({ signal }) =>
      api.get<MyPoints>('/api/users/me/points', { query: { page: paging.page, size: paging.size }, signal }),
    placeholderData: keepPreviousData,
  });
}

/** Every cached points page, so a charge refreshes the balance and the ledger together. */
export const myPointsQueryPrefix = ['me', 'points'] as const;

export function chargePoints(amount: number): Promise<unknown> {
  return api.post<unknown>('/api/users/me/points/charge', { amount });
}
