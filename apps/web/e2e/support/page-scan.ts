import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { WEB_DIR } from './web-server.ts';

/** Screenshots CI keeps as artifacts (`.ci-out/` at the repository root, git-ignored). */
export const SCREENSHOT_DIR = resolve(WEB_DIR, '..', '..', '.ci-out', 'screenshots');

export const PHONE = { width: 390, height: 844 } as const;
export const DESKTOP = { width: 1280, height: 900 } as const;

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i;
/** SCREAMING_SNAKE codes: PAYMENT_PENDING, USER_CANCELLED, PAY_PROCESS_CANCELED, ... */
const SNAKE_CODE = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/;
/** One-word server enums that must reach a shopper as a label. */
const BARE_CODE =
  /\b(PENDING|PAID|CANCELLED|APPROVED|FAILED|REFUNDED|ACTIVE|INACTIVE|SUSPENDED|NORMAL|USER|ADMIN|COMMIT|RESERVE|RELEASE|CHARGE|ISSUED|RESERVED|USED|EXPIRED)\b/;
/** An amount of a thousand won or more printed without separators: `78000원`, `78000 (카드)`, `1000000 won`. */
const RAW_AMOUNT = /(?<![\d,.-])\d{4,}\s*(원|won\b|\(카드\))/;

/** What a shopper must never read: each finding names its rule and the text around it. */
export function findInternalText(text: string): string[] {
  const findings: string[] = [];
  for (const [rule, pattern] of [
    ['uuid', UUID],
    ['code', SNAKE_CODE],
    ['enum', BARE_CODE],
    ['unformatted amount', RAW_AMOUNT],
  ] as const) {
    const match = pattern.exec(text);
    if (match) {
      const at = match.index;
      findings.push(`${rule}: …${text.slice(Math.max(0, at - 30), at + match[0].length + 30)}…`);
    }
  }
  return findings;
}

/** The page's rendered text: what a closed <details> folds away (the trace id) is not rendered. */
export function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => document.body.innerText);
}

/** Horizontal overflow in CSS pixels: 0 when nothing is clipped or scrolls sideways. */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth));
}

/**
 * The tables in the page's main area whose box scrolls sideways (a table wider than its card), each by
 * its accessible name: on a phone an admin should read a row without scrolling it. A diagram (the
 * service map) may scroll; a list may not.
 */
export function tablesScrollingSideways(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const element of document.querySelectorAll<HTMLElement>('main *')) {
      if (!['auto', 'scroll'].includes(getComputedStyle(element).overflowX)) continue;
      if (element.scrollWidth <= element.clientWidth + 1) continue;
      for (const table of element.querySelectorAll('table')) {
        const name = table.getAttribute('aria-label') ?? table.outerHTML.slice(0, 80);
        found.push(`${name} (${element.scrollWidth} px in ${element.clientWidth} px)`);
      }
    }
    return found;
  });
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Waits until the page's data has arrived: no skeletons or loaders left, fonts loaded. */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(
    () => !document.querySelector('.mantine-Skeleton-root, .mantine-Loader-root'),
    null,
    { timeout: 15_000 },
  );
  await page.evaluate(() => document.fonts.ready);
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

interface DomNode {
  nodeId: number;
  nodeType: number;
  nodeValue: string;
  children?: DomNode[];
}

/**
 * Text with Hangul that is not drawn in the bundled Noto Sans KR, as the browser reports the fonts it
 * used (DevTools' platform fonts of each element's own text). On a machine without Korean system fonts
 * such text shows as empty boxes, while the shop promises Hangul that renders the same everywhere.
 */
export async function hangulOutsideBundledFont(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1 })) as { root: DomNode };
    const findings: string[] = [];
    const pending = [root];
    for (let node = pending.pop(); node; node = pending.pop()) {
      const children = node.children ?? [];
      pending.push(...children);
      if (node.nodeType !== ELEMENT_NODE) continue;
      const own = children
        .filter((child) => child.nodeType === TEXT_NODE)
        .map((child) => child.nodeValue)
        .join('');
      const hangul = own.match(/[\uac00-\ud7a3]/g)?.length ?? 0;
      if (hangul === 0) continue;
      const { fonts } = (await cdp.send('CSS.getPlatformFontsForNode', { nodeId: node.nodeId })) as {
        fonts: Array<{ familyName: string; glyphCount: number }>;
      };
      // No fonts: not rendered (hidden, <title>, a closed <option>).
      if (fonts.length === 0) continue;
      const bundled = fonts
        .filter((font) => font.familyName.startsWith('Noto Sans KR'))
        .reduce((sum, font) => sum + font.glyphCount, 0);
      if (bundled < hangul)
        findings.push(`"${own.trim().slice(0, 40)}" drawn in ${fonts.map((f) => f.familyName).join(', ')}`);
    }
    return findings;
  } finally {
    await cdp.detach();
  }
}
