import { pageParamValue, readPageIndex } from '../lib/page-param.ts';
import { compactParams, oneOf } from '../lib/search-params.ts';
import { PAYMENT_STATUSES, type PaymentStatus } from '../payments/payments-api.ts';

// The list's filters and paging live in the URL, so views can be shared and reloaded.

export interface AdminPaymentSearch {
  /** The whole order number or a part of it. */
  orderNumber: string;
  status: PaymentStatus | '';
  page: number;
  size: number;
}

const PAGE_SIZE = 20;

export function parseAdminPaymentSearch(params: URLSearchParams): AdminPaymentSearch {
  return {
    orderNumber: params.get('orderNumber') ?? '',
    status: oneOf(params.get('status'), PAYMENT_STATUSES) ?? '',
    page: readPageIndex(params),
    size: PAGE_SIZE,
  };
}

export function adminPaymentSearchParams(search: AdminPaymentSearch): URLSearchParams {
  return compactParams({
    orderNumber: search.orderNumber,
    status: search.status,
    page: pageParamValue(search.page),
  });
}
