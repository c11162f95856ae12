/**
 * What the build writes is ASCII, every byte of it: service-main.cjs reads a bundle as one-byte
 * characters, so that V8 keeps its source as a one-byte string (docs/performance.md, change 18).
 * esbuild's `charset: 'ascii'` escapes strings, templates and names, but leaves regular expression
 * literals, tagged templates and legal comments as they were written (UTF-8). Each character left is
 * written here as `\uXXXX` (a character outside the BMP as its surrogate pair, `\uD83D\uDE00`), which
 * means the same character in a string, a template, a comment and a regular expression, with or
 * without the `u`/`v` flag (there a surrogate pair's two escapes are one code point). A character
 * escaped by a backslash (`/\색/`) loses that backslash. The exception is a tagged template's `raw`
 * text (`String.raw`), which shows the escape as written; its cooked text is the same. A source
 * map's columns are moved on the lines the escapes lengthened.
 */
import { isAscii } from 'node:buffer';

interface Output {
  path: string;
  contents: Uint8Array;
  readonly text: string;
}

/** Per generated line (0-based): the column (UTF-16) after which the line is longer, and by how much. */
type Lengthened = Map<number, Array<{ after: number; added: number }>>;

const isScript = (path: string) => /\.[cm]?js$/.test(path);

/** The build's outputs with every non-ASCII character of its scripts escaped and their maps moved. */
export function asciiOutputs(
  files: readonly Output[],
): Array<{ path: string; contents: Uint8Array | string }> {
  const lengthenedBy = new Map<string, Lengthened>();
  const scripts = files.map((file) => {
    if (!isScript(file.path) || isAscii(file.contents)) return file;
    const { code, lengthened } = escapeNonAscii(file.text, file.path);
    lengthenedBy.set(`${file.path}.map`, lengthened);
    return { path: file.path, contents: code };
  });
  return scripts.map((file) => {
    const lengthened = lengthenedBy.get(file.path);
    if (!lengthened) return file;
    const map = JSON.parse((file as Output).text) as { mappings: string };
    map.mappings = moveColumns(map.mappings, lengthened);
    return { path: file.path, contents: JSON.stringify(map) };
  });
}

/** `code` in ASCII only, and where its lines became longer. */
export function escapeNonAscii(code: string, name = 'the output'): { code: string; lengthened: Lengthened } {
  const pieces: string[] = [];
  const lengthened: Lengthened = new Map();
  let copied = 0;
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < code.length; i++) {
    const unit = code.charCodeAt(i);
    if (unit === 0x0a || (unit === 0x0d && code.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
      continue;
    }
    if (unit < 0x80) continue;
    if (unit === 0x2028 || unit === 0x2029)
      // A line terminator to JavaScript (in a comment or a tagged template): escaped, the lines after
      // it would move, and what it ends would end elsewhere.
      throw new Error(
        `${name}: U+${unit.toString(16).toUpperCase()} on line ${line + 1} cannot be written in ASCII`,
      );
    const next = code.charCodeAt(i + 1);
    const units = unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
    let backslashes = 0;
    while (code.charCodeAt(i - 1 - backslashes) === 0x5c) backslashes++;
    const start = backslashes % 2 === 1 ? i - 1 : i; // `\색` is `색`: the escape replaces both
    pieces.push(code.slice(copied, start));
    let escaped = '';
    for (let u = i; u < i + units; u++)
      escaped += `\\u${code.charCodeAt(u).toString(16).toUpperCase().padStart(4, '0')}`;
    pieces.push(escaped);
    copied = i + units;
    const lineShifts = lengthened.get(line) ?? [];
    lineShifts.push({ after: copied - lineStart, added: escaped.length - (copied - start) });
    lengthened.set(line, lineShifts);
    i += units - 1;
  }
  pieces.push(code.slice(copied));
  return { code: pieces.join(''), lengthened };
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * A source map's mappings with the generated columns of the lengthened lines moved. A segment's first
 * field is its column, relative to the previous segment's on the same line; the other fields (relative
 * across lines) are kept as they were.
 */
export function moveColumns(mappings: string, lengthened: Lengthened): string {
  const lines = mappings.split(';');
  for (const [line, shifts] of lengthened) {
    if (!lines[line]) continue;
    let column = 0;
    let moved = 0;
    lines[line] = lines[line]
      .split(',')
      .map((segment) => {
        let value = 0;
        let shift = 0;
        let end = 0;
        for (;;) {
          const digit = BASE64.indexOf(segment[end++]!);
          value += (digit & 31) << shift;
          shift += 5;
          if ((digit & 32) === 0) break;
        }
        column += value & 1 ? -(value >>> 1) : value >>> 1;
        let added = 0;
        for (const s of shifts) if (s.after <= column) added += s.added;
        const delta = column + added - moved;
        moved = column + added;
        return encodeVlq(delta) + segment.slice(end);
      })
      .join(',');
  }
  return lines.join(';');
}

function encodeVlq(n: number): string {
  let value = n < 0 ? (-n << 1) | 1 : n << 1;
  let out = '';
  do {
    let digit = value & 31;
    value >>>= 5;
    if (value > 0) digit |= 32;
    out += BASE64[digit];
  } while (value > 0);
  return out;
}
