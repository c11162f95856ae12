import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { WEB_DIR } from './web-server.ts';

/** Failure screenshots land here (git-ignored). */
export const RESULTS_DIR = join(WEB_DIR, 'test-results');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/** Collects uncaught exceptions in the page: a passing flow with a crashing page is still a failure. */
export function collectPageErrors(page: Page): Error[] {
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error));
  return errors;
}

/** Runs `step` and, if it throws, saves a screenshot of every page named after it before rethrowing. */
export async function screenshotOnFailure<T>(
  name: string,
  pages: Page[],
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    await mkdir(RESULTS_DIR, { recursive: true });
    const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    await Promise.all(
      pages.map((page, index) =>
        page.screenshot({ path: join(RESULTS_DIR, `${slug}-${index}.png`), fullPage: true }).catch(() => {}),
      ),
    );
    throw error;
  }
}

/** The shop's language for a context: Korean is the default; most journeys read it in English. */
export type ShopLanguage = 'ko' | 'en';

/**
 * A browser context whose pages start in `language` (the web app's persisted choice, set before any
 * script runs). Tests that find things by English text use 'en'; the Korean pages have their own tests;
 * null leaves the choice to the page (Korean by default).
 */
export async function newShopContext(
  browser: Browser,
  baseURL: string,
  language: ShopLanguage | null = 'en',
  viewport?: { width: number; height: number },
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, ...(viewport ? { viewport } : {}) });
  if (language === null) return context;
  await context.addInitScript((lang) => {
    try {
      localStorage.setItem('sagamart.lang', lang);
    } catch {
      // Opaque origins (about:blank) have no storage.
    }
  }, language);
  return context;
}
