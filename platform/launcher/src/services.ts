import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The kit's entry, which `--in-process` loads once for every service. */
export const kitSource = join(repoRoot, 'platform/kit/src/index.ts');

/** A service folder with a `sagamart` field in its package.json. */
export interface ServicePackage {
  name: string;
  dir: string;
  port: number;
  /** Start order: 0 config-server, 1 discovery-server, 2 the rest (in parallel). */
  tier: number;
  /**
   * Services with the same host share one process in `npm start` (docs/adr/0011): the platform's
   * supporting servers (`support`). Unset: a process of its own.
   */
  host?: string;
  entry: string;
  module: string;
}

/** Every service that exists in the repo, in start order. */
export async function findServices(root = repoRoot): Promise<ServicePackage[]> {
  const servicesDir = join(root, 'services');
  const found: ServicePackage[] = [];
  for (const entry of await readdir(servicesDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(servicesDir, entry.name);
    let pkg: { sagamart?: { port?: number; tier?: number; host?: string } };
    try {
      pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    if (!pkg.sagamart?.port) continue;
    found.push({
      name: entry.name,
      dir,
      port: pkg.sagamart.port,
      tier: pkg.sagamart.tier ?? 2,
      ...(pkg.sagamart.host ? { host: pkg.sagamart.host } : {}),
      entry: join(dir, 'src/main.ts'),
      module: join(dir, 'src/index.ts'),
    });
  }
  return found.sort((a, b) => a.tier - b.tier || a.port - b.port);
}

export function tiers(services: ServicePackage[]): ServicePackage[][] {
  const byTier = new Map<number, ServicePackage[]>();
  for (const s of services) byTier.set(s.tier, [...(byTier.get(s.tier) ?? []), s]);
  return [...byTier.keys()].sort((a, b) => a - b).map((t) => byTier.get(t)!);
}
