import { describe, expect, it } from 'vitest';
import { draftsFor, NOTIFICATION_RULES } from '../src/domain/notification-rules.ts';
import { planResume } from '../src/domain/resume.ts';

const order = { orderId: 'o-1', orderNumber: 'ORD-20261204-AB12CD34', userId: 'u-1' };

describe('notification rules', () => {
  it('tells a payment by order.paid alone, and gives admins their own kind', () => {
    const [fromOrder, forAdmins] = draftsFor('order.paid', { ...order, payableAmount: 12_500 });
    expect(draftsFor('payment.approved', { ...order, amount: 12_500 })).toEqual([]);
    expect(fromOrder).toMatchObject({ audience: 'owner', kind: 'ORDER_PAID', link: '/me/orders/o-1' });
    expect(fromOrder!.body).toBe(
      'ORD-20261204-AB12CD34 주문의 결제(12,500원)가 완료되었습니다. 상품을 준비할게요.',
    );
    // A points charge is paid (and refunded) like an order, but it is no order.
    expect(draftsFor('payment.refunded', { ...order, orderNumber: 'PNT-20261204-AB12CD34' })).toEqual([]);
    expect(forAdmins).toMatchObject({
      audience: 'admins',
      kind: 'ADMIN_ORDER_PAID',
      link: '/admin/orders/o-1',
    });
  });

  it('tells a payment failure and the cancel it causes as one PAYMENT_FAILED', () => {
    const [failed] = draftsFor('order.cancelled', { ...order, reason: 'PAYMENT_FAILED' });
    const [refunded] = draftsFor('payment.refunded', { ...order, amount: 1_000 });
    expect(failed).toMatchObject({ kind: 'PAYMENT_FAILED', title: '결제에 실패했습니다' });
    // A refund never makes a second notification for a closed order.
    expect(refunded!.dedupeKey).toBe(failed!.dedupeKey);
  });

  it('is ready for the shipping, return and exchange events, keyed by event name', () => {
    expect(draftsFor('shipment.dispatched', order)[0]).toMatchObject({
      kind: 'SHIPMENT_DISPATCHED',
      title: '배송이 시작되었습니다',
    });
    expect(draftsFor('return.approved', { ...order, claimId: 7 })[0]).toMatchObject({
      kind: 'RETURN_APPROVED',
    });
    expect(draftsFor('exchange.requested', { ...order, claimId: 8 })[0]).toMatchObject({
      audience: 'admins',
      kind: 'ADMIN_CLAIM_REQUESTED',
    });
    expect(Object.keys(NOTIFICATION_RULES)).toContain('return.completed');
    expect(draftsFor('stock.changed', order)).toEqual([]);
  });
});

describe('resume plan', () => {
  it('replays when every later seq is kept, otherwise resets', () => {
    expect(planResume(3, { floor: 2, last: 9 })).toEqual({ type: 'replay', after: 3 });
    expect(planResume(2, { floor: 2, last: 9 })).toEqual({ type: 'replay', after: 2 });
    expect(planResume(1, { floor: 2, last: 9 })).toEqual({ type: 'reset', last: 9 });
    expect(planResume(10, { floor: 2, last: 9 })).toEqual({ type: 'reset', last: 9 });
    expect(planResume(0, { floor: 0, last: 0 })).toEqual({ type: 'replay', after: 0 });
  });
});
