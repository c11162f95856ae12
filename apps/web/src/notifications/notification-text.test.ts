import { afterEach, describe, expect, it } from 'vitest';
// The service's own rules, to hold the two Korean texts to each other (a pure module, no I/O).
import {
  draftsFor,
  type NotificationDraft,
  type OrderEventFacts,
} from '../../../../services/notification-service/src/domain/notification-rules.ts';
import { setLanguage } from '../i18n/i18n.ts';
import { notificationText } from './notification-text.ts';

const order = { orderId: 'o-1', orderNumber: 'ORD-20261207-AB12CD34', userId: 'u-1' };
const claim = { ...order, claimId: 'c-1' };

/** One event of each kind the service words, with the facts that change its words. */
const EVENTS: [string, OrderEventFacts][] = [
  ['order.placed', { ...order, payableAmount: 30_000 }],
  ['order.placed', { ...order, orderNumber: undefined }],
  ['order.paid', { ...order, payableAmount: 12_500 }],
  ['order.paid', { ...order }],
  ['order.cancelled', { ...order, reason: 'PAYMENT_FAILED' }],
  ['order.cancelled', { ...order, reason: 'OUT_OF_STOCK', wasPaid: true, payableAmount: 30_000 }],
  ['order.cancelled', { ...order, reason: 'USER_CANCELLED', wasPaid: false }],
  ['payment.refunded', { ...order, amount: 5_000 }],
  ['shipment.dispatched', { ...order, shipmentId: 's-1', kind: 'ORIGINAL' }],
  ['shipment.dispatched', { ...order, shipmentId: 's-2', kind: 'EXCHANGE' }],
  ['shipment.delivered', { ...order, shipmentId: 's-1', kind: 'ORIGINAL' }],
  ['return.requested', claim],
  ['exchange.requested', claim],
  ['return.approved', claim],
  ['return.rejected', { ...claim, rejectReason: '사용 흔적이 있습니다' }],
  ['return.rejected', claim],
  ['return.completed', { ...claim, refundAmount: 12_000, pointsRefund: 1_500 }],
  ['return.completed', { ...claim, refundAmount: 0, pointsRefund: 0 }],
  ['exchange.approved', claim],
  ['exchange.rejected', { ...claim, rejectReason: '재고가 없습니다' }],
  ['exchange.completed', claim],
  ['return.pickup-cancelled', { ...claim, pickupTrackingNumber: '223456789012' }],
  ['exchange.pickup-cancelled', { ...claim, pickupTrackingNumber: '223456789013' }],
  // Cancels that give points back (after the others: the English test finds each kind's first).
  [
    'order.cancelled',
    { ...order, reason: 'USER_CANCELLED', wasPaid: true, payableAmount: 33_000, pointsRefund: 2_000 },
  ],
  ['order.cancelled', { ...order, reason: 'PAYMENT_FAILED', pointsRefund: 500 }],
];

const drafts = EVENTS.flatMap(([name, event]) => draftsFor(name, event));
const shown = (draft: NotificationDraft, facts: NotificationDraft['facts'] | null = draft.facts) =>
  notificationText({ ...draft, title: 'as written', body: 'as written', facts });

describe('notification text', () => {
  afterEach(() => setLanguage('ko'));

  it('reads in Korean exactly as notification-service writes it, for every kind it makes', async () => {
    await setLanguage('ko');
    const kinds = new Set(drafts.map((d) => d.kind));
    expect(kinds.size).toBe(17);
    for (const draft of drafts) expect(shown(draft)).toEqual({ title: draft.title, body: draft.body });
  });

  it('reads in English from the same facts, with amounts in won and the admin’s reason as written', async () => {
    await setLanguage('en');
    const english = drafts.map((draft) => shown(draft));
    // Only the admins' reasons (their words, data) may be Korean.
    const adminsWords = /사용 흔적이 있습니다|재고가 없습니다/gu;
    for (const text of english)
      expect(`${text.title} ${text.body}`.replace(adminsWords, '')).not.toMatch(/[\uAC00-\uD7A3]/u);
    const [placed, unnumbered, paid] = english;
    expect(placed).toEqual({
      title: 'Order received',
      body: 'Order ORD-20261207-AB12CD34 has been received. The amount to pay is ₩30,000.',
    });
    expect(unnumbered!.body).toBe('Your order has been received.');
    expect(paid!.body).toBe('Order ORD-20261207-AB12CD34 is paid (₩12,500). We are getting it ready.');
    const cancelled = drafts.findIndex((d) => d.kind === 'ORDER_CANCELLED');
    expect(english[cancelled]!.body).toBe(
      'Order ORD-20261207-AB12CD34 has been cancelled because an item ran out of stock. The ₩30,000 you paid will be refunded.',
    );
    const refunded = drafts.findIndex((d) => d.kind === 'PAYMENT_REFUNDED');
    expect(english[refunded]).toEqual({
      title: 'Payment refunded',
      body: 'Order ORD-20261207-AB12CD34 was cancelled, and the ₩5,000 you paid has been refunded.',
    });
    const completed = drafts.findIndex((d) => d.kind === 'RETURN_COMPLETED');
    expect(english[completed]!.body).toBe(
      'The return for order ORD-20261207-AB12CD34 is complete. ₩12,000 will be refunded. The 1,500 points you used are given back.',
    );
    const [pointsBack, failedPointsBack] = english.slice(-2);
    expect(pointsBack!.body).toBe(
      'Order ORD-20261207-AB12CD34 has been cancelled as you asked. The ₩33,000 you paid will be refunded. The 2,000 points you used are given back.',
    );
    expect(failedPointsBack!.body).toBe(
      'The payment for order ORD-20261207-AB12CD34 did not go through, so the order was cancelled. The 500 points you used are given back.',
    );
    const pickupCancelled = drafts.findIndex((d) => d.kind === 'RETURN_PICKUP_CANCELLED');
    expect(english[pickupCancelled]).toEqual({
      title: 'Return pickup cancelled',
      body: 'The courier cancelled the pickup for the return of order ORD-20261207-AB12CD34. We will get back to you.',
    });
    const rejected = drafts.findIndex((d) => d.kind === 'EXCHANGE_REJECTED');
    expect(english[rejected]!.body).toBe(
      'The exchange for order ORD-20261207-AB12CD34 was declined. Reason: 재고가 없습니다',
    );
  });

  it("shows an admin's reason exactly as written, never as wording to fill in", async () => {
    await setLanguage('en');
    const [rejected] = draftsFor('return.rejected', { ...claim, rejectReason: '$t(common.save) {{order}}' });
    expect(shown(rejected!).body).toBe(
      'The return for order ORD-20261207-AB12CD34 was declined. Reason: $t(common.save) {{order}}',
    );
  });

  it('shows what the service wrote when the notification has no facts (recorded before they were kept)', async () => {
    await setLanguage('en');
    expect(shown(drafts[0]!, null)).toEqual({ title: 'as written', body: 'as written' });
  });
});
