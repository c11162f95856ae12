import type { NotificationView } from '@sagamart/contracts';
import { i18n } from '../i18n/i18n.ts';
import { formatPoints, formatWon } from '../lib/format.ts';

export interface NotificationText {
  title: string;
  body: string;
}

type Worded = Pick<NotificationView, 'kind' | 'title' | 'body' | 'orderNumber' | 'facts'>;

/**
 * A notification in the reader's language, from its kind and facts (i18n `notificationWords`). One
 * recorded before the service kept facts reads as the service wrote it (in Korean).
 */
export function notificationText(notification: Worded): NotificationText {
  const { facts } = notification;
  if (facts === null) return { title: notification.title, body: notification.body };
  const t = i18n.t;
  const number = notification.orderNumber;
  const order = number ? t('notificationWords.order', { number }) : t('notificationWords.anOrder');
  const about = { order, Order: order.charAt(0).toUpperCase() + order.slice(1) };
  const amount = facts.amount !== undefined ? formatWon(facts.amount) : undefined;
  // Points given back: "1,500P" in Korean, "1,500 points" in English; never won.
  const points = facts.points
    ? { points: facts.points.toLocaleString('en-US'), pointsP: formatPoints(facts.points) }
    : undefined;

  const kind = notification.kind;
  switch (kind) {
    case 'PAYMENT_FAILED':
      return {
        title: t('notificationWords.kind.PAYMENT_FAILED.title'),
        body:
          t('notificationWords.kind.PAYMENT_FAILED.body', about) +
          (points ? t('notificationWords.kind.PAYMENT_FAILED.points', points) : ''),
      };
    case 'SHIPMENT_DELIVERED':
    case 'RETURN_APPROVED':
    case 'RETURN_PICKUP_CANCELLED':
    case 'EXCHANGE_APPROVED':
    case 'EXCHANGE_PICKUP_CANCELLED':
    case 'EXCHANGE_COMPLETED':
      return {
        title: t(`notificationWords.kind.${kind}.title`),
        body: t(`notificationWords.kind.${kind}.body`, about),
      };
    case 'ORDER_PLACED':
      return {
        title: t('notificationWords.kind.ORDER_PLACED.title'),
        body:
          t('notificationWords.kind.ORDER_PLACED.body', about) +
          (amount ? t('notificationWords.kind.ORDER_PLACED.toPay', { amount }) : ''),
      };
    case 'ORDER_PAID':
    case 'ADMIN_ORDER_PAID':
      return {
        title: t(`notificationWords.kind.${kind}.title`),
        body: amount
          ? t(`notificationWords.kind.${kind}.bodyWithAmount`, { ...about, amount })
          : t(`notificationWords.kind.${kind}.body`, about),
      };
    case 'ORDER_CANCELLED': {
      const why = facts.cancelReason ? t(`notificationWords.cancelReason.${facts.cancelReason}`) : undefined;
      return {
        title: t('notificationWords.kind.ORDER_CANCELLED.title'),
        body:
          (why
            ? t('notificationWords.kind.ORDER_CANCELLED.bodyBecause', { ...about, why })
            : t('notificationWords.kind.ORDER_CANCELLED.body', about)) +
          (amount ? t('notificationWords.kind.ORDER_CANCELLED.refund', { amount }) : '') +
          (points ? t('notificationWords.kind.ORDER_CANCELLED.points', points) : ''),
      };
    }
    case 'PAYMENT_REFUNDED':
      return {
        title: t('notificationWords.kind.PAYMENT_REFUNDED.title'),
        body: t('notificationWords.kind.PAYMENT_REFUNDED.body', { ...about, amount: amount ?? '' }),
      };
    case 'SHIPMENT_DISPATCHED':
      return {
        title: t('notificationWords.kind.SHIPMENT_DISPATCHED.title'),
        body: facts.exchange
          ? t('notificationWords.kind.SHIPMENT_DISPATCHED.bodyExchange', about)
          : t('notificationWords.kind.SHIPMENT_DISPATCHED.body', about),
      };
    case 'RETURN_REJECTED':
    case 'EXCHANGE_REJECTED':
      return {
        title: t(`notificationWords.kind.${kind}.title`),
        body:
          t(`notificationWords.kind.${kind}.body`, about) +
          (facts.rejectReason
            ? t(`notificationWords.kind.${kind}.reason`, { reason: facts.rejectReason })
            : ''),
      };
    case 'RETURN_COMPLETED':
      return {
        title: t('notificationWords.kind.RETURN_COMPLETED.title'),
        body:
          t('notificationWords.kind.RETURN_COMPLETED.body', about) +
          (amount ? t('notificationWords.kind.RETURN_COMPLETED.refund', { amount }) : '') +
          (points ? t('notificationWords.kind.RETURN_COMPLETED.points', points) : ''),
      };
    case 'ADMIN_CLAIM_REQUESTED': {
      const claim = facts.claim === 'EXCHANGE' ? 'Exchange' : 'Return';
      return {
        title: t(`notificationWords.kind.ADMIN_CLAIM_REQUESTED.title${claim}`),
        body: t(`notificationWords.kind.ADMIN_CLAIM_REQUESTED.body${claim}`, about),
      };
    }
  }
}
