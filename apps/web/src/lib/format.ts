const wonNumber = new Intl.NumberFormat('ko-KR', { maximumFractionDigits: 0 });

/** Integer won the way Korean shops print it: `12,900원`. */
export function formatWon(amount: number): string {
  return `${wonNumber.format(amount)}원`;
}

/** `+5,000원` / `-1,200원` for ledger movements. */
export function formatSignedWon(amount: number): string {
  return amount > 0 ? `+${formatWon(amount)}` : formatWon(amount);
}

// Swedish locale formatting yields ISO-like `2025-01-31 14:05`, compact and unambiguous in any UI language.
const dateTime = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeStyle: 'short' });
const date = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short' });

export function formatDateTime(iso: string | null | undefined): string {
  const value = parseDate(iso);
  return value ? dateTime.format(value) : '—';
}

export function formatDate(iso: string | null | undefined): string {
  const value = parseDate(iso);
  return value ? date.format(value) : '—';
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
