import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { Page, PageRequest } from '../api/page.ts';
import type { DiscountTerms } from './discount.ts';

/** A coupon as the shopper sees it; EXPIRED is derived by the server from validTo. */
export const MY_COUPON_STATUSES = ['ISSUED', 'RESERVED', 'USED', 'RESTORED', 'EXPIRED'] as const;
export type MyCouponStatus = (typeof MY_COUPON_STATUSES)[number];

export interface MyCoupon extends DiscountTerms {
  /** The coupon's id: what an order's `couponId` names (a user holds at most one of each). */
  couponId: number;
  code: string;
  name: string;
  validFrom: string;
  validTo: string;
  status: MyCouponStatus;
  /** Can go into an order now (usable state, coupon active, within its validity). */
  usable: boolean;
  /** The order it is reserved for or was used on. */
  orderId: string | null;
  issuedAt: string;
  reservedAt: string | null;
  usedAt: string | null;
  restoredAt: string | null;
}

export const MY_COUPONS_PAGE_SIZE = 10;
/** The server's page size limit: checkout offers the usable ones among this many. */
const CHECKOUT_COUPON_LIMIT = 100;

export const myCouponsQueryPrefix = ['me', 'coupons'] as const;

export function myCouponsQuery(status: MyCouponStatus, paging: PageRequest) {
  return queryOptions({
    queryKey: [...myCouponsQueryPrefix, status, paging],
    queryFn: ({ signal }) =>
      api.get<Page<MyCoupon>>('/api/promotion/coupons', {
        query: { status, page: paging.page, size: paging.size },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

/** The coupons that can go into an order right now, for the checkout picker. */
export const usableCouponsQuery = queryOptions({
  queryKey: [...myCouponsQueryPrefix, 'usable'],
  queryFn: async ({ signal }) => {
    const page = await api.get<Page<MyCoupon>>('/api/promotion/coupons', {
      query: { page: 0, size: CHECKOUT_COUPON_LIMIT },
      signal,
    });
    return page.content.filter((coupon) => coupon.usable);
  },
});

export function claimCoupon(couponCode: string): Promise<MyCoupon> {
  return api.post<MyCoupon>('/api/promotion/coupons/claim', { couponCode });
}
