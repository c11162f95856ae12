import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { acquireE2eEnvironment, type E2eEnvironment } from './environment.ts';

/** The platform and a browser for one describe block; the getters are valid inside its tests. */
export function useBrowserSuite() {
  let environment: E2eEnvironment;
  let browser: Browser;
  before(async () => {
    environment = await acquireE2eEnvironment();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await environment?.release();
  });
  return {
    get environment() {
      return environment;
    },
    get browser() {
      return browser;
    },
  };
}
