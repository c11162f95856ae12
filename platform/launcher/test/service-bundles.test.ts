import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileServicesAside } from '../src/service-bundles.ts';
import type { ServicePackage } from '../src/services.ts';

const run = promisify(execFile);

// A service as the launcher builds it (docs/adr/0008): its sources, a package from node_modules, and a
// package that reads a file beside its own code, which only works where it is installed.
describe('launcher: compiled services', () => {
  let root: string;
  let service: ServicePackage;
  const write = async (path: string, text: string) => {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  };
  const output = async (bundle: string) =>
    (await run(process.execPath, [bundle], { cwd: service.dir })).stdout.trim();
  const serviceAt = (name: string): ServicePackage => {
    const dir = join(root, 'services', name);
    return { name, dir, port: 1, tier: 2, entry: join(dir, 'src/main.ts'), module: join(dir, 'src/main.ts') };
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sagamart-bundles-'));
    await write('node_modules/shout/package.json', '{"name":"shout","main":"index.js"}');
    await write('node_modules/shout/index.js', 'module.exports = (s) => s.toUpperCase();');
    await write('node_modules/motto/package.json', '{"name":"motto","main":"index.js"}');
    await write(
      'node_modules/motto/index.js',
      "module.exports = require('node:fs').readFileSync(require('node:path').join(__dirname, 'motto.txt'), 'utf8').trim();",
    );
    await write('node_modules/motto/motto.txt', 'from beside the package');
    await write('services/greeter/src/greeting.ts', "export const greeting: string = 'hello';");
    await write(
      'services/greeter/src/main.ts',
      "import shout from 'shout';\nimport motto from 'motto';\nimport { greeting } from './greeting.ts';\nconsole.log(shout(greeting) + ' ' + motto);",
    );
    service = serviceAt('greeter');
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('runs a service from one file, with a package that reads its own files still finding them', async () => {
    const bundle = (await compileServicesAside([service])).get('greeter')!;
    expect(await output(bundle)).toBe('HELLO from beside the package');
  }, 60_000);

  it('reuses an unchanged bundle, and rebuilds when a source or a package it compiled in changes', async () => {
    const first = (await compileServicesAside([service])).get('greeter')!;
    const built = await stat(first);
    const again = (await compileServicesAside([service])).get('greeter')!;
    // Bundles are replaced by rename: the same inode is the same file, not rewritten.
    expect((await stat(again)).ino).toBe(built.ino);

    await write('services/greeter/src/greeting.ts', "export const greeting: string = 'good morning';");
    expect(await output((await compileServicesAside([service])).get('greeter')!)).toBe(
      'GOOD MORNING from beside the package',
    );

    await write('node_modules/shout/index.js', "module.exports = (s) => s.toUpperCase() + '!';");
    expect(await output((await compileServicesAside([service])).get('greeter')!)).toBe(
      'GOOD MORNING! from beside the package',
    );
  }, 120_000);

  it('names the TypeScript source, line and column in a stack trace through the bundle', async () => {
    // As the launcher forks a compiled service (processes.ts) and as start.mjs runs itself.
    const sourceMaps = fileURLToPath(new URL('../src/source-maps.mjs', import.meta.url));
    await write(
      'services/thrower/src/fail.ts',
      "export function fail(): never {\n  throw new Error('boom');\n}\n",
    );
    await write(
      'services/thrower/src/main.ts',
      "import { fail } from './fail.ts';\ntry {\n  fail();\n} catch (error) {\n  console.log((error as Error).stack);\n}\n",
    );
    const thrower = serviceAt('thrower');
    const bundle = (await compileServicesAside([thrower])).get('thrower')!;
    const { stdout } = await run(process.execPath, ['--import', sourceMaps, bundle], { cwd: thrower.dir });
    expect(stdout).toContain('Error: boom');
    expect(stdout).toContain(`at fail (${join(thrower.dir, 'src/fail.ts')}:2:9)`);
    expect(stdout).toContain(`${join(thrower.dir, 'src/main.ts')}:3:3`);
    // Without the maps, the same frames point into the bundle.
    const plain = await run(process.execPath, [bundle], { cwd: thrower.dir });
    expect(plain.stdout).toContain('dist/main.mjs:');
  }, 60_000);
});
