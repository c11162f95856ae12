import { ORDER_NUMBER_PATTERN } from '@sagamart/contracts';
import { describe, expect, it } from 'vitest';
import { orderNumber, seoulDate } from '../src/domain/order-number.ts';
import { canTransition, isCancellable, OrderStateError, transition } from '../src/domain/order-status.ts';
import {
  afterCancel,
  afterPaymentApproved,
  afterRefusal,
  afterSuccess,
  currentAction,
  retryDelayMs,
  type SagaOrder,
  type SagaState,
  startSaga,
} from '../src/domain/saga.ts';
import { mergeItems, orderName, orderTotals, subtotalOf, type TotalsError } from '../src/domain/totals.ts';

const full: SagaOrder = { couponId: 7, pointsUsed: 1_000, payableAmount: 9_000 };

/** Runs the saga's actions with every call succeeding, collecting them, until it waits or ends. */
function runAll(state: SagaState, order: SagaOrder = full) {
  const calls: string[] = [];
  let current = state;
  for (let action = currentAction(current); action; action = currentAction(current)) {
    calls.push(`${action.kind}:${action.step}`);
    current = afterSuccess(current, order);
  }
  return { calls, state: current };
}

describe('order status', () => {
  it('moves forward only, and never out of CANCELLED', () => {
    expect(canTransition('PENDING', 'PAYMENT_PENDING')).toBe(true);
    expect(canTransition('PAYMENT_PENDING', 'PAID')).toBe(true);
    expect(canTransition('PAID', 'CANCELLED')).toBe(true);
    expect(canTransition('PAID', 'PAYMENT_PENDING')).toBe(false);
    expect(canTransition('CANCELLED', 'PAID')).toBe(false);
    expect(() => transition('CANCELLED', 'PAID')).toThrow(OrderStateError);
    expect(isCancellable('PAID')).toBe(true);
    expect(isCancellable('CANCELLED')).toBe(false);
  });
});

describe('placeOrder workflow', () => {
  it('includes only the steps an order needs', () => {
    expect(startSaga(full).steps).toEqual(['stock', 'coupon', 'points']);
    expect(startSaga({ couponId: null, pointsUsed: 0, payableAmount: 5 }).steps).toEqual(['stock']);
    expect(startSaga({ couponId: null, pointsUsed: 10, payableAmount: 5 }).steps).toEqual([
      'stock',
      'points',
    ]);
  });

  it('reserves in order, waits for payment, then commits in order', () => {
    const reserved = runAll(startSaga(full));
    expect(reserved.calls).toEqual(['reserve:stock', 'reserve:coupon', 'reserve:points']);
    expect(reserved.state.phase).toBe('AWAITING_PAYMENT');
    expect(currentAction(reserved.state)).toBeUndefined();
    const committed = runAll(afterPaymentApproved(reserved.state)!);
    expect(committed.calls).toEqual(['commit:stock', 'commit:coupon', 'commit:points']);
    expect(committed.state.phase).toBe('COMPLETED');
    expect(afterPaymentApproved(committed.state)).toBeUndefined();
  });

  it('commits at once when nothing is left to pay', () => {
    const free = { couponId: null, pointsUsed: 5_000, payableAmount: 0 };
    const run = runAll(startSaga(free), free);
    expect(run.calls).toEqual(['reserve:stock', 'reserve:points', 'commit:stock', 'commit:points']);
    expect(run.state.phase).toBe('COMPLETED');
  });

  it('compensates the earlier steps in reverse when a reservation is refused, with its reason', () => {
    let state = startSaga(full);
    state = afterSuccess(afterSuccess(state, full), full); // stock, coupon reserved
    const refused = afterRefusal(state);
    expect(refused.reason).toBe('POINTS_INSUFFICIENT');
    expect(runAll(refused.state).calls).toEqual(['compensate:coupon', 'compensate:stock']);

    const atCoupon = afterRefusal(afterSuccess(startSaga(full), full));
    expect(atCoupon.reason).toBe('COUPON_UNAVAILABLE');
    expect(runAll(atCoupon.state).calls).toEqual(['compensate:stock']);

    const atStock = afterRefusal(startSaga(full));
    expect(atStock.reason).toBe('OUT_OF_STOCK');
    expect(atStock.state.phase).toBe('COMPENSATED');
    expect(runAll(atStock.state).calls).toEqual([]);
  });

  it('on cancel compensates everything that may have taken effect, including a call in flight', () => {
    const reserving = afterSuccess(startSaga(full), full); // stock done, coupon current
    expect(runAll(afterCancel(reserving)!).calls).toEqual(['compensate:coupon', 'compensate:stock']);
    const waiting = runAll(startSaga(full)).state;
    expect(runAll(afterCancel(waiting)!).calls).toEqual([
      'compensate:points',
      'compensate:coupon',
      'compensate:stock',
    ]);
    const committing = afterSuccess(afterPaymentApproved(waiting)!, full);
    expect(runAll(afterCancel(committing)!).calls).toEqual([
      'compensate:points',
      'compensate:coupon',
      'compensate:stock',
    ]);
    const compensating = afterCancel(waiting)!;
    expect(afterCancel(compensating)).toBeUndefined();
    expect(afterCancel(runAll(compensating).state)).toBeUndefined();
  });

  it('backs off exponentially with a cap and jitter', () => {
    expect(retryDelayMs(1, 100, 10_000, () => 1)).toBe(100);
    expect(retryDelayMs(3, 100, 10_000, () => 1)).toBe(400);
    expect(retryDelayMs(3, 100, 10_000, () => 0)).toBe(200);
    expect(retryDelayMs(30, 100, 10_000, () => 1)).toBe(10_000);
  });
});

describe('totals', () => {
  it('merges repeated SKUs and adds up lines', () => {
    expect(
      mergeItems([
        { skuId: 2, quantity: 1 },
        { skuId: 1, quantity: 2 },
        { skuId: 2, quantity: 3 },
      ]),
    ).toEqual([
      { skuId: 2, quantity: 4 },
      { skuId: 1, quantity: 2 },
    ]);
    expect(
      subtotalOf([
        { unitPrice: 1_000, quantity: 3 },
        { unitPrice: 250, quantity: 2 },
      ]),
    ).toBe(3_500);
  });

  it('takes discounts then points off the subtotal, points within the payable amount and the balance', () => {
    expect(
      orderTotals({ subtotal: 50_000, discountAmount: 5_000, pointsToUse: 2_000, pointsBalance: 3_000 }),
    ).toEqual({
      subtotal: 50_000,
      discountAmount: 5_000,
      pointsUsed: 2_000,
      payableAmount: 43_000,
    });
    expect(
      orderTotals({ subtotal: 10_000, discountAmount: 1_000, pointsToUse: 9_000, pointsBalance: 9_000 })
        .payableAmount,
    ).toBe(0);
    const fail = (pointsToUse: number, pointsBalance: number) => {
      try {
        orderTotals({ subtotal: 10_000, discountAmount: 1_000, pointsToUse, pointsBalance });
        return undefined;
      } catch (error) {
        return (error as TotalsError).code;
      }
    };
    expect(fail(9_001, 100_000)).toBe('points-exceed-payable');
    expect(fail(5_000, 4_999)).toBe('points-exceed-balance');
  });

  it('names the order after its first product', () => {
    expect(orderName(['티셔츠'])).toBe('티셔츠');
    expect(orderName(['티셔츠', '바지', '양말'])).toBe('티셔츠 외 2건');
    expect(orderName(['가'.repeat(200), '나']).length).toBe(100);
  });
});

describe('order number', () => {
  it('is ORD-yyyyMMdd-XXXXXXXX on the Seoul calendar', () => {
    // 2024-03-31 16:30 UTC is already April 1st in Seoul.
    expect(seoulDate(new Date('2024-03-31T16:30:00Z'))).toBe('20240401');
    expect(seoulDate(new Date('2024-03-31T14:59:59Z'))).toBe('20240331');
    const picks = [0, 35, 10, 1, 2, 3, 4, 5];
    expect(orderNumber(new Date('2024-03-31T16:30:00Z'), () => picks.shift()!)).toBe('ORD-20240401-0ZA12345');
    const many = new Set(Array.from({ length: 500 }, () => orderNumber(new Date())));
    expect(many.size).toBe(500);
    for (const n of many) expect(n).toMatch(ORDER_NUMBER_PATTERN);
  });
});
