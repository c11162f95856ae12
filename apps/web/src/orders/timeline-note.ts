import type * as orders from '@sagamart/contracts/http/orders';
import type { Static } from 'typebox';
import { adminOrdersKo } from '../i18n/admin/orders.ts';
import { i18n } from '../i18n/i18n.ts';
import { isKnown, paymentFailureLabel, paymentMethodLabel } from '../i18n/labels.ts';
import { formatCount, formatWon } from '../lib/format.ts';
import type { OrderTimelineEntry } from './orders-api.ts';

/** What order-service reports on a timeline or saga-log entry: integer won and points, codes. */
export type TimelineFacts = Static<typeof orders.TimelineFacts>;

/**
 * An entry's line for the admin, in the reader's language: its facts worded here (order-service
 * writes no sentence). An entry recorded before facts existed keeps the note it was written with;
 * a cancel's note is its reason code, worded too.
 */
export function timelineNoteText(entry: Pick<OrderTimelineEntry, 'event' | 'note' | 'facts'>): string | null {
  if (entry.facts) return factsText(entry.facts);
  if (entry.event === 'CANCELLED' && isKnown(adminOrdersKo.list.cancelReason, entry.note)) {
    return i18n.t(`adminOrders.list.cancelReason.${entry.note}`);
  }
  return entry.note;
}

/** The facts as one line: `₩73,400 (Card)`, `Refunded ₩17,920, return shipping ₩3,000, 855 points returned`. */
export function factsText(facts: TimelineFacts): string | null {
  const words = 'adminOrders.timelineNote';
  const parts: string[] = [];
  if (facts.code !== undefined) {
    parts.push(i18n.t(`${words}.failed`, { reason: paymentFailureLabel(facts.code), code: facts.code }));
  } else if (facts.amount !== undefined) {
    const amount = formatWon(facts.amount);
    parts.push(
      facts.method
        ? i18n.t(`${words}.payment`, { amount, method: paymentMethodLabel(facts.method) })
        : i18n.t(`${words}.amount`, { amount }),
    );
  }
  if (facts.refundAmount !== undefined)
    parts.push(i18n.t(`${words}.refund`, { amount: formatWon(facts.refundAmount) }));
  if (facts.feeAmount) parts.push(i18n.t(`${words}.returnFee`, { amount: formatWon(facts.feeAmount) }));
  if (facts.pointsRefund) {
    parts.push(
      i18n.t(`${words}.pointsReturned`, {
        count: facts.pointsRefund,
        points: formatCount(facts.pointsRefund),
      }),
    );
  }
  if (facts.pointsAwarded) {
    parts.push(
      i18n.t(`${words}.pointsEarned`, {
        count: facts.pointsAwarded,
        points: formatCount(facts.pointsAwarded),
      }),
    );
  }
  if (facts.trackingNumber !== undefined) {
    parts.push(
      facts.shipmentKind === 'EXCHANGE'
        ? i18n.t(`${words}.exchangeParcel`, { number: facts.trackingNumber })
        : facts.trackingNumber,
    );
  }
  return parts.length > 0 ? parts.join(', ') : null;
}
