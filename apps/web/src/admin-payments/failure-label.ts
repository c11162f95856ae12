import { i18n } from '../i18n/i18n.ts';
import { ko } from '../i18n/ko.ts';
import { isKnown, paymentFailureLabel } from '../i18n/labels.ts';

/**
 * Why the PG did not take a payment, for the admin, in the reader's language: a code the web knows
 * by its label, one it does not as "실패 (CODE)". Never the PG's own message, which is Korean
 * whatever the reader's language (pages keep it on hover, with the code, for support).
 */
export function adminPaymentFailureLabel(code: string | null): string {
  if (isKnown(ko.paymentFailure, code)) return paymentFailureLabel(code);
  const failed = i18n.t('adminOrders.payments.failed');
  return code ? `${failed} (${code})` : failed;
}
