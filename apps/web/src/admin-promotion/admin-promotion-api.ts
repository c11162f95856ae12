import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { Page } from '../api/page.ts';
import type { DiscountTerms, PromotionStatus } from '../coupons/discount.ts';

export const POLICY_TARGETS = ['PRODUCT', 'CATEGORY', 'ORDER'] as const;
export type PolicyTarget = (typeof POLICY_TARGETS)[number];

interface Validity {
  /** ISO timestamps; validFrom < validTo. */
  validFrom: string;
  validTo: string;
}

export interface Coupon extends DiscountTerms, Validity {
  id: number;
  /** Stored upper-case; unique. */
  code: string;
  name: string;
  /** How many users may claim it in total; null for no limit (each user may hold one). */
  totalIssueLimit: number | null;
  issuedCount: number;
  status: PromotionStatus;
  createdAt: string;
  updatedAt: string;
}

/** What create and replace (PUT) take. */
export interface CouponInput extends DiscountTerms, Validity {
  code: string;
  name: string;
  totalIssueLimit: number | null;
  status: PromotionStatus;
}

export interface Policy extends DiscountTerms, Validity {
  id: number;
  name: string;
  /** PRODUCT or CATEGORY (with its descendants) lines, or the whole ORDER. */
  targetType: PolicyTarget;
  /** Product or category id; null for ORDER. */
  targetId: number | null;
  status: PromotionStatus;
  createdAt: string;
  updatedAt: string;
}

export interface PolicyInput extends DiscountTerms, Validity {
  name: string;
  targetType: PolicyTarget;
  targetId: number | null;
  status: PromotionStatus;
}

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
