// Imported for its effect: stack traces through a compiled bundle (…/dist/….mjs) name the TypeScript
// sources, as `--enable-source-maps` would, but a bundle's map is read only when a stack through
// that bundle is first formatted, and kept as a compact line index. Node 20's own source maps parse
// every loaded map at start and a whole map into objects on the first stack through it: 12-30 MB
// for the in-process bundle (docs/performance.md, change 16).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BASE64 = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries())
  BASE64[c.charCodeAt(0)] = i;

/** Source map v3 `mappings`, decoded one generated line at a time. */
class LineIndexedMap {
  constructor(map, mapFile) {
    this.sources = map.sources.map((s) => resolve(dirname(mapFile), map.sourceRoot ?? '', s));
    this.mappings = map.mappings;
    // Where each generated line starts in `mappings`, and the decoder's running state there (the
    // source index, original line and column are deltas across lines).
    const starts = [0];
    const states = [0, 0, 0];
    const state = [0, 0, 0];
    for (let at = 0; at < this.mappings.length; ) {
      const c = this.mappings[at];
      if (c === ';') {
        at++;
        starts.push(at);
        states.push(...state);
      } else if (c === ',') at++;
      else at = this.segment(at, state, [0]);
    }
    this.starts = Int32Array.from(starts);
    this.states = Int32Array.from(states);
  }

  /** Decodes one segment at `at` into column[0] (generated) and state; returns where the next begins. */
  segment(at, state, column) {
    const fields = [];
    while (at < this.mappings.length && this.mappings[at] !== ',' && this.mappings[at] !== ';') {
      let value = 0;
      let shift = 0;
      let digit;
      do {
        digit = BASE64[this.mappings.charCodeAt(at++)];
        value += (digit & 31) << shift;
        shift += 5;
      } while (digit & 32);
      fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
    }
    column[0] += fields[0] ?? 0;
    if (fields.length >= 4) for (let i = 0; i < 3; i++) state[i] += fields[i + 1];
    return at;
  }

  /** The original position of a generated one (1-based line and column), if mapped. */
  find(line, column) {
    if (line < 1 || line > this.starts.length) return undefined;
    const state = [...this.states.subarray((line - 1) * 3, line * 3)];
    const generated = [0];
    let found;
    for (let at = this.starts[line - 1]; at < this.mappings.length && this.mappings[at] !== ';'; ) {
      if (this.mappings[at] === ',') {
        at++;
        continue;
      }
      at = this.segment(at, state, generated);
      if (generated[0] > column - 1) break;
      found = { source: this.sources[state[0]], line: state[1] + 1, column: state[2] + 1 };
    }
    return found;
  }
}

/** Bundle file → its map (null: none), read on first use. */
const maps = new Map();

function mapOf(file) {
  if (!maps.has(file)) {
    const mapFile = `${file}.map`;
    let map = null;
    try {
      if (existsSync(mapFile)) map = new LineIndexedMap(JSON.parse(readFileSync(mapFile, 'utf8')), mapFile);
    } catch {}
    maps.set(file, map);
  }
  return maps.get(file);
}

function frame(callSite) {
  const text = String(callSite);
  const name = callSite.getFileName();
  if (!name || !/\/dist\/[^/]+(\/[^/]+)?\.mjs$/.test(name)) return text;
  const line = callSite.getLineNumber();
  const column = callSite.getColumnNumber();
  const file = name.startsWith('file:') ? fileURLToPath(name) : name;
  const original = mapOf(file)?.find(line, column);
  if (!original) return text;
  return text.replace(`${name}:${line}:${column}`, `${original.source}:${original.line}:${original.column}`);
}

Error.prepareStackTrace = (error, callSites) => {
  let header;
  try {
    header = Error.prototype.toString.call(error);
  } catch {
    header = '<error>';
  }
  return header + callSites.map((callSite) => `\n    at ${frame(callSite)}`).join('');
};
