import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Stack traces in the sources' terms for a service run from its bundle (docs/adr/0008) without
 * `--enable-source-maps`: Node would parse and keep every bundle's source map from the start (about
 * 1.5 MB of heap a process), where an error's stack needs it only when it is logged. A bundle's map
 * is read at its first logged stack and kept.
 */
const maps = new Map<string, { map: SourceMap; url: URL } | null>();

function mapOf(file: string): { map: SourceMap; url: URL } | null {
  let entry = maps.get(file);
  if (entry === undefined) {
    try {
      const url = pathToFileURL(`${file}.map`);
      entry = { map: new SourceMap(JSON.parse(readFileSync(url, 'utf8'))), url };
    } catch {
      entry = null; // no map beside it (a package's own file, or a source run through tsx)
    }
    maps.set(file, entry);
  }
  return entry;
}

/** A frame's `file:line:column` of a compiled `.mjs` or `.cjs`, as V8 prints it (one-based). */
const FRAME_POSITION = /(file:\/\/\/[^\s()]+?\.[cm]js|\/[^\s():]+?\.[cm]js):(\d+):(\d+)/g;

/** The stack with each position in a bundle replaced by its position in the original source. */
export function sourceMappedStack(stack: string): string {
  if (process.sourceMapsEnabled) return stack; // Node maps it already
  return stack.replace(FRAME_POSITION, (frame, file: string, line: string, column: string) => {
    const path = file.startsWith('file:') ? fileURLToPath(file) : file;
    const found = mapOf(path);
    if (!found) return frame;
    const entry = found.map.findEntry(Number(line) - 1, Number(column) - 1) as {
      originalSource?: string;
      originalLine?: number;
      originalColumn?: number;
    };
    if (entry.originalSource === undefined || entry.originalLine === undefined) return frame;
    const source = fileURLToPath(new URL(entry.originalSource, found.url));
    return `${source}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
  });
}
