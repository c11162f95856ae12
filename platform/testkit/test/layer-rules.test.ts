import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The layer direction (routes -> app -> domain; infra used by app; domain pure) is enforced by the
 * repository's Biome configuration, which `npm run lint` runs in CI. This proves the rules fire: a
 * probe service with one import per case is linted with the repository's own biome.json.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const biome = join(root, 'node_modules', '.bin', 'biome');

const probes: Record<string, { import: string; allowed: boolean }> = {
  'domain/imports-infra.ts': { import: '../infra/store.ts', allowed: false },
  'domain/imports-app.ts': { import: '../app/use-case.ts', allowed: false },
  'domain/imports-kit-barrel.ts': { import: '@sagamart/kit', allowed: false },
  'domain/imports-pg.ts': { import: 'pg', allowed: false },
  'domain/imports-pure-kit.ts': { import: '@sagamart/kit/pure', allowed: true },
  'domain/imports-contracts.ts': { import: '@sagamart/contracts', allowed: true },
  'domain/imports-domain.ts': { import: './rules.ts', allowed: true },
  'app/imports-routes.ts': { import: '../routes/schemas.ts', allowed: false },
  'app/imports-infra.ts': { import: '../infra/store.ts', allowed: true },
  'app/imports-domain.ts': { import: '../domain/rules.ts', allowed: true },
  'routes/imports-infra.ts': { import: '../infra/store.ts', allowed: false },
  'routes/imports-table-types.ts': { import: '../infra/schema.ts', allowed: true },
  'routes/imports-app.ts': { import: '../app/use-case.ts', allowed: true },
  'infra/imports-app.ts': { import: '../app/use-case.ts', allowed: false },
  'infra/imports-routes.ts': { import: '../routes/schemas.ts', allowed: false },
  'infra/imports-domain.ts': { import: '../domain/rules.ts', allowed: true },
};

let dir: string;
let flagged: Set<string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sagamart-layers-'));
  const config = JSON.parse(await readFile(join(root, 'biome.json'), 'utf8'));
  delete config.$schema;
  delete config.vcs; // the probe folder is no git checkout
  await writeFile(join(dir, 'biome.json'), JSON.stringify(config));
  for (const [file, probe] of Object.entries(probes)) {
    const path = join(dir, 'services', 'probe', 'src', file);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `import { x } from '${probe.import}';\n\nexport const y = x;\n`);
  }
  const output = await promisify(execFile)(biome, ['lint', '--max-diagnostics=none', '.'], { cwd: dir }).then(
    (r) => r.stdout + r.stderr,
    (error: { stdout: string; stderr: string }) => error.stdout + error.stderr,
  );
  flagged = new Set(
    [...output.matchAll(/services\/probe\/src\/(\S+?\.ts):\d+:\d+ lint\/style\/noRestrictedImports/g)].map(
      (m) => m[1]!,
    ),
  );
}, 60_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('layer rules', () => {
  for (const [file, probe] of Object.entries(probes)) {
    const [layer] = file.split('/');
    it(`${layer}/ ${probe.allowed ? 'may' : 'must not'} import ${probe.import}`, () => {
      expect(flagged.has(file)).toBe(!probe.allowed);
    });
  }
});
