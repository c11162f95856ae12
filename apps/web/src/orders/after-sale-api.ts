// shipping-service's shapes for the shopper's after-sale views: types only, from its schemas.
import type * as shipping from '@sagamart/contracts/http/shipping';
import { queryOptions } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { ApiError } from '../api/api-error.ts';
import { api } from '../api/client.ts';

export type OrderClaims = Static<typeof shipping.OrderClaimsView>;
export type Claim = OrderClaims['claims'][number];
export type PurchaseConfirmation = Static<typeof shipping.PurchaseConfirmationView>;

/** Korean labels of claim states and reasons: a shopper never sees the codes. */
export const CLAIM_STATUS_LABELS: Record<Claim['status'], string> = {
  REQUESTED: '접수됨',
  APPROVED: '승인됨 (회수 예정)',
  COLLECTING: '회수 중',
  RESHIPPING: '교환 상품 배송 중',
  COMPLETED: '완료',
  EXCHANGED: '교환 완료',
  REJECTED: '거절됨',
};
export const CLAIM_REASON_LABELS: Record<Claim['reason'], string> = {
  CHANGE_OF_MIND: '단순 변심',
  DEFECTIVE: '상품 불량',
  WRONG_ITEM: '오배송',
  DAMAGED_IN_TRANSIT: '배송 중 파손',
};
export const CLAIM_TYPE_LABELS: Record<Claim['type'], string> = { RETURN: '반품', EXCHANGE: '교환' };

/** GET /api/orders/{id}/claims; none yet (or shipping not running) is an empty list. */
export function orderClaimsQuery(orderId: string) {
  return queryOptions({
    queryKey: ['me', 'orders', orderId, 'claims'],
    queryFn: async ({ signal }) => {
      try {
        return await api.get<OrderClaims>(`/api/orders/${encodeURIComponent(orderId)}/claims`, { signal });
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}

/** POST /api/orders/{id}/confirm: 구매확정 (an empty body). */
export function confirmPurchase(orderId: string) {
  return api.post<PurchaseConfirmation>(`/api/orders/${encodeURIComponent(orderId)}/confirm`, {});
}
