import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { Page } from '../api/page.ts';
import type { Payment } from '../payments/payments-api.ts';
import type { AdminPaymentSearch } from './payment-search.ts';

export function adminPaymentsQuery(search: AdminPaymentSearch) {
  return queryOptions({
    queryKey: ['admin', 'payments', 'list', search],
    queryFn: ({ signal }) =>
      api.get<Page<Payment>>('/api/admin/payments', {
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
