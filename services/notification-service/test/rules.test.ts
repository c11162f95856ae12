import { describe, expect, it } from 'vitest';
import { draftsFor, NOTIFICATION_RULES } from '../src/domain/notification-rules.ts';
import { planResume } from '../src/domain/resume.ts';
import { stepOf, superseded } from '../src/domain/step-order.ts';

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
      facts: { amount: 12_500 },
    });
    expect(fromOrder!.facts).toEqual({ amount: 12_500 });
  });

  it('tells a payment failure and the cancel it causes as one PAYMENT_FAILED', () => {
    const [failed] = draftsFor('order.cancelled', { ...order, reason: 'PAYMENT_FAILED' });
    const [refunded] = draftsFor('payment.refunded', { ...order, amount: 1_000 });
    expect(failed).toMatchObject({
      kind: 'PAYMENT_FAILED',
      title: '결제에 실패했습니다',
      facts: { cancelReason: 'PAYMENT_FAILED' },
    });
    // The failure said nothing of money: a refund after it (a charge that came back for the wrong
    // amount) is told on its own.
    expect(refunded).toMatchObject({ kind: 'PAYMENT_REFUNDED', title: '결제가 환불되었습니다' });
    expect(refunded!.dedupeKey).not.toBe(failed!.dedupeKey);
  });

  it('tells why an order was cancelled and what is refunded, in words and in facts', () => {
    const [cancelled] = draftsFor('order.cancelled', {
      ...order,
      reason: 'OUT_OF_STOCK',
      wasPaid: true,
      payableAmount: 30_000,
    });
    expect(cancelled).toMatchObject({
      kind: 'ORDER_CANCELLED',
      body: '재고가 부족하여 ORD-20261204-AB12CD34 주문이 취소되었습니다. 결제하신 30,000원은 환불됩니다.',
      facts: { cancelReason: 'OUT_OF_STOCK', amount: 30_000 },
    });
    // The cancel said the payment will be refunded: the refund shares its key, so whichever comes
    // first tells both.
    const [refunded] = draftsFor('payment.refunded', { ...order, amount: 5_000 });
    expect(refunded).toMatchObject({
      kind: 'PAYMENT_REFUNDED',
      dedupeKey: cancelled!.dedupeKey,
      body: 'ORD-20261204-AB12CD34 주문이 취소되어 결제하신 5,000원이 환불되었습니다.',
      facts: { amount: 5_000 },
    });
    // A cancel before anything was paid says nothing of a refund, and keeps its own key.
    const [unpaid] = draftsFor('order.cancelled', { ...order, reason: 'USER_CANCELLED', wasPaid: false });
    expect(unpaid!.dedupeKey).not.toBe(refunded!.dedupeKey);
  });

  it('tells the points a cancel gives back, in P, paid or not; a cancel that took none says nothing of points', () => {
    const [unpaid] = draftsFor('order.cancelled', {
      ...order,
      reason: 'PAYMENT_TIMEOUT',
      wasPaid: false,
      payableAmount: 8_000,
      pointsRefund: 2_000,
    });
    expect(unpaid).toMatchObject({
      kind: 'ORDER_CANCELLED',
      body: '결제 시간이 지나 ORD-20261204-AB12CD34 주문이 취소되었습니다. 사용하신 포인트 2,000P도 돌려드립니다.',
      facts: { cancelReason: 'PAYMENT_TIMEOUT', points: 2_000 },
    });
    const [failed] = draftsFor('order.cancelled', { ...order, reason: 'PAYMENT_FAILED', pointsRefund: 500 });
    expect(failed).toMatchObject({
      kind: 'PAYMENT_FAILED',
      body: 'ORD-20261204-AB12CD34 주문의 결제가 완료되지 않아 주문이 취소되었습니다. 사용하신 포인트 500P도 돌려드립니다.',
      facts: { cancelReason: 'PAYMENT_FAILED', points: 500 },
    });
    const [none] = draftsFor('order.cancelled', { ...order, reason: 'OUT_OF_STOCK', pointsRefund: 0 });
    expect(none!.body).toBe('재고가 부족하여 ORD-20261204-AB12CD34 주문이 취소되었습니다.');
    expect(none!.facts).toEqual({ cancelReason: 'OUT_OF_STOCK' });
  });

  it("tells a return's partial refund by return.completed, never as a cancelled order", () => {
    const claimRefund = { ...order, amount: 68_200, claimId: 'c-1' };
    expect(draftsFor('payment.refunded', claimRefund)).toEqual([]);
    expect(draftsFor('return.completed', { ...claimRefund, refundAmount: 68_200 })[0]).toMatchObject({
      kind: 'RETURN_COMPLETED',
      body: expect.stringContaining('68,200원이 환불됩니다'),
    });
  });

  it('tells a shipment starting and arriving, once per shipment, with a link to the order', () => {
    const shipment = { ...order, shipmentId: 's-1', kind: 'ORIGINAL' as const };
    const [dispatched] = draftsFor('shipment.dispatched', shipment);
    expect(dispatched).toEqual({
      audience: 'owner',
      kind: 'SHIPMENT_DISPATCHED',
      dedupeKey: 'SHIPMENT_DISPATCHED:s-1:o-1',
      title: '배송이 시작되었습니다',
      body: 'ORD-20261204-AB12CD34 주문의 상품이 출발했습니다.',
      facts: {},
      link: '/me/orders/o-1',
      orderId: 'o-1',
      orderNumber: 'ORD-20261204-AB12CD34',
    });
    expect(draftsFor('shipment.delivered', shipment)[0]).toMatchObject({
      kind: 'SHIPMENT_DELIVERED',
      title: '배송이 완료되었습니다',
      body: 'ORD-20261204-AB12CD34 주문의 상품이 도착했습니다.',
    });
    // An exchange's new option is a second shipment of the order: its own notification when it
    // leaves, and its arrival is told once, by exchange.completed.
    const exchange = { ...order, shipmentId: 's-2', kind: 'EXCHANGE' as const, claimId: 'c-1' };
    const [second] = draftsFor('shipment.dispatched', exchange);
    expect(second!.dedupeKey).not.toBe(dispatched!.dedupeKey);
    expect(second!.body).toBe('ORD-20261204-AB12CD34 주문의 교환 상품이 출발했습니다.');
    expect(second!.facts).toEqual({ exchange: true });
    expect(draftsFor('shipment.delivered', exchange)).toEqual([]);
    expect(draftsFor('shipment.in-transit', shipment)).toEqual([]);
  });

  it('tells each step of a return in Korean: approved, rejected with the reason, completed with the refund', () => {
    const claim = { ...order, claimId: 'c-1' };
    const pickup = { ...claim, pickupTrackingNumber: '223456789012' };
    expect(draftsFor('return.approved', pickup)[0]).toMatchObject({
      audience: 'owner',
      kind: 'RETURN_APPROVED',
      title: '반품이 승인되었습니다',
      dedupeKey: 'RETURN_APPROVED:c-1:223456789012:o-1',
      link: '/me/orders/o-1',
    });
    expect(draftsFor('return.rejected', { ...claim, rejectReason: '사용 흔적이 있습니다' })[0]).toMatchObject(
      {
        kind: 'RETURN_REJECTED',
        title: '반품이 거절되었습니다',
        body: 'ORD-20261204-AB12CD34 주문의 반품이 거절되었습니다. 사유: 사용 흔적이 있습니다',
        facts: { rejectReason: '사용 흔적이 있습니다' },
      },
    );
    const [completed] = draftsFor('return.completed', { ...claim, refundAmount: 12_000, pointsRefund: 0 });
    expect(completed).toMatchObject({ kind: 'RETURN_COMPLETED', title: '반품이 완료되었습니다' });
    expect(completed!.body).toBe(
      'ORD-20261204-AB12CD34 주문의 반품이 완료되었습니다. 12,000원이 환불됩니다.',
    );
    const [withPoints] = draftsFor('return.completed', {
      ...claim,
      refundAmount: 12_000,
      pointsRefund: 1_500,
    });
    expect(withPoints!.body).toBe(
      'ORD-20261204-AB12CD34 주문의 반품이 완료되었습니다. 12,000원이 환불됩니다. 사용하신 포인트 1,500P도 돌려드립니다.',
    );
    // The same facts for a client that words it in another language; a zero is no fact.
    expect(withPoints!.facts).toEqual({ amount: 12_000, points: 1_500 });
    expect(completed!.facts).toEqual({ amount: 12_000 });
    // A second return of the same order is a new claim, and an approval again after a cancelled
    // pickup a new pickup waybill: each a new notification.
    expect(draftsFor('return.approved', { ...pickup, claimId: 'c-2' })[0]!.dedupeKey).toBe(
      'RETURN_APPROVED:c-2:223456789012:o-1',
    );
    expect(
      draftsFor('return.approved', { ...pickup, pickupTrackingNumber: '223456789013' })[0]!.dedupeKey,
    ).toBe('RETURN_APPROVED:c-1:223456789013:o-1');
    expect(draftsFor('return.collecting', claim)).toEqual([]);
  });

  it('tells each step of an exchange in Korean', () => {
    const claim = { ...order, claimId: 'c-1' };
    expect(draftsFor('exchange.approved', claim)[0]).toMatchObject({
      kind: 'EXCHANGE_APPROVED',
      title: '교환이 승인되었습니다',
      link: '/me/orders/o-1',
    });
    expect(draftsFor('exchange.rejected', { ...claim, rejectReason: '재고가 없습니다' })[0]).toMatchObject({
      kind: 'EXCHANGE_REJECTED',
      title: '교환이 거절되었습니다',
      body: 'ORD-20261204-AB12CD34 주문의 교환이 거절되었습니다. 사유: 재고가 없습니다',
    });
    expect(draftsFor('exchange.completed', claim)[0]).toMatchObject({
      kind: 'EXCHANGE_COMPLETED',
      title: '교환이 완료되었습니다',
      body: 'ORD-20261204-AB12CD34 주문의 교환 상품이 도착했습니다. 교환이 완료되었습니다.',
    });
    expect(draftsFor('exchange.collected', claim)).toEqual([]);
  });

  it('tells admins of a return or exchange request, linking to the admin order page', () => {
    const [returned] = draftsFor('return.requested', { ...order, claimId: 'c-1' });
    const [exchanged] = draftsFor('exchange.requested', { ...order, claimId: 'c-2' });
    expect(returned).toMatchObject({
      audience: 'admins',
      kind: 'ADMIN_CLAIM_REQUESTED',
      title: '반품 요청이 접수되었습니다',
      body: 'ORD-20261204-AB12CD34 주문에 반품 요청이 들어왔습니다. 확인해 주세요.',
      facts: { claim: 'RETURN' },
      link: '/admin/orders/o-1',
    });
    expect(exchanged).toMatchObject({
      audience: 'admins',
      title: '교환 요청이 접수되었습니다',
      facts: { claim: 'EXCHANGE' },
    });
    expect(exchanged!.dedupeKey).not.toBe(returned!.dedupeKey);
    expect(Object.keys(NOTIFICATION_RULES)).toContain('return.completed');
    expect(draftsFor('stock.changed', order)).toEqual([]);
  });
});

describe('step order', () => {
  it('knows the order, claim or shipment an event is a step of, and that an older step is superseded', () => {
    const claimStep = stepOf('exchange.approved', { ...order, claimId: 'c-1', version: 4 });
    expect(claimStep).toEqual({ aggregate: 'claim', id: 'c-1', version: 4, ends: false });
    expect(stepOf('shipment.delivered', { ...order, shipmentId: 's-1', claimId: null, version: 4 })).toEqual({
      aggregate: 'shipment',
      id: 's-1',
      version: 4,
      ends: false,
      partOf: { aggregate: 'order', id: 'o-1' },
    });
    // A cancelled order's parcel is cancelled with it: nothing of it is news after the cancel.
    expect(stepOf('order.cancelled', { ...order, version: 4 })).toEqual({
      aggregate: 'order',
      id: 'o-1',
      version: 4,
      ends: true,
    });
    expect(stepOf('order.paid', { ...order, version: 3 })?.ends).toBe(false);
    // A refund names the order and the claim, but its version is the payment's.
    expect(stepOf('payment.refunded', { ...order, claimId: 'c-1', version: 2 })).toBeUndefined();
    expect(stepOf('order.paid', { ...order, version: 3 })?.aggregate).toBe('order');
    expect(superseded(claimStep!, { newestVersion: 5, wholeEnded: false })).toBe(true);
    expect(superseded(claimStep!, { newestVersion: 4, wholeEnded: false })).toBe(false);
  });

  it('takes an exchange’s parcel for a part of its claim, which its final steps end', () => {
    const parcel = stepOf('shipment.dispatched', { ...order, shipmentId: 's-1', claimId: 'c-1', version: 2 });
    expect(parcel).toEqual({
      aggregate: 'shipment',
      id: 's-1',
      version: 2,
      ends: false,
      partOf: { aggregate: 'claim', id: 'c-1' },
    });
    for (const ending of ['return.completed', 'return.rejected', 'exchange.completed', 'exchange.rejected']) {
      expect(stepOf(ending, { ...order, claimId: 'c-1', version: 5 })?.ends).toBe(true);
    }
    expect(stepOf('exchange.collected', { ...order, claimId: 'c-1', version: 4 })?.ends).toBe(false);
    // Newest of its own, but its claim ended: old news all the same.
    expect(superseded(parcel!, { newestVersion: 2, wholeEnded: true })).toBe(true);
    expect(superseded(parcel!, { newestVersion: 2, wholeEnded: false })).toBe(false);
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
