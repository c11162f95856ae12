// shipping-service's admin shapes: types only, from its schemas.
import type * as shipping from '@sagamart/contracts/http/shipping';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api } from '../api/client.ts';
import type { Page } from '../api/page.ts';
import type {
  ClaimStatus,
  ClaimType,
  ShipmentCourierStatus,
  ShipmentStatus,
} from '../orders/after-sale-api.ts';

export type AdminShipment = Static<typeof shipping.AdminShipmentView>;
export type AdminClaim = Static<typeof shipping.AdminClaimView>;
export type IssueWaybillsResult = Static<typeof shipping.IssueWaybillsResult>;

export interface AdminShipmentSearch {
  status: ShipmentStatus | '';
  courierStatus: ShipmentCourierStatus | '';
  orderNumber: string;
  page: number;
  size: number;
}

export interface AdminClaimSearch {
  status: ClaimStatus | '';
  orderNumber: string;
  page: number;
  size: number;
}

export const adminShippingQueryPrefix = ['admin', 'shipping'] as const;

export function adminShipmentsQuery(search: AdminShipmentSearch) {
  return queryOptions({
    queryKey: [...adminShippingQueryPrefix, 'shipments', search],
    queryFn: ({ signal }) =>
      api.get<Page<AdminShipment>>('/api/admin/shipping', {
        query: {
          status: search.status,
          courierStatus: search.courierStatus,
          orderNumber: search.orderNumber,
          page: search.page,
          size: search.size,
        },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

/** Waybills for READY shipments, in one courier call; each shipment answers on its own. */
export function issueWaybills(shipmentIds: string[]): Promise<IssueWaybillsResult> {
  return api.post<IssueWaybillsResult>('/api/admin/shipping/waybills', { shipmentIds });
}

/**
 * Resume a waybill's tracking now: the mark of a waybill the courier did not know is cleared and the
 * courier asked at once (409 when the parcel is no longer tracked).
 */
export function resumeTracking(shipmentId: string): Promise<AdminShipment> {
  return api.post<AdminShipment>(`/api/admin/shipping/${encodeURIComponent(shipmentId)}/tracking/resume`, {});
}

/** The URL segment of a claim type's queue. */
export const CLAIM_QUEUE_PATH: Record<ClaimType, 'returns' | 'exchanges'> = {
  RETURN: 'returns',
  EXCHANGE: 'exchanges',
};

export function adminClaimsQuery(type: ClaimType, search: AdminClaimSearch) {
  return queryOptions({
    queryKey: [...adminShippingQueryPrefix, CLAIM_QUEUE_PATH[type], search],
    queryFn: ({ signal }) =>
      api.get<Page<AdminClaim>>(`/api/admin/shipping/${CLAIM_QUEUE_PATH[type]}`, {
        query: {
          status: search.status,
          orderNumber: search.orderNumber,
          page: search.page,
          size: search.size,
        },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

/** Approve (a pickup waybill is issued; an exchange reserves the new option, 409 when it is sold out). */
export function approveClaim(type: ClaimType, claimId: string) {
  return api.post<AdminClaim>(
    `/api/admin/shipping/${CLAIM_QUEUE_PATH[type]}/${encodeURIComponent(claimId)}/approve`,
    {},
  );
}

/** Reject with the reason the shopper reads. */
export function rejectClaim(type: ClaimType, claimId: string, reason: string) {
  return api.post<AdminClaim>(
    `/api/admin/shipping/${CLAIM_QUEUE_PATH[type]}/${encodeURIComponent(claimId)}/reject`,
    { reason },
  );
}
