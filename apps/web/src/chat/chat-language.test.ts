import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chatEn, chatKo } from '../i18n/chat.ts';
import { setLanguage } from '../i18n/i18n.ts';
import { formatTimeOfDay } from '../lib/format.ts';
import { TitleFlasher } from './attention.ts';

const HANGUL = /[\uac00-\ud7a3]/;

/** Enough of a document for the flasher: a title, and a tab that is never looked at. */
function hiddenTab(title: string) {
  return {
    title,
    visibilityState: 'hidden',
    hasFocus: () => false,
    addEventListener: () => {},
    removeEventListener: () => {},
    defaultView: null,
  } as unknown as Document & { title: string };
}

function leaves(value: unknown, path = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  return Object.entries(value as object).flatMap(([key, child]) =>
    leaves(child, path ? `${path}.${key}` : key),
  );
}

describe("the chat's words follow the language", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(async () => {
    vi.useRealTimers();
    await setLanguage('ko');
  });

  it("flashes the agent's tab with new messages in the language of the moment", async () => {
    const doc = hiddenTab('상담 콘솔 | 박신사몰');
    const flasher = new TitleFlasher(doc);
    flasher.notify();
    vi.advanceTimersByTime(1_000);
    expect(doc.title).toBe('(1) 새 메시지');
    vi.advanceTimersByTime(1_000);
    expect(doc.title).toBe('상담 콘솔 | 박신사몰');

    await setLanguage('en');
    flasher.notify();
    vi.advanceTimersByTime(1_000);
    expect(doc.title).toBe('(2) New messages');
    flasher.stop();
    expect(doc.title).toBe('상담 콘솔 | 박신사몰');

    flasher.notify();
    vi.advanceTimersByTime(1_000);
    expect(doc.title).toBe('(1) New message');
    flasher.stop();
  });

  it("times a message the reader's way, on the shop's clock", async () => {
    // 05:05 UTC is 14:05 in Seoul.
    const at = new Date('2026-12-07T05:05:00Z');
    await setLanguage('en');
    expect(formatTimeOfDay(at)).toBe('02:05 PM');
    await setLanguage('ko');
    // `오후 02:05` in a browser; Node's ICU names the half of the day as its CLDR version has it.
    expect(formatTimeOfDay(at)).toMatch(/^\S+ 02:05$/);
  });

  it('has no Korean left in its English words', () => {
    const korean = leaves(chatEn).filter(([, text]) => HANGUL.test(text));
    expect(korean).toEqual([]);
    // Every Korean word has its English one (the type says so; this says none is left empty by mistake).
    const empty = leaves(chatEn).filter(([path, text]) => text === '' && path !== 'widget.aboutOrderAfter');
    expect(empty).toEqual([]);
    expect(leaves(chatEn).map(([path]) => path)).toEqual(leaves(chatKo).map(([path]) => path));
  });
});
