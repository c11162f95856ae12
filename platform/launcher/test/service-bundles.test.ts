import { execFile, fork } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileServicesAside } from '../src/service-bundles.ts';
import type { ServicePackage } from '../src/services.ts';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const serviceMain = fileURLToPath(new URL('../src/service-main.cjs', import.meta.url));

// A service as the launcher builds it (docs/adr/0008): its sources, a package from node_modules, and
// packages that read a file beside their own code, which only works where they are installed.
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
    const entry = join(dir, 'src/main.ts');
    return { name, dir, port: 1, tier: 2, entry, module: entry };
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
    // Compiled in (its __dirname is the folder it is installed in), not required from node_modules.
    expect(await readFile(bundle, 'utf8')).not.toMatch(/require\("[^"]*motto/);
  }, 60_000);

  it('keeps as an import a package that resolves its own files, also from a folder the scan skips', async () => {
    // Its code is in build/, which the scan before the build skips (fastify keeps build scripts there).
    await write('node_modules/tucked/package.json', '{"name":"tucked","main":"build/index.js"}');
    await write(
      'node_modules/tucked/build/index.js',
      "module.exports = require('node:fs').readFileSync(require.resolve('./note.txt'), 'utf8').trim();",
    );
    await write('node_modules/tucked/build/note.txt', 'tucked away');
    await write('services/picker/src/main.ts', "import note from 'tucked';\nconsole.log(note);");
    const picker = serviceAt('picker');
    const bundle = (await compileServicesAside([picker])).get('picker')!;
    expect((await run(process.execPath, [bundle], { cwd: picker.dir })).stdout.trim()).toBe('tucked away');
    expect(await readFile(bundle, 'utf8')).toMatch(/require\("tucked"\)/);
  }, 60_000);

  it("runs pg without loading Node's own undici, which its runtime probe would load at start", async () => {
    // The workspace's pg, as a service imports it (linked: esbuild compiles it from where it is installed).
    await mkdir(join(root, 'node_modules'), { recursive: true });
    await symlink(dirname(require.resolve('pg/package.json')), join(root, 'node_modules/pg'));
    await write(
      'services/store/src/main.ts',
      "import pg from 'pg';\nconst undici = process.moduleLoadList.some((m) => m.includes('deps/undici'));\nconsole.log(typeof pg.Pool, undici ? 'undici loaded' : 'no undici');",
    );
    const store = serviceAt('store');
    const bundle = (await compileServicesAside([store])).get('store')!;
    expect((await run(process.execPath, [bundle], { cwd: store.dir })).stdout.trim()).toBe(
      'function no undici',
    );
  }, 60_000);

  it("starts a bundle from V8's code cache, made once it is ready, never from a cache of another build", async () => {
    await write('services/cached/src/word.ts', "export const word: string = 'hello';");
    await write(
      'services/cached/src/main.ts',
      [
        "import { word } from './word.ts';",
        'console.log(word.toUpperCase());',
        "process.send?.({ type: 'ready' });",
        // Printed after anything the loader does on `ready` (its work is queued first).
        "setImmediate(() => console.log('settled'));",
      ].join('\n'),
    );
    const cached = serviceAt('cached');
    const caches = async (bundle: string) =>
      (await readdir(dirname(bundle))).filter(
        (f) => f.startsWith(`${basename(bundle)}.`) && f.endsWith('.v8-cache'),
      );
    // As the launcher runs it: through service-main.cjs, with an IPC channel; stopped once settled.
    const start = (bundle: string) =>
      new Promise<string[]>((resolve, reject) => {
        const child = fork(serviceMain, [bundle], {
          cwd: cached.dir,
          stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
        });
        const lines: string[] = [];
        child.stdout!.on('data', (chunk: Buffer) => {
          lines.push(...chunk.toString().trim().split('\n'));
          if (lines.includes('settled')) child.kill();
        });
        child.once('error', reject);
        child.once('exit', () => resolve(lines));
      });

    const bundle = (await compileServicesAside([cached])).get('cached')!;
    expect(await caches(bundle)).toEqual([]);
    expect(await start(bundle)).toEqual(['HELLO', 'settled']);
    const made = await eventually(async () => {
      const found = await caches(bundle);
      return found.length === 1 ? found[0] : undefined;
    });
    const first = await stat(join(dirname(bundle), made));

    // The next start reads it and has nothing to write (the loader writes a missing or refused cache).
    expect(await start(bundle)).toEqual(['HELLO', 'settled']);
    expect(await caches(bundle)).toEqual([made]);
    expect((await stat(join(dirname(bundle), made))).mtimeMs).toBe(first.mtimeMs);

    // A rebuilt bundle of the same length (V8 checks only the length) runs its own code, and its
    // cache replaces the old one.
    await write('services/cached/src/word.ts', "export const word: string = 'howdy';");
    const rebuilt = (await compileServicesAside([cached])).get('cached')!;
    expect((await stat(rebuilt)).size).toBe((await stat(bundle)).size);
    expect(await start(rebuilt)).toEqual(['HOWDY', 'settled']);
    expect(await caches(rebuilt)).toHaveLength(1);
    expect(await caches(rebuilt)).not.toEqual([made]);
  }, 120_000);

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

    // Written again with the same bytes: its stamp changed, its content did not; the bundle stays.
    const current = await stat((await compileServicesAside([service])).get('greeter')!);
    await write('node_modules/shout/index.js', "module.exports = (s) => s.toUpperCase() + '!';");
    expect((await stat((await compileServicesAside([service])).get('greeter')!)).ino).toBe(current.ino);
  }, 120_000);
});
