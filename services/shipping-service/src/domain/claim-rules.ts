import type { ClaimReason, ClaimStatus, ClaimType } from '@sagamart/contracts';
import { conflict, Problem, unprocessable } from '@sagamart/kit/pure';

// When a return or an exchange may be asked for, and what it costs. Pure: the app layer loads the
// order, its lines and the clock, and turns a refusal into the answer.

export const OPEN_CLAIM_STATUSES: readonly ClaimStatus[] = [
  'REQUESTED',
  'APPROVED',
  'COLLECTING',
  'RESHIPPING',
];
export const isOpenClaim = (status: ClaimStatus) => OPEN_CLAIM_STATUSES.includes(status);

const DAY_MS = 86_400_000;

export interface ClaimableOrder {
  deliveredAt: Date | null;
  confirmedAt: Date | null;
  hasOpenClaim: boolean;
}

/** The end of the return window, or null when no claim can be made any more (or yet). */
export function claimableUntil(order: ClaimableOrder, windowDays: number): Date | null {
  if (!order.deliveredAt || order.confirmedAt) return null;
  return new Date(order.deliveredAt.getTime() + windowDays * DAY_MS);
}

export interface ClaimLine {
  orderItemId: number;
  quantity: number;
  /** Units already returned or exchanged: each unit is claimed at most once. */
  claimedQuantity: number;
  /** What the shopper bought, to name the line in a refusal (the order item id is internal). */
  productName?: string;
  /** "블랙 / L"; empty for a product without options. */
  optionLabel?: string;
}

/** A line as the shopper knows it: "반팔 티셔츠 (블랙 / L)", or nothing when the name is not known. */
function lineName(line: ClaimLine): string | undefined {
  if (!line.productName) return undefined;
  return line.optionLabel ? `${line.productName} (${line.optionLabel})` : line.productName;
}

/**
 * Refuses a claim that may not be made now: not delivered, confirmed, past the window, another claim
 * open, a line not of this order, more units than are left, or a line named twice. The refusals are
 * shown to the shopper as they are: they name a line by its product, never by its internal id.
 */
export function checkClaimRequest(
  order: ClaimableOrder,
  lines: readonly ClaimLine[],
  items: readonly { orderItemId: number; quantity: number }[],
  now: Date,
  windowDays: number,
): void {
  if (!order.deliveredAt) {
    throw conflict('반품·교환은 배송이 완료된 주문만 신청할 수 있습니다.', 'not-delivered');
  }
  if (order.confirmedAt) {
    throw conflict('구매확정된 주문은 반품·교환을 신청할 수 없습니다.', 'purchase-confirmed');
  }
  const until = claimableUntil(order, windowDays);
  if (!until || now > until) {
    throw conflict(`반품·교환 신청 기간(배송 완료 후 ${windowDays}일)이 지났습니다.`, 'claim-window-closed');
  }
  if (order.hasOpenClaim) {
    throw conflict('이미 진행 중인 반품 또는 교환이 있습니다.', 'claim-in-progress');
  }
  const byId = new Map(lines.map((l) => [l.orderItemId, l]));
  const seen = new Set<number>();
  for (const item of items) {
    const line = byId.get(item.orderItemId);
    if (!line) throw unprocessable('이 주문에 없는 상품이 들어 있습니다.', 'unknown-order-item');
    const name = lineName(line);
    if (seen.has(item.orderItemId)) {
      throw unprocessable(
        name ? `${name}이(가) 두 번 들어 있습니다.` : '같은 상품이 두 번 들어 있습니다.',
        'duplicate-order-item',
      );
    }
    seen.add(item.orderItemId);
    const left = line.quantity - line.claimedQuantity;
    if (item.quantity > left) {
      throw unprocessable(
        name
          ? `${name}은(는) ${left}개까지 신청할 수 있습니다.`
          : `신청할 수 있는 수량(${left}개)보다 많이 신청했습니다.`,
        'quantity-exceeds-remaining',
      );
    }
  }
}

/** The return shipping fee a claim owes: returns for a change of mind only; exchanges are free in this version. */
export function claimFee(type: ClaimType, reason: ClaimReason, returnFee: number): number {
  return type === 'RETURN' && reason === 'CHANGE_OF_MIND' ? returnFee : 0;
}

export interface ExchangeTarget {
  orderedSku: { skuId: number; productId: number; unitPrice: number };
  newSku: { skuId: number; productId: number; price: number; removed: boolean } | undefined;
}

/** An exchange sends the same product in another option, at the same price. */
export function checkExchangeTarget({ orderedSku, newSku }: ExchangeTarget): void {
  if (!newSku || newSku.removed) {
    throw unprocessable('교환할 옵션을 찾을 수 없습니다.', 'unknown-sku');
  }
  if (newSku.productId !== orderedSku.productId) {
    throw unprocessable('같은 상품의 다른 옵션으로만 교환할 수 있습니다.', 'different-product');
  }
  if (newSku.skuId === orderedSku.skuId) {
    throw unprocessable('지금과 다른 옵션을 골라 주세요.', 'same-option');
  }
  if (newSku.price !== orderedSku.unitPrice) {
    throw unprocessable('가격이 같은 옵션으로만 교환할 수 있습니다.', 'different-price');
  }
}

/** A claim's transition by the admin; anything but REQUESTED is final for approve and reject. */
export function checkDecision(status: ClaimStatus): void {
  if (status !== 'REQUESTED') {
    throw new Problem(409, `이미 처리된 신청입니다 (${DECIDED_AS[status]}).`, {
      code: 'claim-decided',
      extensions: { claimStatus: status },
    });
  }
}

/** How a decided claim stands, in the admin's words (the code is in the problem's `claimStatus`). */
const DECIDED_AS: Record<ClaimStatus, string> = {
  REQUESTED: '신청 접수',
  APPROVED: '승인',
  COLLECTING: '회수 중',
  RESHIPPING: '교환 상품 발송 중',
  COMPLETED: '완료',
  EXCHANGED: '교환 완료',
  REJECTED: '거절',
};
