import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.ts';
import { isParticle, withParticle } from './josa.ts';
import { ko } from './ko.ts';

/** The shop's languages, Korean first: it is the default whatever the browser prefers. */
export const LANGUAGES = ['ko', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'ko';

/** Where the shopper's choice is kept, so it survives reloads and new tabs. */
export const LANGUAGE_STORAGE_KEY = 'sagamart.lang';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function storedLanguage(): Language {
  try {
    const value = globalThis.localStorage?.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguage(value) ? value : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

/** `<html lang>` follows the language, so screen readers, fonts and hyphenation are right. */
function reflectLanguage(language: string): void {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: { ko: { translation: ko }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  // React escapes already.
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});
// `{{number, josa(pair: 이/가)}}`: the word, then the particle form it takes (Korean strings only).
i18n.services.formatter?.add('josa', (value, _lng, options: { pair?: unknown }) =>
  isParticle(options.pair) ? withParticle(String(value), options.pair) : String(value),
);
reflectLanguage(i18n.language);
i18n.on('languageChanged', reflectLanguage);

/** Switches the language and remembers it. */
export async function setLanguage(language: Language): Promise<void> {
  try {
    globalThis.localStorage?.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  await i18n.changeLanguage(language);
}

export function currentLanguage(): Language {
  return isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : DEFAULT_LANGUAGE;
}
