import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../i18n/i18n.ts';
import {
  elapsedSince,
  formatCount,
  formatDate,
  formatDateTime,
  formatDecimal,
  formatPercent,
  formatPoints,
  formatSignedPoints,
  formatSignedWon,
  formatWon,
  formatWonTick,
  parseShopInput,
  toShopInput,
} from './format.ts';

describe('money', () => {
  afterEach(() => setLanguage('ko'));

  it('prints won as Korean shops do, and with the won sign in English', async () => {
    await setLanguage('ko');
    expect([formatWon(12_900), formatSignedWon(5_000), formatSignedWon(-1_200), formatWon(0)]).toEqual([
      '12,900원',
      '+5,000원',
      '-1,200원',
      '0원',
    ]);
    await setLanguage('en');
    expect([formatWon(12_900), formatSignedWon(5_000), formatSignedWon(-1_200), formatWon(0)]).toEqual([
      '₩12,900',
      '+₩5,000',
      '-₩1,200',
      '₩0',
    ]);
  });

  it('prints points in P in either language: points are not cash', async () => {
    for (const language of ['ko', 'en'] as const) {
      await setLanguage(language);
      expect([
        formatPoints(7_855),
        formatSignedPoints(855),
        formatSignedPoints(-3_000),
        formatPoints(0),
      ]).toEqual(['7,855P', '+855P', '-3,000P', '0P']);
    }
  });

  it("shortens a chart's ticks in the reader's units, whole below 10,000", async () => {
    await setLanguage('ko');
    expect([9_500, 65_000, 1_250_000, 120_000_000].map(formatWonTick)).toEqual([
      '9,500',
      '6.5만',
      '125만',
      '1.2억',
    ]);
    await setLanguage('en');
    expect([9_500, 65_000, 1_250_000, 120_000_000].map(formatWonTick)).toEqual([
      '9,500',
      '65K',
      '1.3M',
      '120M',
    ]);
  });
});

describe('admin figures', () => {
  it('groups thousands and keeps the decimals asked for', () => {
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatDecimal(1234.5, 2)).toBe('1,234.50');
    expect(formatDecimal(0.25, 1)).toBe('0.3');
  });

  it('shows shares as percent, a rare error with two decimals so it never reads 0.0%', () => {
    expect(formatPercent(0.125)).toBe('12.5%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(0.0012)).toBe('0.12%');
    expect(formatPercent(1)).toBe('100.0%');
  });

  it('says how long ago in the largest whole unit, and leaves a day or more to a date', () => {
    const now = Date.parse('2026-01-31T12:00:00Z');
    const ago = (seconds: number) => elapsedSince(new Date(now - seconds * 1000).toISOString(), now);
    expect(ago(1)).toEqual({ unit: 'now', count: 0 });
    expect(ago(42)).toEqual({ unit: 'seconds', count: 42 });
    expect(ago(3 * 60 + 59)).toEqual({ unit: 'minutes', count: 3 });
    expect(ago(5 * 3600)).toEqual({ unit: 'hours', count: 5 });
    expect(ago(86_400)).toBeUndefined();
    expect(elapsedSince(null, now)).toBeUndefined();
    expect(elapsedSince('not a date', now)).toBeUndefined();
  });
});

describe('the shop clock', () => {
  // 21:32 UTC on the 6th is 06:32 on the 7th in Seoul, the day the order number carries.
  const lateEveningUtc = '2026-12-06T21:32:00Z';

  it('shows dates and times on Seoul time, whatever zone the browser is in', () => {
    expect(formatDateTime(lateEveningUtc)).toBe('2026-12-07 06:32');
    expect(formatDate(lateEveningUtc)).toBe('2026-12-07');
    expect(formatDate(null)).toBe('—');
  });

  it('round-trips a datetime-local value on Seoul time', () => {
    expect(toShopInput(new Date(lateEveningUtc))).toBe('2026-12-07T06:32');
    // Midnight in Seoul is 00:00, the form a datetime-local input takes.
    expect(toShopInput(new Date('2026-12-06T15:00:00Z'))).toBe('2026-12-07T00:00');
    expect(parseShopInput('2026-12-07T06:32')?.toISOString()).toBe('2026-12-06T21:32:00.000Z');
    expect(parseShopInput('2026-12-07T06:32:15')?.toISOString()).toBe('2026-12-06T21:32:15.000Z');
    expect(parseShopInput('')).toBeUndefined();
    expect(parseShopInput('2026-13-40T99:99')).toBeUndefined();
    expect(toShopInput(new Date(Number.NaN))).toBe('');
  });
});
