import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileServicesAside } from '../src/service-bundles.ts';
import { findServices, type ServicePackage } from '../src/services.ts';

const run = promisify(execFile);
const serviceMain = fileURLToPath(new URL('../src/service-main.cjs', import.meta.url));
const rules = fileURLToPath(new URL('../../contracts/src/rules.ts', import.meta.url));
const mappedStackModule = fileURLToPath(new URL('../../kit/src/source-mapped-stack.ts', import.meta.url));

/** The first byte outside ASCII, or -1. */
const firstNonAscii = (bytes: Uint8Array) => bytes.findIndex((b) => b > 0x7f);

// service-main.cjs reads a bundle as one-byte characters (V8 keeps it as a one-byte string, docs/
// performance.md change 18), which is right only when the build wrote nothing but ASCII. esbuild's
// `charset: 'ascii'` leaves regular expression literals, tagged templates and legal comments as UTF-8.
describe('launcher: service bundles are ASCII', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sagamart-ascii-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("keeps a bundle's Korean, astral and escaped characters in regular expressions as they were", async () => {
    const dir = join(root, 'services/hangul');
    await mkdir(join(dir, 'src'), { recursive: true });
    await writeFile(
      join(dir, 'src/main.ts'),
      [
        `import { isColourOption } from ${JSON.stringify(rules)};`,
        `import { sourceMappedStack } from ${JSON.stringify(mappedStackModule)};`,
        '/*! légal — 한국어 comment kept by esbuild */',
        'const hangul = /^[가-힣]+$/;',
        'const identity = /^\\색$/;',
        'const astral = /^😀$/;',
        'const astralUnicode = /^[😀-😂]{2}$/u;',
        'const astralSets = /^[\\p{L}😀]$/v;',
        'function located(): string {',
        '  try {',
        "    throw new Error('on purpose');",
        '  } catch (error) {',
        '    return sourceMappedStack((error as Error).stack!);',
        '  }',
        '}',
        'console.log(JSON.stringify({',
        "  colour: ['색상', '컬러', '색깔', 'Colour', '사이즈'].map(isColourOption),",
        "  hangul: hangul.test('한글'),",
        "  identity: identity.test('색'),",
        "  astral: astral.test('😀'),",
        "  astralUnicode: [astralUnicode.test('😀😂'), astralUnicode.test('😀😃')],",
        "  astralSets: [astralSets.test('😀'), astralSets.test('가')],",
        "  text: '색상 😀',",
        '  stack: located(),',
        '}));',
      ].join('\n'),
    );
    const service: ServicePackage = {
      name: 'hangul',
      dir,
      port: 1,
      tier: 2,
      entry: join(dir, 'src/main.ts'),
      module: join(dir, 'src/main.ts'),
    };
    const bundle = (await compileServicesAside([service])).get('hangul')!;

    expect(firstNonAscii(await readFile(bundle))).toBe(-1);
    // Loaded as the launcher loads a service.
    const { stdout } = await run(process.execPath, [serviceMain, bundle], { cwd: dir });
    const seen = JSON.parse(stdout);
    expect(seen).toMatchObject({
      colour: [true, true, true, true, false],
      hangul: true,
      identity: true,
      astral: true,
      astralUnicode: [true, false],
      astralSets: [true, true],
      text: '색상 😀',
    });
    // The map still points at the source, on a bundle line whose columns the escapes moved.
    expect(seen.stack).toContain(`${join(dir, 'src/main.ts')}:11:11`);
  }, 60_000);

  it('refuses to start a bundle that is not ASCII instead of misreading it', async () => {
    const bundle = join(root, 'utf8.cjs');
    await writeFile(bundle, "console.log(/색상/.test('색상'));\n");
    const failed = await run(process.execPath, [serviceMain, bundle]).catch((error) => error);
    expect(failed).toBeInstanceOf(Error);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain(`${bundle} is not ASCII`);
  }, 30_000);

  it('builds every service of the repo into ASCII', async () => {
    // Built aside (the running platform's bundles stay), from the services' own sources.
    const services = (await findServices()).map((s) => ({ ...s, dir: join(root, 'real', s.name) }));
    const bundles = await compileServicesAside(services);
    expect(bundles.size).toBe(services.length);
    for (const [name, bundle] of bundles)
      expect({ name, firstNonAscii: firstNonAscii(await readFile(bundle)) }).toEqual({
        name,
        firstNonAscii: -1,
      });
  }, 600_000);
});
