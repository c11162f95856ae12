/**
 * A strict allow-list HTML sanitizer for product descriptions. It does not try to parse HTML the way
 * a browser does; it tokenizes, keeps only the tags and attributes below, and writes every kept value
 * back out freshly escaped, so what the browser parses is exactly what was checked.
 *
 * Kept: p, br, strong, em, ul, ol, li, h2, h3, h4; img with src under /api/products/images/ or https:
 * (and alt); a with an https: href, always given rel="noopener noreferrer nofollow". Any other tag is
 * dropped but its text kept, except the tags in DROPPED_WITH_CONTENT, whose content goes too. Comments,
 * doctypes, processing instructions, every other attribute (event handlers, style, …) are removed.
 */

const ALLOWED = new Set(['p', 'br', 'strong', 'em', 'ul', 'ol', 'li', 'h2', 'h3', 'h4', 'img', 'a']);
const VOID = new Set(['br', 'img']);
const DROPPED_WITH_CONTENT = new Set([
  'script',
  'style',
  'textarea',
  'title',
  'iframe',
  'noscript',
  'noembed',
  'noframes',
  'xmp',
  'template',
  'object',
  'svg',
  'math',
  'plaintext',
  'frameset',
  'head',
  'select',
]);

export const IMAGE_SRC = /^\/api\/products\/images\/[A-Za-z0-9-]{1,64}$/;
/**
 * An uploaded image's URL path anywhere in a description (a local src, or an https one to this shop),
 * the id captured. Plain enough to be both a JavaScript and a PostgreSQL regular expression: a product
 * save finds them with uploadedImageIds (recorded in description_images, what the image cleanup reads);
 * migration 0008 matched the descriptions saved before it in SQL.
 */
export const UPLOADED_IMAGE_REFERENCE =
  '/api/products/images/([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})';
/** https only, a host, then no whitespace, quotes, angle brackets, backslashes or backticks. */
export const HTTPS_URL = /^https:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:[/?#][^\s"'<>\\`]*)?$/;
const REL = 'noopener noreferrer nofollow';
const MAX_ALT = 300;

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  colon: ':',
  sol: '/',
  tab: '\t',
  newline: '\n',
  period: '.',
  lpar: '(',
  rpar: ')',
};

/** Decodes numeric references and a few named ones; anything unknown stays literal (and is escaped on output). */
export function decodeEntities(value: string): string {
  return value.replace(
    /&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,10}|[a-zA-Z][a-zA-Z0-9]{1,31});?/g,
    (match, ref: string) => {
      if (ref.startsWith('#')) {
        const code =
          ref[1] === 'x' || ref[1] === 'X'
            ? Number.parseInt(ref.slice(2), 16)
            : Number.parseInt(ref.slice(1), 10);
        if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
          return '\ufffd';
        return String.fromCodePoint(code);
      }
      const named = NAMED[ref.toLowerCase()];
      return named !== undefined && match.endsWith(';') ? named : match;
    },
  );
}

export function escapeAttribute(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('"', '&quot;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}

/** Text between tags: `<` and `>` escaped; `&` kept only where it starts a well-formed character reference. */
function escapeText(text: string): string {
  return text
    .replace(/&(?!#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[a-zA-Z][a-zA-Z0-9]{1,31};)/g, '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}

interface Tag {
  name: string;
  attributes: Map<string, string>;
  end: number;
}

const NAME = /^[a-zA-Z][a-zA-Z0-9-]*/;
const SPACE = /[\s/]/;

/** Reads a start tag at `lt` (html[lt] === '<'); undefined when it never closes. */
function readStartTag(html: string, lt: number): Tag | undefined {
  const name = NAME.exec(html.slice(lt + 1, lt + 64))?.[0];
  if (!name) return undefined;
  const attributes = new Map<string, string>();
  let i = lt + 1 + name.length;
  for (;;) {
    while (i < html.length && SPACE.test(html[i]!)) i++;
    if (i >= html.length) return undefined;
    if (html[i] === '>') return { name: name.toLowerCase(), attributes, end: i + 1 };
    const attr = /^[^\s"'>/=]+/.exec(html.slice(i, i + 256))?.[0];
    if (!attr) {
      // A stray quote or '=' where a name should be: skip it as a browser would.
      i++;
      continue;
    }
    i += attr.length;
    while (i < html.length && /\s/.test(html[i]!)) i++;
    let value = '';
    if (html[i] === '=') {
      i++;
      while (i < html.length && /\s/.test(html[i]!)) i++;
      const quote = html[i];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, i + 1);
        if (close === -1) return undefined;
        value = html.slice(i + 1, close);
        i = close + 1;
      } else {
        const raw = /^[^\s>]*/.exec(html.slice(i))![0];
        value = raw;
        i += raw.length;
      }
    }
    const key = attr.toLowerCase();
    if (!attributes.has(key)) attributes.set(key, decodeEntities(value));
  }
}

/** The kept attributes of an allowed tag, or null when the tag itself must go (an img without a valid src). */
function keptAttributes(tag: Tag): string | null {
  if (tag.name === 'img') {
    const src = tag.attributes.get('src')?.trim() ?? '';
    if (!IMAGE_SRC.test(src) && !HTTPS_URL.test(src)) return null;
    const alt = (tag.attributes.get('alt') ?? '').replace(/\p{Cc}/gu, ' ').slice(0, MAX_ALT);
    return ` src="${escapeAttribute(src)}" alt="${escapeAttribute(alt)}"`;
  }
  if (tag.name === 'a') {
    const href = tag.attributes.get('href')?.trim() ?? '';
    if (!HTTPS_URL.test(href)) return null;
    return ` href="${escapeAttribute(href)}" rel="${REL}"`;
  }
  return '';
}

/** Index just past the end tag `</name…>` at or after `from`, or the end of the input. */
function skipPast(html: string, name: string, from: number): number {
  const lower = html.toLowerCase();
  let at = from;
  for (;;) {
    const found = lower.indexOf(`</${name}`, at);
    if (found === -1) return html.length;
    const after = lower[found + 2 + name.length];
    if (after === undefined || after === '>' || SPACE.test(after)) {
      const gt = html.indexOf('>', found);
      return gt === -1 ? html.length : gt + 1;
    }
    at = found + 2;
  }
}

export function sanitizeHtml(html: string): string {
  const out: string[] = [];
  /** Allowed elements currently open, and whether their start tag was written (an `a` without href is not). */
  const open: Array<{ name: string; written: boolean }> = [];
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      out.push(escapeText(html.slice(i)));
      break;
    }
    out.push(escapeText(html.slice(i, lt)));
    const next = html[lt + 1];
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end === -1 ? html.length : end + 3;
    } else if (html.startsWith('<![CDATA[', lt)) {
      const end = html.indexOf(']]>', lt + 9);
      i = end === -1 ? html.length : end + 3;
    } else if (next === '!' || next === '?') {
      const end = html.indexOf('>', lt);
      i = end === -1 ? html.length : end + 1;
    } else if (next === '/') {
      const name = NAME.exec(html.slice(lt + 2, lt + 66))?.[0];
      if (!name) {
        out.push('&lt;');
        i = lt + 1;
        continue;
      }
      const gt = html.indexOf('>', lt);
      i = gt === -1 ? html.length : gt + 1;
      closeTag(name.toLowerCase(), open, out);
    } else if (next !== undefined && /[a-zA-Z]/.test(next)) {
      const tag = readStartTag(html, lt);
      if (!tag) break; // An unterminated tag: drop the rest rather than guess.
      i = tag.end;
      if (DROPPED_WITH_CONTENT.has(tag.name)) {
        i = skipPast(html, tag.name, i);
      } else if (ALLOWED.has(tag.name)) {
        const attributes = keptAttributes(tag);
        if (VOID.has(tag.name)) {
          if (attributes !== null) out.push(`<${tag.name}${attributes}>`);
        } else {
          open.push({ name: tag.name, written: attributes !== null });
          if (attributes !== null) out.push(`<${tag.name}${attributes}>`);
        }
      }
    } else {
      out.push('&lt;');
      i = lt + 1;
    }
  }
  while (open.length) {
    const element = open.pop()!;
    if (element.written) out.push(`</${element.name}>`);
  }
  return out.join('');
}

/** Closes `name` and anything opened inside it; an end tag with nothing to close is dropped. */
function closeTag(name: string, open: Array<{ name: string; written: boolean }>, out: string[]): void {
  if (VOID.has(name) || !ALLOWED.has(name)) return;
  const index = open.findLastIndex((e) => e.name === name);
  if (index === -1) return;
  while (open.length > index) {
    const element = open.pop()!;
    if (element.written) out.push(`</${element.name}>`);
  }
}

const BLOCK_BREAK = /<\/?(p|br|li|ul|ol|h2|h3|h4)\b[^>]*>/gi;

/** Plain text of sanitized HTML, for search: tags become spaces at block boundaries, entities decoded. */
export function htmlToText(sanitized: string): string {
  return decodeEntities(sanitized.replace(BLOCK_BREAK, ' ').replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
}

/** The ids (lower-case, each once) of the uploaded images a description shows. */
export function uploadedImageIds(html: string): string[] {
  const ids = [...html.matchAll(new RegExp(UPLOADED_IMAGE_REFERENCE, 'g'))].map((m) => m[1]!.toLowerCase());
  return [...new Set(ids)];
}
