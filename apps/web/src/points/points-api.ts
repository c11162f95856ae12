// user-service's points shapes come from its schemas, as types only: nothing of them reaches the bundle.
import type * as points from '@sagamart/contracts/http/points';
import type * as users from '@sagamart/contracts/http/users';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api } from '../api/client.ts';
import type { Page, PageRequest } from '../api/page.ts';

/** A ledger movement; `type` is server-defined (CHARGE, USE, REFUND, ...) and unknown ones are shown as-is. */
export type PointLedgerEntry = Static<typeof users.LedgerEntrySchema>;

/** The balance and a page of the ledger. */
export type MyPoints = Static<typeof points.MyPointsSchema>;

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

export type PointChargeStatus = Static<typeof points.PointChargeStatusSchema>;

/** A points charge: paid at the PG like an order, with `chargeNumber` as the PG's order number. */
export type PointCharge = Static<typeof points.PointChargeSchema>;

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

/**
 * Gives up an unpaid charge (the PG window was closed): CANCELLED at once instead of expiring later;
 * a payment approved after all is refunded. Cancelling a cancelled charge answers it unchanged.
 */
export function cancelCharge(chargeNumber: string): Promise<PointCharge> {
  return api.post<PointCharge>(`/api/users/me/points/charges/${encodeURIComponent(chargeNumber)}/cancel`, {});
}
