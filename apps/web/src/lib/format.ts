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

/** `just now`, `12s ago`, `3m ago`, `2h ago`, else a date: for heartbeats and other recent events. */
export function formatTimeAgo(iso: string | null | undefined, now = Date.now()): string {
  const value = parseDate(iso);
  if (!value) return '—';
  const seconds = Math.round((now - value.getTime()) / 1000);
  if (seconds < 2) return 'just now';
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return formatDateTime(iso);
}

function parseDate(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const value = new Date(iso);
  return Number.isNaN(value.getTime()) ? null : value;
}
