import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot, type ServicePackage } from './services.ts';

/**
 * The services' bundles (service-build.ts) as the launcher sees them, without loading esbuild: where
 * they are, whether the ones on disk can be reused, and a build in a child process when they cannot.
 */

/** What `dist/main.inputs.json` holds: every file a bundle was built from, with its content hash. */
export interface BundleInputs {
  key: string;
  inputs: Record<string, string>;
}

/** Bumped whenever compileServices changes how it builds, so older bundles are never reused. */
const BUILD_FORMAT = 'services-bundle/3';

export const bundleOutputs = (services: ServicePackage[]) =>
  new Map(services.map((s) => [s.name, join(s.dir, 'dist', 'main.mjs')]));

export const manifestPath = (s: ServicePackage) => join(s.dir, 'dist', 'main.inputs.json');

export const contentHash = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The bundle's key: the build's format, the lockfile (which packages resolve where), every input's content. */
export function buildKey(lockfile: string, inputs: Record<string, string>): string {
  const hash = createHash('sha256').update(`${BUILD_FORMAT}\n${lockfile}\n`);
  for (const path of Object.keys(inputs).sort()) hash.update(`${path}\0${inputs[path]}\n`);
  return hash.digest('hex');
}

/**
 * The bundles on disk when every one of them was built from exactly the files there now (content,
 * not timestamps); undefined when any service needs building.
 */
export async function reusableBundles(services: ServicePackage[]): Promise<Map<string, string> | undefined> {
  const outputs = bundleOutputs(services);
  const hashes = new Map<string, Promise<string | undefined>>();
  // At most 32 files open at once (a service set has ~2,250 inputs; the fd limit may be 1,024).
  const slots = new Limit(32);
  const hashOf = (path: string) => {
    let hash = hashes.get(path);
    if (!hash) {
      hash = slots.run(() => readFile(path).then(contentHash, () => undefined));
      hashes.set(path, hash);
    }
    return hash;
  };
  const lockfile = contentHash(
    await readFile(join(repoRoot, 'package-lock.json')).catch(() => Buffer.alloc(0)),
  );
  const fresh = await Promise.all(
    services.map(async (s) => {
      if (!existsSync(outputs.get(s.name)!)) return false;
      const manifest = await readFile(manifestPath(s), 'utf8')
        .then((text) => JSON.parse(text) as BundleInputs)
        .catch(() => undefined);
      if (!manifest?.inputs || Object.keys(manifest.inputs).length === 0) return false;
      if (buildKey(lockfile, manifest.inputs) !== manifest.key) return false;
      const paths = Object.keys(manifest.inputs);
      const now = await Promise.all(paths.map(hashOf));
      return paths.every((path, i) => now[i] === manifest.inputs[path]);
    }),
  );
  return fresh.every(Boolean) ? outputs : undefined;
}

/**
 * The services' bundles: the ones on disk when nothing they were built from changed, else a fresh
 * build (compileServices) in a short-lived child process (service-build-process.ts), so that the
 * launcher, which stays up as long as the platform, never holds esbuild or the bundles' bytes.
 */
export async function compileServicesAside(services: ServicePackage[]): Promise<Map<string, string>> {
  const reusable = await reusableBundles(services);
  if (reusable) return reusable;
  const child = fork(new URL('./service-build-process.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { type: string; outputs?: [string, string][]; error?: string }) => {
      if (message.type === 'built') resolve(new Map(message.outputs));
      else reject(new Error(message.error ?? 'the build failed'));
    });
    child.once('exit', (code) => reject(new Error(`the build process exited (${code})`)));
    child.send(services);
  });
}

/** Runs at most `size` tasks at a time. */
class Limit {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
