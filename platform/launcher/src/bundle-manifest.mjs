// Whether a compiled bundle on disk can be reused: plain JavaScript, because start.mjs checks the
// launcher's own bundle before anything TypeScript can load (no tsx in the launcher, docs/adr/0010).
// service-bundles.ts uses the same check for the services' bundles.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const launcherDir = fileURLToPath(new URL('../', import.meta.url));

/** The launcher's own bundle (compileLauncher in service-build.ts), run by start.mjs. */
export const launcherBundle = {
  format: 'launcher/2',
  source: join(launcherDir, 'src/main.ts'),
  output: join(launcherDir, 'dist/main.mjs'),
  manifest: join(launcherDir, 'dist/main.inputs.json'),
};

export const contentHash = (bytes) => createHash('sha256').update(bytes).digest('hex');

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
 * A content-hash reader for many manifests at once: each file is hashed once, with at most 32 files
 * open at a time (a service set has ~2,250 inputs; the fd limit may be 1,024).
 */
export function hashReader() {
  const hashes = new Map();
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
  return (path) => {
    let hash = hashes.get(path);
    if (!hash) {
      hash = limited(() => readFile(path).then(contentHash, () => undefined));
      hashes.set(path, hash);
    }
    return hash;
  };
}

/**
 * Whether the outputs exist and the manifest names exactly the files they were built from, with
 * the same content as now (content, not timestamps).
 */
export async function isFresh({ outputs, manifest, format, lockfile, hashOf = hashReader() }) {
  if (!outputs.every((output) => existsSync(output))) return false;
  const recorded = await readFile(manifest, 'utf8')
    .then((text) => JSON.parse(text))
    .catch(() => undefined);
  if (!recorded?.inputs || Object.keys(recorded.inputs).length === 0) return false;
  if (buildKey(format, lockfile, recorded.inputs) !== recorded.key) return false;
  const paths = Object.keys(recorded.inputs);
  const now = await Promise.all(paths.map(hashOf));
  return paths.every((path, i) => now[i] === recorded.inputs[path]);
}
