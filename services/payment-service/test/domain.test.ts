import { describe, expect, it } from 'vitest';
import { applyOrderChange, type KnownOrder, type OrderChange } from '../src/domain/known-order.ts';
import {
  decideConfirm,
  type PgAnswer,
  refundNotDoneReason,
  retryDelayMs,
  settlementOf,
} from '../src/domain/payment-rules.ts';

const placed = (version: number, payableAmount = 10_000): OrderChange => ({
  kind: 'placed',
  orderId: 'o-1',
  orderNumber: 'ORD-20250615-AAAAAAAA',
  userId: 'u-1',
  payableAmount,
  orderName: 'order',
  version,
});
const cancelled = (version: number): OrderChange => ({
  kind: 'cancelled',
  orderId: 'o-1',
  orderNumber: 'ORD-20250615-AAAAAAAA',
  userId: 'u-1',
  payableAmount: 10_000,
  reason: 'PAYMENT_TIMEOUT',
  version,
});

describe('known order copy', () => {
  it('applies newer versions and ignores older or equal ones', () => {
    const first = applyOrderChange(undefined, placed(1))!;
    expect(first).toMatchObject({ status: 'PLACED', version: 1, payableAmount: 10_000 });
    expect(applyOrderChange(first, placed(1, 99))).toBeUndefined();
    expect(applyOrderChange(first, placed(2, 12_000))).toMatchObject({ version: 2, payableAmount: 12_000 });
  });

  it('treats CANCELLED as final', () => {
    const live = applyOrderChange(undefined, placed(1))!;
    const gone = applyOrderChange(live, cancelled(2))!;
    expect(gone).toMatchObject({ status: 'CANCELLED', cancelReason: 'PAYMENT_TIMEOUT', version: 2 });
    expect(applyOrderChange(gone, placed(1))).toBeUndefined();
    expect(applyOrderChange(gone, placed(3))).toMatchObject({ status: 'CANCELLED', version: 3 });
  });

  it('records a cancel for an order it never saw placed', () => {
    expect(applyOrderChange(undefined, cancelled(2))).toMatchObject({ status: 'CANCELLED', version: 2 });
  });

  it('never loses a cancel, even one with a stale version', () => {
    const live: KnownOrder = { ...applyOrderChange(undefined, placed(5))! };
    expect(applyOrderChange(live, cancelled(4))).toMatchObject({ status: 'CANCELLED', version: 5 });
  });
});

describe('confirm decision', () => {
  const order = { status: 'PLACED' as const, payableAmount: 10_000 };

  it('charges the exact payable amount of a live order with no other payment', () => {
    expect(decideConfirm(order, [], 10_000)).toEqual({ kind: 'charge' });
    expect(decideConfirm(order, [{ status: 'FAILED' }], 10_000)).toEqual({ kind: 'charge' });
  });

  it('fails a different amount', () => {
    expect(decideConfirm(order, [], 9_999)).toMatchObject({ kind: 'fail', code: 'AMOUNT_MISMATCH' });
  });

  it('refuses cancelled, paid and in-progress orders before charging', () => {
    expect(decideConfirm({ ...order, status: 'CANCELLED' }, [], 10_000)).toMatchObject({
      code: 'ORDER_CANCELLED',
    });
    expect(decideConfirm(order, [{ status: 'APPROVED' }], 10_000)).toMatchObject({ code: 'ALREADY_PAID' });
    expect(decideConfirm(order, [{ status: 'REFUNDED' }], 10_000)).toMatchObject({ code: 'ALREADY_PAID' });
    expect(decideConfirm(order, [{ status: 'PENDING' }], 10_000)).toMatchObject({
      code: 'PAYMENT_IN_PROGRESS',
    });
  });
});

describe('PG answers', () => {
  const now = new Date('2025-06-15T00:00:00Z');
  const payment = (
    status: Extract<PgAnswer, { kind: 'payment' }>['status'],
    failure: { code: string; message: string } | null = null,
  ): PgAnswer => ({
    kind: 'payment',
    status,
    method: '카드',
    approvedAt: '2025-06-15T00:00:01.000Z',
    failure,
  });

  it('approves DONE, and approves then refunds CANCELED', () => {
    expect(settlementOf(payment('DONE'), now)).toEqual({
      kind: 'approve',
      method: '카드',
      approvedAt: new Date('2025-06-15T00:00:01.000Z'),
      refund: false,
    });
    expect(settlementOf(payment('CANCELED'), now)).toMatchObject({ kind: 'approve', refund: true });
  });

  it('fails ABORTED payments and final rejections', () => {
    expect(settlementOf(payment('ABORTED', { code: 'REJECT_CARD_COMPANY', message: 'no' }), now)).toEqual({
      kind: 'fail',
      code: 'REJECT_CARD_COMPANY',
      message: 'no',
    });
    expect(settlementOf({ kind: 'rejected', code: 'NOT_FOUND_PAYMENT', message: 'x' }, now)).toMatchObject({
      kind: 'fail',
    });
  });

  it('waits on IN_PROGRESS and on no answer, and confirms READY', () => {
    expect(settlementOf(payment('IN_PROGRESS'), now).kind).toBe('wait');
    expect(settlementOf({ kind: 'unavailable', reason: 'timeout' }, now).kind).toBe('wait');
    expect(settlementOf(payment('READY'), now)).toEqual({ kind: 'confirm' });
  });

  it('backs off exponentially up to a cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n, 1_000, 30_000))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
  });

  it('says why a refund is not done yet: the PG status, its refusal, or why it did not answer', () => {
    expect(refundNotDoneReason(payment('IN_PROGRESS'))).toBe('PG status IN_PROGRESS');
    expect(refundNotDoneReason({ kind: 'rejected', code: 'NOT_CANCELABLE', message: 'no' })).toBe(
      'NOT_CANCELABLE: no',
    );
    expect(refundNotDoneReason({ kind: 'unavailable', reason: 'timeout' })).toBe('timeout');
  });
});
