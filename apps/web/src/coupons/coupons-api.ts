import type * as promotions from '@sagamart/contracts/http/promotions';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api } from '../api/client.ts';
import type { Page, PageRequest } from '../api/page.ts';
import { serverEnum } from '../api/server-enum.ts';

/** A coupon as the shopper sees it; EXPIRED is derived by the server from validTo. */
export type MyCouponStatus = Static<typeof promotions.CouponDisplayStatusSchema>;
export const MY_COUPON_STATUSES = serverEnum<MyCouponStatus>()([
  'ISSUED',
  'RESERVED',
  'USED',
  'RESTORED',
  'EXPIRED',
]);

/** A coupon I hold; `usable` says whether an order may use it now. */
export type MyCoupon = Static<typeof promotions.MyCouponSchema>;

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
