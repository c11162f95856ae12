import { PROMOTION_STATUSES } from '../coupons/discount.ts';
import { pageParamValue, readPageIndex } from '../lib/page-param.ts';
import { compactParams, oneOf } from '../lib/search-params.ts';
import { type CouponSearch, POLICY_TARGETS, type PolicySearch } from './admin-promotion-api.ts';

// The admin coupon and policy lists' filters and paging live in the URL (shareable, reloadable).

const PAGE_SIZE = 20;

export function parseCouponSearch(params: URLSearchParams): CouponSearch {
  return {
    q: params.get('q') ?? '',
    status: oneOf(params.get('status'), PROMOTION_STATUSES) ?? '',
    page: readPageIndex(params),
    size: PAGE_SIZE,
  };
}

export function couponSearchParams(search: CouponSearch): URLSearchParams {
  return compactParams({ q: search.q, status: search.status, page: pageParamValue(search.page) });
}

export function parsePolicySearch(params: URLSearchParams): PolicySearch {
  return {
    targetType: oneOf(params.get('targetType'), POLICY_TARGETS) ?? '',
    status: oneOf(params.get('status'), PROMOTION_STATUSES) ?? '',
    page: readPageIndex(params),
    size: PAGE_SIZE,
  };
}

export function policySearchParams(search: PolicySearch): URLSearchParams {
  return compactParams({
    targetType: search.targetType,
    status: search.status,
    page: pageParamValue(search.page),
  });
}
