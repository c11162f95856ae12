import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const mappedStackModule = fileURLToPath(new URL('../../kit/src/source-mapped-stack.ts', import.meta.url));
const serviceMain = fileURLToPath(new URL('../src/service-main.cjs', import.meta.url));

// A bundle as the launcher builds a service (minified whitespace, linked map without sources), run
// with plain node and no --enable-source-maps, prints an error's stack through sourceMappedStack.
describe('source-mapped stacks of a bundled service', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sagamart-stack-'));
    await writeFile(
      join(dir, 'fail.ts'),
      '// 한국어: a comment outside Latin-1\nexport function failOnPurpose(): never {\n  throw new Error("on purpose");\n}\n',
    );
    await writeFile(
      join(dir, 'main.ts'),
      `import { sourceMappedStack } from ${JSON.stringify(mappedStackModule)};\nimport { failOnPurpose } from './fail.ts';\n\ntry {\n  failOnPurpose();\n} catch (error) {\n  console.log(JSON.stringify({ raw: (error as Error).stack, mapped: sourceMappedStack((error as Error).stack!) }));\n}\n`,
    );
    for (const format of ['esm', 'cjs'] as const)
      await build({
        entryPoints: [join(dir, 'main.ts')],
        outfile: join(dir, format === 'esm' ? 'main.mjs' : 'main.cjs'),
        bundle: true,
        platform: 'node',
        format,
        sourcemap: 'linked',
        sourcesContent: false,
        minifyWhitespace: true,
        minifySyntax: true,
        logLevel: 'silent',
      });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names the TypeScript source and line, where the raw stack names only the bundle', async () => {
    const { stdout } = await run(process.execPath, [join(dir, 'main.mjs')]);
    const { raw, mapped } = JSON.parse(stdout) as { raw: string; mapped: string };
    expect(raw).toContain('main.mjs:');
    expect(raw).not.toContain('fail.ts');
    expect(mapped).toContain(`${join(dir, 'fail.ts')}:3:9`);
    expect(mapped).toMatch(/at failOnPurpose \(/);
    expect(mapped).toContain(`${join(dir, 'main.ts')}:5:`);
  }, 30_000);

  it('names the same source and line for a script started as the launcher starts a service', async () => {
    // service-main.cjs wraps the script on its first line (where a minified bundle's code is).
    const { stdout } = await run(process.execPath, [serviceMain, join(dir, 'main.cjs')]);
    const { raw, mapped } = JSON.parse(stdout) as { raw: string; mapped: string };
    expect(raw).toContain('main.cjs:1:');
    expect(mapped).toContain(`${join(dir, 'fail.ts')}:3:9`);
    expect(mapped).toContain(`${join(dir, 'main.ts')}:5:`);
  }, 30_000);

  it('leaves a stack alone where Node maps it already', async () => {
    const { stdout } = await run(process.execPath, ['--enable-source-maps', join(dir, 'main.mjs')]);
    const { raw, mapped } = JSON.parse(stdout) as { raw: string; mapped: string };
    expect(raw).toContain(`${join(dir, 'fail.ts')}:3:9`);
    expect(mapped).toBe(raw);
  }, 30_000);
});
