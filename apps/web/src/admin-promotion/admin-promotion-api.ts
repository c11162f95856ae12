import type * as promotions from '@sagamart/contracts/http/promotions';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api } from '../api/client.ts';
import type { Page } from '../api/page.ts';
import { serverEnum } from '../api/server-enum.ts';
import type { PromotionStatus } from '../coupons/discount.ts';

export type PolicyTarget = Static<typeof promotions.PolicyTargetSchema>;
export const POLICY_TARGETS = serverEnum<PolicyTarget>()(['PRODUCT', 'CATEGORY', 'ORDER']);

export type Coupon = Static<typeof promotions.CouponSchema>;
export type CouponInput = Static<typeof promotions.CouponInputSchema>;
export type Policy = Static<typeof promotions.PolicySchema>;
export type PolicyInput = Static<typeof promotions.PolicyInputSchema>;

export interface CouponSearch {
  q: string;
  status: PromotionStatus | '';
  page: number;
  size: number;
}

export interface PolicySearch {
  targetType: PolicyTarget | '';
  status: PromotionStatus | '';
  page: number;
  size: number;
}

export const adminCouponsQueryPrefix = ['admin', 'coupons'] as const;
export const adminPoliciesQueryPrefix = ['admin', 'policies'] as const;

export function adminCouponsQuery(search: CouponSearch) {
  return queryOptions({
    queryKey: [...adminCouponsQueryPrefix, 'list', search],
    queryFn: ({ signal }) =>
      api.get<Page<Coupon>>('/api/admin/promotion/coupons', {
        query: { q: search.q, status: search.status, page: search.page, size: search.size },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

export function adminCouponQuery(id: number) {
  return queryOptions({
    queryKey: [...adminCouponsQueryPrefix, 'detail', id],
    queryFn: ({ signal }) => api.get<Coupon>(`/api/admin/promotion/coupons/${id}`, { signal }),
  });
}

export function createCoupon(input: CouponInput): Promise<Coupon> {
  return api.post<Coupon>('/api/admin/promotion/coupons', input);
}

export function updateCoupon(id: number, input: CouponInput): Promise<Coupon> {
  return api.put<Coupon>(`/api/admin/promotion/coupons/${id}`, input);
}

/** Only a coupon nobody holds can be deleted (409 otherwise: set it INACTIVE instead). */
export function deleteCoupon(id: number): Promise<void> {
  return api.delete<void>(`/api/admin/promotion/coupons/${id}`);
}

export function adminPoliciesQuery(search: PolicySearch) {
  return queryOptions({
    queryKey: [...adminPoliciesQueryPrefix, 'list', search],
    queryFn: ({ signal }) =>
      api.get<Page<Policy>>('/api/admin/promotion/policies', {
        query: {
          targetType: search.targetType,
          status: search.status,
          page: search.page,
          size: search.size,
        },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

export function adminPolicyQuery(id: number) {
  return queryOptions({
    queryKey: [...adminPoliciesQueryPrefix, 'detail', id],
    queryFn: ({ signal }) => api.get<Policy>(`/api/admin/promotion/policies/${id}`, { signal }),
  });
}

/** The server checks that a PRODUCT or CATEGORY target exists (422 TARGET_NOT_FOUND). */
export function createPolicy(input: PolicyInput): Promise<Policy> {
  return api.post<Policy>('/api/admin/promotion/policies', input);
}

export function updatePolicy(id: number, input: PolicyInput): Promise<Policy> {
  return api.put<Policy>(`/api/admin/promotion/policies/${id}`, input);
}

export function deletePolicy(id: number): Promise<void> {
  return api.delete<void>(`/api/admin/promotion/policies/${id}`);
}
