import { join } from 'node:path';
import { buildAside } from './build-aside.mjs';
import { hashReader, isFresh, lockfileHash } from './bundle-manifest.mjs';
import { repoRoot, type ServicePackage } from './services.ts';

/**
 * The compiled bundles (service-build.ts) as the launcher sees them, without loading esbuild: where
 * they are, whether the ones on disk can be reused, and a build in a child process when they cannot.
 */

/** Bumped whenever service-build.ts changes how it builds a set, so older bundles are never reused. */
export const BUILD_FORMAT = { services: 'services-bundle/6', inProcess: 'in-process/5' } as const;

export const bundleOutputs = (services: ServicePackage[]) =>
  new Map(services.map((s) => [s.name, join(s.dir, 'dist', 'main.cjs')]));

export const manifestPath = (s: ServicePackage) => join(s.dir, 'dist', 'main.inputs.json');

/** `--in-process`: the kit and every service's module, sharing chunks (compileInProcess). */
export interface InProcessBundle {
  kit: string;
  /** Service name → its module (default export: the service's factory). */
  services: Map<string, string>;
}

export const inProcessDir = join(repoRoot, 'platform/launcher/dist/in-process');
export const inProcessManifest = join(inProcessDir, 'inputs.json');

export const inProcessBundle = (services: ServicePackage[]): InProcessBundle => ({
  kit: join(inProcessDir, 'kit.mjs'),
  services: new Map(services.map((s) => [s.name, join(inProcessDir, `service-${s.name}.mjs`)])),
});

/**
 * The bundles on disk when every one of them was built from exactly the files there now (by
 * content; a file is hashed again when its stamp changed), undefined when any service needs building.
 */
export async function reusableBundles(
  services: ServicePackage[],
  hashOf = hashReader(),
): Promise<Map<string, string> | undefined> {
  const outputs = bundleOutputs(services);
  const lockfile = await lockfileHash(repoRoot);
  const fresh = await Promise.all(
    services.map((s) =>
      isFresh({
        outputs: [outputs.get(s.name)!],
        manifest: manifestPath(s),
        format: BUILD_FORMAT.services,
        lockfile,
        hashOf,
      }),
    ),
  );
  return fresh.every(Boolean) ? outputs : undefined;
}

/**
 * The services' bundles: the ones on disk when nothing they were built from changed, else a fresh
 * build (compileServices) in a short-lived child process (service-build-process.ts), so that the
 * launcher, which stays up as long as the platform, never holds esbuild or the bundles' bytes.
 */
export async function compileServicesAside(
  services: ServicePackage[],
  hashOf = hashReader(),
): Promise<Map<string, string>> {
  const reusable = await reusableBundles(services, hashOf);
  if (reusable) return reusable;
  return new Map((await buildAside({ target: 'services', services })) as Array<[string, string]>);
}

/** The in-process bundle: the one on disk when nothing it was built from changed, else a build aside. */
export async function compileInProcessAside(
  services: ServicePackage[],
  hashOf = hashReader(),
): Promise<InProcessBundle> {
  const bundle = inProcessBundle(services);
  const fresh = await isFresh({
    outputs: [bundle.kit, ...bundle.services.values()],
    manifest: inProcessManifest,
    format: BUILD_FORMAT.inProcess,
    lockfile: await lockfileHash(repoRoot),
    hashOf,
  });
  if (!fresh) await buildAside({ target: 'in-process', services });
  return bundle;
}

/** What service-build-process.ts builds. */
export type BuildRequest =
  | { target: 'services' | 'in-process'; services: ServicePackage[] }
  | { target: 'launcher' };
