import { pageParamValue, readPageIndex } from '../lib/page-param.ts';
import { compactParams, oneOf } from '../lib/search-params.ts';
import { ORDER_STATUSES, type OrderStatus } from '../orders/orders-api.ts';

// The list's filters and paging live in the URL, so views can be shared and reloaded.

export interface AdminOrderSearch {
  /** The whole order number or a part of it. */
  orderNumber: string;
  /** (Part of) the buyer's e-mail or name. */
  buyer: string;
  status: OrderStatus | '';
  page: number;
  size: number;
}

const PAGE_SIZE = 20;

export function parseAdminOrderSearch(params: URLSearchParams): AdminOrderSearch {
  return {
    orderNumber: params.get('orderNumber') ?? '',
    buyer: params.get('buyer') ?? '',
    status: oneOf(params.get('status'), ORDER_STATUSES) ?? '',
    page: readPageIndex(params),
    size: PAGE_SIZE,
  };
}

export function adminOrderSearchParams(search: AdminOrderSearch): URLSearchParams {
  return compactParams({
    orderNumber: search.orderNumber,
    buyer: search.buyer,
    status: search.status,
    page: pageParamValue(search.page),
  });
}
