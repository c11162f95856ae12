import { isApiError } from '../../api/api-error.ts';
import type { MyCoupon } from '../../coupons/coupons-api.ts';
import { i18n } from '../../i18n/i18n.ts';
import { ko } from '../../i18n/ko.ts';
import { isKnown } from '../../i18n/labels.ts';
import { formatWon } from '../../lib/format.ts';

/** How checkout words a refusal: the alert's title and, when the code alone would mislead, its text. */
export interface Refusal {
  title: string;
  message?: string;
}

interface RefusalContext {
  /** A buy-now checkout: its one item is not in the cart, so nothing is to be removed from there. */
  buyNow: boolean;
  /** The coupon chosen, as the picker listed it (its minimum order amount). */
  coupon: Pick<MyCoupon, 'minOrderAmount'> | undefined;
}

/** The quote's refusals name what to change: the coupon (and why), the points, or the items. */
export function quoteRefusal(error: unknown, context: RefusalContext): Refusal {
  const code = isApiError(error) ? error.code : undefined;
  if (code === 'COUPON_UNAVAILABLE')
    return couponRefusal(isApiError(error) ? error.reason : undefined, context);
  if (code === 'POINTS_INSUFFICIENT') return { title: i18n.t('checkout.pointsRefused') };
  const message = itemsRefusalMessage(error, context.buyNow);
  return {
    title: context.buyNow ? i18n.t('checkout.buyNowRefused') : i18n.t('checkout.itemsRefused'),
    ...(message ? { message } : {}),
  };
}

/** promotion-service's reason (COUPON_UNAVAILABLE's `reason`), with the minimum when that is it. */
function couponRefusal(reason: string | undefined, { coupon }: RefusalContext): Refusal {
  if (reason === 'MIN_ORDER_AMOUNT') {
    const minimum = coupon?.minOrderAmount ?? 0;
    return {
      title:
        minimum > 0
          ? i18n.t('checkout.couponRefusal.MIN_ORDER_AMOUNT', { amount: formatWon(minimum) })
          : i18n.t('checkout.couponBelowMinimum'),
      message: i18n.t('checkout.couponMinimumHint'),
    };
  }
  return {
    title: isKnown(ko.checkout.couponRefusal, reason)
      ? i18n.t(`checkout.couponRefusal.${reason}`)
      : i18n.t('checkout.couponRefused'),
    message: i18n.t('checkout.couponRefusedHint'),
  };
}

/**
 * What is wrong with the items when one is not on sale (or no longer exists), in words that fit
 * where it came from; undefined leaves the alert to word the problem's code.
 */
export function itemsRefusalMessage(error: unknown, buyNow: boolean): string | undefined {
  const code = isApiError(error) ? error.code : undefined;
  if (code !== 'sku-unavailable' && code !== 'unknown-sku') return undefined;
  return buyNow ? i18n.t('checkout.buyNowGone') : i18n.t('error.code.sku-unavailable');
}
