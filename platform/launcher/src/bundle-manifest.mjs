// Whether a compiled bundle on disk can be reused: plain JavaScript, because start.mjs checks the
// launcher's own bundle before anything TypeScript can load (no tsx in the launcher, docs/adr/0010).
// service-bundles.ts uses the same check for the services' bundles.
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const launcherDir = fileURLToPath(new URL('../', import.meta.url));

/** The launcher's own bundle (compileLauncher in service-build.ts), run by start.mjs. */
export const launcherBundle = {
  format: 'launcher/4',
  source: join(launcherDir, 'src/main.ts'),
  output: join(launcherDir, 'dist/main.mjs'),
  manifest: join(launcherDir, 'dist/main.inputs.json'),
};

export const contentHash = (bytes) => createHash('sha256').update(bytes).digest('hex');

/**
 * A file's stamp: size, modification time (to the nanosecond where the file system keeps it) and
 * inode. A file whose stamp is the one it had when it was hashed is taken to hold what was hashed, as
 * git's index does: a write changes the time, a save by rename the inode.
 */
export const fileStamp = (stats) => `${stats.size}:${stats.mtimeMs}:${stats.ino}`;

/** The lockfile's hash: which packages resolve where. */
export async function lockfileHash(repoRoot) {
  return contentHash(await readFile(join(repoRoot, 'package-lock.json')).catch(() => Buffer.alloc(0)));
}

/** A manifest's key: the build's format, the lockfile, every input's content. */
export function buildKey(format, lockfile, inputs) {
  const hash = createHash('sha256').update(`${format}\n${lockfile}\n`);
  for (const path of Object.keys(inputs).sort()) hash.update(`${path}\0${inputs[path]}\n`);
  return hash.digest('hex');
}

/**
 * A content-hash reader for many manifests at once: each file is hashed (or stamped) once, with at
 * most 32 files open at a time (a service set has ~2,800 inputs; the fd limit may be 1,024).
 */
export function hashReader() {
  const hashes = new Map();
  const stamps = new Map();
  let active = 0;
  const waiting = [];
  const limited = async (task) => {
    if (active >= 32) await new Promise((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
  const hashOf = (path) => {
    let hash = hashes.get(path);
    if (!hash) {
      hash = limited(() => readFile(path).then(contentHash, () => undefined));
      hashes.set(path, hash);
    }
    return hash;
  };
  // Synchronous: a stat is a few microseconds, less than the promise an asynchronous one would need.
  hashOf.stamp = (path) => {
    if (!stamps.has(path)) {
      const stats = statSync(path, { throwIfNoEntry: false });
      stamps.set(path, stats && fileStamp(stats));
    }
    return stamps.get(path);
  };
  return hashOf;
}

/**
 * Whether the outputs exist and the manifest names exactly the files they were built from, with
 * the same content as now: a file is hashed again unless its stamp is the one recorded with its hash
 * (stamping ~2,800 files is a tenth of the CPU of hashing them, which was most of the launcher's
 * own start-up; docs/performance.md, change 29).
 */
export async function isFresh({ outputs, manifest, format, lockfile, hashOf = hashReader() }) {
  if (!outputs.every((output) => existsSync(output))) return false;
  const recorded = await readFile(manifest, 'utf8')
    .then((text) => JSON.parse(text))
    .catch(() => undefined);
  if (!recorded?.inputs || Object.keys(recorded.inputs).length === 0) return false;
  if (buildKey(format, lockfile, recorded.inputs) !== recorded.key) return false;
  const paths = Object.keys(recorded.inputs);
  const stamps = recorded.stamps ?? {};
  const touched = paths.filter((path) => stamps[path] === undefined || hashOf.stamp(path) !== stamps[path]);
  const now = await Promise.all(touched.map(hashOf));
  return touched.every((path, i) => now[i] === recorded.inputs[path]);
}
