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

export type PointChargeStatus = 'PENDING' | 'PAID' | 'FAILED' | 'REFUND_REQUESTED' | 'REFUNDED';

/** A points charge: paid at the PG like an order, with `chargeNumber` as the PG's order number. */
export interface PointCharge {
  chargeId: string;
  chargeNumber: string;
  /** Won paid at the PG = points credited once the payment is approved. */
  amount: number;
  status: PointChargeStatus;
  /** The PG window's label. */
  orderName: string;
  failureCode: string | null;
  failureMessage: string | null;
  createdAt: string;
  paidAt: string | null;
  refundRequestedAt: string | null;
  refundedAt: string | null;
}

export const POINT_CHARGES_PAGE_SIZE = 5;

/** Starts a charge (PENDING); the browser then pays it at the PG's checkout. */
export function createCharge(amount: number): Promise<PointCharge> {
  return api.post<PointCharge>('/api/users/me/points/charges', { amount });
}

export function myChargesQuery(paging: PageRequest) {
  return queryOptions({
    queryKey: ['me', 'points', 'charges', paging],
    queryFn: ({ signal }) =>
      api.get<Page<PointCharge>>('/api/users/me/points/charges', {
        query: { page: paging.page, size: paging.size },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

/** How often a result page looks again at a charge that is not credited yet. */
const CHARGE_POLL_MS = 1_000;

/** One charge; polls until it leaves PENDING when `pollWhilePending` (the credit follows the approval). */
export function chargeQuery(chargeNumber: string, pollWhilePending = false) {
  return queryOptions({
    queryKey: ['me', 'points', 'charge', chargeNumber],
    queryFn: ({ signal }) =>
      api.get<PointCharge>(`/api/users/me/points/charges/${encodeURIComponent(chargeNumber)}`, { signal }),
    refetchInterval: (query) =>
      pollWhilePending && query.state.data?.status === 'PENDING' ? CHARGE_POLL_MS : false,
  });
}

/** Refunds a paid, unused charge: its points are taken back and the payment refunded at the PG. */
export function refundCharge(chargeNumber: string): Promise<PointCharge> {
  return api.post<PointCharge>(`/api/users/me/points/charges/${encodeURIComponent(chargeNumber)}/refund`, {});
}
