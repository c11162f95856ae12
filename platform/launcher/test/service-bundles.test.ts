import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    const dir = join(root, 'services/greeter');
    service = {
      name: 'greeter',
      dir,
      port: 1,
      tier: 2,
      entry: join(dir, 'src/main.ts'),
      module: join(dir, 'src/main.ts'),
    };
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
});
