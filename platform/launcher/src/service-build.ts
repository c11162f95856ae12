import { fork } from 'node:child_process';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin, stop } from 'esbuild';
import { repoRoot, type ServicePackage } from './services.ts';

/**
 * Compiles each service's entry (with the workspace packages it imports) into one ESM file,
 * `services/<name>/dist/main.mjs`, for the launcher to run with plain `node` (docs/adr/0008).
 * tsx's loader thread costs each process about 45 MB and doubles its start-up CPU; the bundle is
 * rebuilt on every start (well under a second of esbuild), so it is never stale. Packages from
 * node_modules stay imports, resolved from the service's folder exactly as its sources resolve them.
 */
export async function compileServices(services: ServicePackage[]): Promise<Map<string, string>> {
  const outputs = new Map(services.map((s) => [s.name, join(s.dir, 'dist', 'main.mjs')]));
  const { outputFiles } = await build({
    entryPoints: services.map((s) => ({
      in: s.entry,
      out: relative(repoRoot, join(s.dir, 'dist', 'main')),
    })),
    outdir: repoRoot,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'silent',
    plugins: [workspaceOnly, keepModuleUrls],
    write: false,
  }).finally(() => stop()); // esbuild's service process would stay beside the launcher (~100 MB)
  // Replaced by rename, never rewritten in place: another platform (a test beside `npm start`) may be
  // starting a service from the same file at this moment.
  await Promise.all(
    outputFiles.map(async (file) => {
      await mkdir(dirname(file.path), { recursive: true });
      const temporary = `${file.path}.${process.pid}.tmp`;
      await writeFile(temporary, file.contents);
      await rename(temporary, file.path);
    }),
  );
  return outputs;
}

/**
 * compileServices in a short-lived child process (service-build-process.ts), so that the launcher,
 * which stays up as long as the platform, never holds esbuild or the bundles' bytes.
 */
export function compileServicesAside(services: ServicePackage[]): Promise<Map<string, string>> {
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

/** Workspace packages (@sagamart/*) are compiled in; everything from node_modules stays an import. */
const workspaceOnly: Plugin = {
  name: 'workspace-only',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@sagamart/') ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * `import.meta.url` keeps meaning the source file it is written in (the gateway finds config/ and
 * the web build from it), not the bundle.
 */
const keepModuleUrls: Plugin = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      return {
        contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: 'ts',
      };
    });
  },
};
