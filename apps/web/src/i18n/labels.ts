import {
  EMAIL_RULE_MESSAGE,
  NAME_CHARACTERS_MESSAGE,
  NAME_RULE_MESSAGE,
  PASSWORD_CONFIRM_MESSAGE,
  PASSWORD_MAX_LENGTH,
  PASSWORD_RULE_MESSAGE,
  PASSWORD_TOO_LONG_MESSAGE,
  PHONE_RULE_MESSAGE,
  POINTS_MAX_CHARGE,
} from '@sagamart/contracts/rules';
import { type ApiError, isApiError } from '../api/api-error.ts';
import { formatWon } from '../lib/format.ts';
import { currentLanguage, i18n } from './i18n.ts';
import { ko } from './ko.ts';

/**
 * Narrows a server string (an event name, a ledger type, a PG code) to a key the table has, so a
 * value the web does not know yet falls back to a generic label instead of showing the raw code.
 */
export function isKnown<T extends object>(table: T, key: string | null | undefined): key is keyof T & string {
  return typeof key === 'string' && Object.hasOwn(table, key);
}

/** The shopper's reason an order was cancelled, from order-service's `cancelReason`. */
export function cancelReasonLabel(reason: string | null | undefined): string {
  return isKnown(ko.cancelReason, reason) ? i18n.t(`cancelReason.${reason}`) : i18n.t('cancelReason.unknown');
}

/** A timeline entry's title from its event name. */
export function timelineLabel(event: string): string {
  return isKnown(ko.timeline, event) ? i18n.t(`timeline.${event}`) : i18n.t('timeline.other');
}

/** Why the PG did not take the payment, from its code (Toss-style, e.g. `PAY_PROCESS_CANCELED`). */
export function paymentFailureLabel(code: string | null | undefined): string {
  return isKnown(ko.paymentFailure, code)
    ? i18n.t(`paymentFailure.${code}`)
    : i18n.t('paymentFailure.unknown');
}

/** How the PG says it was paid ('카드', …), in the reader's words; a method it adds later as it says it. */
export function paymentMethodLabel(method: string): string {
  return isKnown(ko.paymentMethod, method) ? i18n.t(`paymentMethod.${method}`) : method;
}

/** A points ledger type (`CHARGE`, `COMMIT`, ...). */
export function pointMovementLabel(type: string): string {
  return isKnown(ko.status.pointMovement, type)
    ? i18n.t(`status.pointMovement.${type}`)
    : i18n.t('status.pointMovement.OTHER');
}

const ORDER_REASON = /\border\b/i;
/** An order number as shoppers know it (ORD-yyyyMMdd-XXXXXXXX), wherever the reason names one. */
const ORDER_NUMBER = /\bORD-\d{8}-[0-9A-Z]+\b/;
const CHARGE_REASON = /^Charge (\S+)$/;
const REFUND_REASON = /^Refund of charge (\S+)$/;

/**
 * user-service writes ledger reasons for support ("Used for order ORD-…", "Returned: order ORD-…
 * cancelled", "Charge PNT-…"; a cancel's row written before it kept the number names the order's
 * uuid): shoppers see what the movement was for, with the order or charge number they know, but never
 * an order's internal id.
 */
export function pointReasonLabel(reason: string | null): string {
  if (!reason) return i18n.t('common.none');
  const refund = REFUND_REASON.exec(reason);
  if (refund) return i18n.t('points.reasonRefund', { number: refund[1] ?? '' });
  const charge = CHARGE_REASON.exec(reason);
  if (charge) return i18n.t('points.reasonCharge', { number: charge[1] ?? '' });
  const order = ORDER_NUMBER.exec(reason);
  if (order) return i18n.t('points.reasonOrderNumber', { number: order[0] });
  if (ORDER_REASON.test(reason)) return i18n.t('points.reasonOrder');
  return i18n.t('common.none');
}

/**
 * What went wrong, in the shopper's language: a known problem code first, then the HTTP status.
 * The server's own `detail` (English, for developers) is used only when nothing better is known.
 */
export function errorTitle(error: unknown): string {
  if (!isApiError(error)) return i18n.t('error.title');
  if (error.isNetworkError) return i18n.t('error.network');
  const code = error.code;
  if (isKnown(ko.error.code, code)) return i18n.t(`error.code.${code}`);
  if (error.status === 401) return i18n.t('error.unauthorized');
  if (error.status === 403) return i18n.t('error.forbidden');
  if (error.status === 404) return i18n.t('error.notFound');
  if (error.status === 429) return i18n.t('error.tooMany');
  if (error.status >= 500) return i18n.t('error.server');
  if (error.status === 400 || error.status === 422) return i18n.t('error.invalid');
  return i18n.t('error.title');
}

/** The web's own words for a problem's code, when it has them (else undefined: the usual words apply). */
export function problemCodeLabel(error: unknown): string | undefined {
  const code = isApiError(error) ? error.code : undefined;
  return isKnown(ko.error.code, code) ? i18n.t(`error.code.${code}`) : undefined;
}

/** The limit a charge above `points.maxCharge` was refused at, formatted: the server's, else the contract's. */
export function chargeAboveMaxLabel(maxCharge: unknown = POINTS_MAX_CHARGE): string {
  const max =
    typeof maxCharge === 'number' && Number.isSafeInteger(maxCharge) ? maxCharge : POINTS_MAX_CHARGE;
  return i18n.t('pointsPage.aboveMax', { max: formatWon(max) });
}

/** Field words for problem codes that need the problem's own facts. */
const FIELD_WORDS_BY_CODE: Record<string, (error: ApiError) => string> = {
  'charge-above-max': (error) => chargeAboveMaxLabel(error.extensions.maxCharge),
};

/** The shared field rules (@sagamart/contracts/rules) the services explain in their English words. */
const RULE_WORDS: ReadonlyMap<string, () => string> = new Map<string, () => string>([
  [EMAIL_RULE_MESSAGE, () => i18n.t('rule.email')],
  [PASSWORD_RULE_MESSAGE, () => i18n.t('rule.password')],
  [PASSWORD_TOO_LONG_MESSAGE, () => i18n.t('rule.passwordTooLong', { max: PASSWORD_MAX_LENGTH })],
  [PASSWORD_CONFIRM_MESSAGE, () => i18n.t('rule.passwordConfirm')],
  [PHONE_RULE_MESSAGE, () => i18n.t('rule.phone')],
  [NAME_RULE_MESSAGE, () => i18n.t('rule.name')],
  [NAME_CHARACTERS_MESSAGE, () => i18n.t('rule.nameCharacters')],
]);

// Schema validation's own sentences (Ajv), which carry the limit.
const TOO_LONG = /^must NOT have more than (\d+) characters$/;
const MISSING = /^(must have required property|must NOT have fewer than 1 characters)/;
const HANGUL = /[\uac00-\ud7a3]/;

/**
 * A server's message about one field, in the reader's language: words for the problem's code, then
 * for the shared rule or the schema keyword it names; the server's own sentence only when it is
 * already in the reader's language; otherwise a generic word, never an English sentence in Korean.
 */
export function fieldErrorLabel(error: ApiError, message: string): string {
  const code = error.code;
  const byCode = code === undefined ? undefined : FIELD_WORDS_BY_CODE[code];
  if (byCode) return byCode(error);
  if (isKnown(ko.error.code, code)) return i18n.t(`error.code.${code}`);
  const rule = RULE_WORDS.get(message);
  if (rule) return rule();
  const tooLong = TOO_LONG.exec(message);
  if (tooLong) return i18n.t('fieldError.tooLong', { max: Number(tooLong[1]) });
  if (MISSING.test(message)) return i18n.t('fieldError.required');
  if (HANGUL.test(message) === (currentLanguage() === 'ko')) return message;
  return i18n.t('fieldError.invalid');
}

/** The server's per-field messages (keyed by the field's dotted path), each in the reader's language. */
export function serverFieldErrors(error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  return Object.fromEntries(
    Object.entries(error.fieldErrors).map(([field, message]) => [field, fieldErrorLabel(error, message)]),
  );
}
