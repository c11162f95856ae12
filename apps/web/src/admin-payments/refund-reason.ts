import { i18n } from '../i18n/i18n.ts';
import { ko } from '../i18n/ko.ts';
import { isKnown } from '../i18n/labels.ts';

const ORDER_CANCELLED = /^Order cancelled \((\S+)\)$/;

/**
 * payment-service's note on why a payment is refunded (`Order cancelled (OUT_OF_STOCK)`, `Points
 * charge refunded`) in the reader's language, the cancel reason by its label; a note the web does
 * not know is shown as written (an operator's note, like the saga's last error).
 */
export function refundReasonLabel(reason: string): string {
  const cancelled = ORDER_CANCELLED.exec(reason)?.[1];
  if (isKnown(ko.adminOrders.list.cancelReason, cancelled)) {
    return i18n.t('adminOrders.payments.refundReason.orderCancelled', {
      reason: i18n.t(`adminOrders.list.cancelReason.${cancelled}`),
    });
  }
  switch (reason) {
    case 'Order cancelled':
      return i18n.t('adminOrders.payments.refundReason.orderCancelledPlain');
    case 'Order cancelled (at the PG)':
      return i18n.t('adminOrders.payments.refundReason.orderCancelledAtPg');
    case 'Points charge refunded':
      return i18n.t('adminOrders.payments.refundReason.chargeRefunded');
    case 'Points charge cancelled (PAYMENT_FAILED)':
      return i18n.t('adminOrders.payments.refundReason.chargeFailed');
    case 'Points charge cancelled (PAYMENT_TIMEOUT)':
      return i18n.t('adminOrders.payments.refundReason.chargeExpired');
    case 'Points charge cancelled (USER_CANCELLED)':
      return i18n.t('adminOrders.payments.refundReason.chargeCancelled');
    default:
      return reason;
  }
}
