import { isApiError } from '../api/api-error.ts';
import { i18n } from '../i18n/i18n.ts';
import { ko } from '../i18n/ko.ts';
import { isKnown } from '../i18n/labels.ts';

/**
 * Why order-service refused an admin's cancel, in the admin's words. Its own detail and the shared
 * error labels are written for the shopper ("반품을 신청해 주세요"), which an admin cannot do; an
 * unknown refusal is left to the usual error alert.
 */
export function adminCancelRefusal(error: unknown): string | undefined {
  if (!isApiError(error)) return undefined;
  const code = error.code;
  return isKnown(ko.adminOrders.detail.cancelRefused, code)
    ? i18n.t(`adminOrders.detail.cancelRefused.${code}`)
    : undefined;
}
