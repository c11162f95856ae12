// Runs the browser tests: one platform and one web server for all files, then `node --test` over
// e2e/*.e2e.ts (or the files given), one file at a time.
//   node --import tsx apps/web/e2e/run.ts [--test-name-pattern=identity] [file.e2e.ts ...]
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireE2eEnvironment, environmentVariables } from './support/environment.ts';

const E2E_DIR = dirname(fileURLToPath(import.meta.url));

const args = process.argv.slice(2);
const nodeTestOptions = args.filter((arg) => arg.startsWith('--'));
const requestedFiles = args.filter((arg) => !arg.startsWith('--')).map((file) => resolve(file));
const testFiles = requestedFiles.length > 0 ? requestedFiles : discoverTestFiles();

const environment = await acquireE2eEnvironment((line) => console.log(line));
let releasing: Promise<void> | undefined;
const release = (): Promise<void> => {
  releasing ??= environment
    .release()
    .catch((error: unknown) => console.error('Stopping the platform failed:', error));
  return releasing;
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void release().then(() => process.exit(130)));
}

let exitCode = 1;
try {
  exitCode = await runNodeTests(testFiles, environmentVariables(environment));
} finally {
  await release();
}
process.exit(exitCode);

function discoverTestFiles(): string[] {
  return readdirSync(E2E_DIR)
    .filter((name) => name.endsWith('.e2e.ts'))
    .sort()
    .map((name) => join(E2E_DIR, name));
}

function runNodeTests(files: string[], env: Record<string, string>): Promise<number> {
  // The spec reporter ends with the `tests / pass / fail` summary CI reads; files run one by one
  // because they share the platform and the machine's few cores.
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=1',
      '--test-reporter=spec',
      ...nodeTestOptions,
      ...files,
    ],
    { stdio: 'inherit', env: { ...process.env, ...env } },
  );
  return new Promise((resolveExit) => {
    child.on('exit', (code, signal) => resolveExit(code ?? (signal ? 1 : 0)));
  });
}
