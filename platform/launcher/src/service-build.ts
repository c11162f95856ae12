import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin, stop } from 'esbuild';
import { type BundleInputs, buildKey, bundleOutputs, contentHash, manifestPath } from './service-bundles.ts';
import { repoRoot, type ServicePackage } from './services.ts';

/**
 * Compiles each service's entry, with the workspace packages and the node_modules packages it
 * imports, into one ESM file, `services/<name>/dist/main.mjs`, for the launcher to run with plain
 * `node` (docs/adr/0008). One file instead of hundreds: resolving, reading and compiling a service's
 * ~1,800 node_modules files was 60 % of its start-up CPU (docs/performance.md, change 12). A package
 * that finds files next to its own (`__dirname`, `import.meta.url`, workers) stays an import, and so
 * does a dynamic import (loaded only when used). Beside each bundle, `main.inputs.json` records a
 * content hash of every file that went into it, so that the next start can reuse an unchanged bundle
 * (service-bundles.ts).
 */
export async function compileServices(services: ServicePackage[]): Promise<Map<string, string>> {
  const outputs = bundleOutputs(services);
  const hashes = new Map<string, string>();
  const { outputFiles, metafile } = await build({
    entryPoints: services.map((s) => ({
      in: s.entry,
      // From the file system's root: esbuild would rename a `..` in a path relative to the repo.
      out: relative('/', join(s.dir, 'dist', 'main')),
    })),
    absWorkingDir: repoRoot,
    outdir: '/',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    // V8 keeps each service's whole bundle as its source string, two bytes a character once a single
    // character is outside Latin-1 (Korean in a comment was enough): 3.6-4.9 MB a process. Without
    // comments and indentation, in ASCII (other characters escaped), it is a third smaller and one
    // byte a character. Names are kept; stack traces go through the source map.
    minifyWhitespace: true,
    minifySyntax: true,
    charset: 'ascii',
    // Stack traces need the mappings only; the sources are on disk. Keeps each map (read by
    // the kit when a service logs a stack) a third of the size.
    sourcesContent: false,
    // Bundled CommonJS packages `require` Node's built-ins and the packages left as imports.
    banner: {
      js: "import { createRequire as __sagamartRequire } from 'node:module';\nconst require = __sagamartRequire(import.meta.url);",
    },
    logLevel: 'silent',
    metafile: true,
    plugins: [bundledPackages, hashedSources(hashes)],
    write: false,
  }).finally(() => stop()); // esbuild's service process would stay beside the launcher (~100 MB)
  // Replaced by rename, never rewritten in place: another platform (a test beside `npm start`) may be
  // starting a service from the same file at this moment.
  const replace = async (path: string, contents: Uint8Array | string) => {
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, contents);
    await rename(temporary, path);
  };
  await Promise.all(outputFiles.map((file) => replace(file.path, file.contents)));
  // The manifest last: a bundle is reused only when its manifest names exactly what it was built from.
  const lockfile = await lockfileHash();
  await Promise.all(
    services.map(async (s) => {
      const output = Object.values(metafile.outputs).find(
        (o) => o.entryPoint !== undefined && join(repoRoot, o.entryPoint) === s.entry,
      );
      if (!output) throw new Error(`esbuild wrote no bundle for ${s.name}`);
      const inputs = Object.fromEntries(
        Object.keys(output.inputs)
          .map((input) => join(repoRoot, input))
          .sort()
          .map((path) => [path, hashes.get(path) ?? contentHash(readFileSync(path))]),
      );
      const manifest: BundleInputs = { key: buildKey(lockfile, inputs), inputs };
      await replace(manifestPath(s), JSON.stringify(manifest));
    }),
  );
  return outputs;
}

async function lockfileHash(): Promise<string> {
  return contentHash(await readFile(join(repoRoot, 'package-lock.json')).catch(() => Buffer.alloc(0)));
}

/**
 * Reads every source itself, so that the hash recorded for a file is of the very bytes compiled (an
 * edit during the build makes the next start rebuild). `import.meta.url` keeps meaning the source
 * file it is written in (the gateway finds config/ and the web build from it), not the bundle.
 */
function hashedSources(hashes: Map<string, string>): Plugin {
  return {
    name: 'hashed-sources',
    setup(b) {
      b.onLoad({ filter: /.*/, namespace: 'file' }, async (args) => {
        const bytes = await readFile(args.path);
        hashes.set(args.path, contentHash(bytes));
        if (!/\.tsx?$/.test(args.path)) return { contents: bytes, loader: 'default' };
        const source = bytes.toString('utf8');
        return {
          contents: source.includes('import.meta.url')
            ? source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
            : source,
          loader: args.path.endsWith('x') ? 'tsx' : 'ts',
        };
      });
    },
  };
}

/** A package's folder, from the path of one of its files: `…/node_modules/<name>` or `…/node_modules/@scope/<name>`. */
function packageFolder(file: string): string | undefined {
  const match = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(file);
  return match?.[1];
}

/** Anything that finds a file beside the package's own code, or runs one in a worker. */
const FINDS_OWN_FILES =
  /__dirname|__filename|import\.meta\.(url|dirname|filename|resolve)|require\.resolve|new Worker\b/;

const ownFilesByPackage = new Map<string, boolean>();

/** Whether any script of the package (its own, not its nested node_modules) finds files beside itself. */
function findsOwnFiles(folder: string): boolean {
  let found = ownFilesByPackage.get(folder);
  if (found !== undefined) return found;
  found = false;
  const pending = [folder];
  while (!found && pending.length > 0) {
    const dir = pending.pop()!;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') pending.push(path);
      } else if (/\.(c|m)?js$/.test(entry.name) && FINDS_OWN_FILES.test(readFileSync(path, 'utf8'))) {
        found = true;
        break;
      }
    }
  }
  ownFilesByPackage.set(folder, found);
  return found;
}

/**
 * Workspace packages (@sagamart/*) and node_modules packages are compiled in, except a package that
 * finds its own files (it stays an import, of the same file Node would have loaded), a native addon,
 * and a dynamic import.
 */
const bundledPackages: Plugin = {
  name: 'bundled-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === bundledPackages || args.path.startsWith('@sagamart/')) return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      // An import from a workspace file keeps its bare name (resolved from the service's folder, as
      // its sources are); one from inside node_modules names the file Node would have resolved.
      const fromWorkspace = !args.importer.includes('/node_modules/');
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: bundledPackages,
      });
      if (resolved.errors.length > 0 || !resolved.path) return { path: args.path, external: true };
      const folder = packageFolder(resolved.path);
      const keep =
        args.kind === 'dynamic-import' ||
        resolved.path.endsWith('.node') ||
        (folder !== undefined && findsOwnFiles(folder));
      if (keep) return { path: fromWorkspace ? args.path : resolved.path, external: true };
      return { path: resolved.path, sideEffects: resolved.sideEffects };
    });
  },
};
