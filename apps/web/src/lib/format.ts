import { currentLanguage, type Language } from '../i18n/i18n.ts';

const wonNumber = new Intl.NumberFormat('ko-KR', { maximumFractionDigits: 0 });
const wonCurrency = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'KRW' });

/**
 * Integer won the way the reader's language prints it: `12,900원` as Korean shops do, `₩12,900` in
 * English (원 is a word an English reader may not know; the labels say "won").
 */
export function formatWon(amount: number): string {
  return currentLanguage() === 'ko' ? `${wonNumber.format(amount)}원` : wonCurrency.format(amount);
}

/**
 * A chart axis's tick, short: 1,250,000 → 125만 (1.3M in English), 65,000 → 6.5만 (65K); below 만 the
 * number stays whole. Every amount a person reads is formatWon.
 */
export function formatWonTick(won: number): string {
  const language = currentLanguage();
  return won < 10_000 ? wholeIn[language].format(won) : compactIn[language].format(won);
}
const wholeIn: Record<Language, Intl.NumberFormat> = {
  ko: new Intl.NumberFormat('ko-KR'),
  en: new Intl.NumberFormat('en-US'),
};
const compact = (locale: string) =>
  new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
const compactIn: Record<Language, Intl.NumberFormat> = { ko: compact('ko-KR'), en: compact('en-US') };

/** A won amount field's unit, where the language puts it: after in Korean (`10,000원`), before in English (`₩10,000`). */
export function wonAffix(): { prefix: string } | { suffix: string } {
  return currentLanguage() === 'ko' ? { suffix: '원' } : { prefix: '₩' };
}

/** `+5,000원` / `-1,200원` (`+₩5,000` / `-₩1,200`) for ledger movements. */
export function formatSignedWon(amount: number): string {
  return amount > 0 ? `+${formatWon(amount)}` : formatWon(amount);
}

const pointNumber = new Intl.NumberFormat('ko-KR', { maximumFractionDigits: 0 });

/**
 * Points in one unit everywhere, `7,855P` in either language: a point spends as 1원 but is not cash
 * (earned points never go back to a card), so a balance, a movement or the points an order used is
 * never written in won. What was paid for a charge, or refunded for it, is money: `formatWon`.
 */
export function formatPoints(points: number): string {
  return `${pointNumber.format(points)}P`;
}

/** `+855P` / `-3,000P` for ledger movements. */
export function formatSignedPoints(points: number): string {
  return points > 0 ? `+${formatPoints(points)}` : formatPoints(points);
}

/**
 * The shop's clock: Seoul, whatever the reader's browser is set to. Order numbers carry the Seoul
 * date, the dashboard's days are Seoul days and the customer centre keeps Seoul hours (contracts'
 * `seoulDate`), so every date and time the web shows is Seoul's too. Seoul keeps no daylight saving.
 */
export const SHOP_TIME_ZONE = 'Asia/Seoul';
const SHOP_UTC_OFFSET = '+09:00';

// Swedish locale formatting yields ISO-like `2025-01-31 14:05`, compact and unambiguous in any UI language.
const dateTime = new Intl.DateTimeFormat('sv-SE', {
  dateStyle: 'short',
  timeStyle: 'short',
  timeZone: SHOP_TIME_ZONE,
});
const date = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeZone: SHOP_TIME_ZONE });
const hourMinute = (locale: string) =>
  new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: SHOP_TIME_ZONE });
const hourMinuteIn: Record<Language, Intl.DateTimeFormat> = {
  ko: hourMinute('ko-KR'),
  en: hourMinute('en-US'),
};

export function formatDateTime(iso: string | null | undefined): string {
  const value = parseDate(iso);
  return value ? dateTime.format(value) : '—';
}

export function formatDate(iso: string | null | undefined): string {
  const value = parseDate(iso);
  return value ? date.format(value) : '—';
}

/** The time of day in the shop's clock, for a chat message: `오후 02:05` in Korean, `02:05 PM` in English. */
export function formatTimeOfDay(at: Date): string {
  return hourMinuteIn[currentLanguage()].format(at);
}

/** `YYYY-MM-DDTHH:mm` on the shop's clock, as `<input type="datetime-local">` wants it; '' if invalid. */
export function toShopInput(at: Date): string {
  if (Number.isNaN(at.getTime())) return '';
  return dateTime.format(at).replace(' ', 'T');
}

/** A `datetime-local` value read on the shop's clock; undefined when empty or invalid. */
export function parseShopInput(value: string): Date | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?$/.exec(value);
  if (!match) return undefined;
  const at = new Date(`${match[1]}${match[2] ?? ':00'}${SHOP_UTC_OFFSET}`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** How long ago, in the largest whole unit below a day (`now` under two seconds); undefined when older or unknown. */
export interface Elapsed {
  unit: 'now' | 'seconds' | 'minutes' | 'hours';
  count: number;
}

/** For heartbeats and other recent events: the caller words it (`3분 전`), or shows a date when undefined. */
export function elapsedSince(iso: string | null | undefined, now = Date.now()): Elapsed | undefined {
  const value = parseDate(iso);
  if (!value) return undefined;
  const seconds = Math.max(0, Math.round((now - value.getTime()) / 1000));
  if (seconds < 2) return { unit: 'now', count: 0 };
  if (seconds < 60) return { unit: 'seconds', count: seconds };
  if (seconds < 3600) return { unit: 'minutes', count: Math.floor(seconds / 60) };
  if (seconds < 86_400) return { unit: 'hours', count: Math.floor(seconds / 3600) };
  return undefined;
}

// Figures the admin reads (counts, rates, shares) group thousands the Korean way in either language.
const wholeNumber = new Intl.NumberFormat('ko-KR', { maximumFractionDigits: 0 });

/** `1,234`: a count. */
export function formatCount(value: number): string {
  return wholeNumber.format(value);
}

/** `1,234.50`: a rate with exactly `digits` decimals. */
export function formatDecimal(value: number, digits: number): string {
  return new Intl.NumberFormat('ko-KR', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

/** `12.5%` from 0.125: one decimal, two for a share under 1 % (so a rare error never reads 0.0%). */
export function formatPercent(ratio: number): string {
  const digits = ratio > 0 && ratio < 0.01 ? 2 : 1;
  return new Intl.NumberFormat('ko-KR', {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(ratio);
}

function parseDate(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const value = new Date(iso);
  return Number.isNaN(value.getTime()) ? null : value;
}
