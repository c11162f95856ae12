import { describe, expect, it } from 'vitest';
import { type Claim, claimedUnits, reasonCostsFee } from './after-sale-api.ts';

function claim(status: Claim['status'], items: Array<[orderItemId: number, quantity: number]>): Claim {
  return {
    id: `claim-${status}`,
    orderId: 'order',
    orderNumber: 'ORD-20261204-AAAAAAAA',
    type: 'RETURN',
    status,
    reason: 'DEFECTIVE',
    detail: null,
    items: items.map(([orderItemId, quantity]) => ({
      orderItemId,
      skuId: 1,
      newSkuId: null,
      productName: '티셔츠',
      optionLabel: '',
      quantity,
      refundAmount: 0,
      pointsRefund: 0,
    })),
    refundAmount: 0,
    pointsRefund: 0,
    feeAmount: 0,
    pickupTrackingNumber: null,
    pickupCourierStatus: null,
    pickupCancelledAt: null,
    reshipTrackingNumber: null,
    rejectReason: null,
    createdAt: '2026-12-04T10:00:00.000Z',
    approvedAt: null,
    rejectedAt: null,
    collectedAt: null,
    completedAt: null,
  };
}

describe('after-sale rules the request form follows', () => {
  it('counts the units already in a return or an exchange, except rejected ones', () => {
    const units = claimedUnits([
      claim('COMPLETED', [[10, 1]]),
      claim('REQUESTED', [
        [10, 1],
        [11, 2],
      ]),
      claim('REJECTED', [[12, 3]]),
    ]);
    expect(Object.fromEntries(units)).toEqual({ 10: 2, 11: 2 });
  });

  it('charges the return fee only for a change-of-mind return', () => {
    expect(reasonCostsFee('RETURN', 'CHANGE_OF_MIND')).toBe(true);
    expect(reasonCostsFee('RETURN', 'DEFECTIVE')).toBe(false);
    expect(reasonCostsFee('EXCHANGE', 'CHANGE_OF_MIND')).toBe(false);
  });
});
