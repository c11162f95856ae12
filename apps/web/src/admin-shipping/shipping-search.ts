import { pageParamValue, readPageIndex } from '../lib/page-param.ts';
import { compactParams, oneOf } from '../lib/search-params.ts';
import { CLAIM_STATUSES, SHIPMENT_COURIER_STATUSES, SHIPMENT_STATUSES } from '../orders/after-sale-api.ts';
import type { AdminClaimSearch, AdminShipmentSearch } from './admin-shipping-api.ts';

// The lists' filters and paging live in the URL, so views can be shared and reloaded.

const PAGE_SIZE = 20;

export function parseShipmentSearch(params: URLSearchParams): AdminShipmentSearch {
  return {
    status: oneOf(params.get('status'), SHIPMENT_STATUSES) ?? '',
    courierStatus: oneOf(params.get('courierStatus'), SHIPMENT_COURIER_STATUSES) ?? '',
    orderNumber: params.get('orderNumber') ?? '',
    page: readPageIndex(params),
    size: PAGE_SIZE,
  };
}

export function shipmentSearchParams(search: AdminShipmentSearch): URLSearchParams {
  return compactParams({
    status: search.status,
    courierStatus: search.courierStatus,
    orderNumber: search.orderNumber,
    page: pageParamValue(search.page),
  });
}

export function parseClaimSearch(params: URLSearchParams): AdminClaimSearch {
  return {
    status: oneOf(params.get('status'), CLAIM_STATUSES) ?? '',
    orderNumber: params.get('orderNumber') ?? '',
    page: readPageIndex(params),
    size: PAGE_SIZE,
  };
}

export function claimSearchParams(search: AdminClaimSearch): URLSearchParams {
  return compactParams({
    status: search.status,
    orderNumber: search.orderNumber,
    page: pageParamValue(search.page),
  });
}
