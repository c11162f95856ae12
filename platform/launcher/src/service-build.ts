import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile, type OutputFile, type Plugin, stop } from 'esbuild';
import { asciiOutputs } from './ascii-output.ts';
import {
  type BundleInputs,
  buildKey,
  contentHash,
  fileStamp,
  launcherBundle as launcher,
  lockfileHash,
} from './bundle-manifest.mjs';
import {
  BUILD_FORMAT,
  bundleOutputs,
  type InProcessBundle,
  inProcessBundle,
  inProcessDir,
  inProcessManifest,
  manifestPath,
} from './service-bundles.ts';
import { kitSource, repoRoot, type ServicePackage } from './services.ts';

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
  const { metafile, hashes } = await compile({
    entries: services.map((s) => ({ source: s.entry, output: outputs.get(s.name)! })),
    outdir: '/',
    splitting: false,
    // Left as a bare name, the import resolves from the service's folder, as its sources' do.
    externalsByPath: false,
    // A script, which V8 can cache compiled (service-main.cjs); ES modules have no such API in Node 20.
    format: 'cjs',
  });
  await Promise.all(
    services.map((s) =>
      writeManifest(manifestPath(s), BUILD_FORMAT.services, inputsOf(metafile, [s.entry]), hashes),
    ),
  );
  return outputs;
}

/**
 * Every service's module (`src/index.ts`, its factory) and the kit for `npm start -- --in-process`
 * (docs/adr/0010), in one build with shared chunks: the kit, fastify, pg, OpenTelemetry … load once
 * for all services, as they did from the sources. One manifest for the whole set (a chunk is shared).
 */
export async function compileInProcess(services: ServicePackage[]): Promise<InProcessBundle> {
  const bundle = inProcessBundle(services);
  const { metafile, hashes } = await compile({
    entries: [
      { source: kitSource, output: bundle.kit },
      ...services.map((s) => ({ source: s.module, output: bundle.services.get(s.name)! })),
    ],
    outdir: inProcessDir,
    splitting: true,
    externalsByPath: true,
    format: 'esm',
  });
  await writeManifest(inProcessManifest, BUILD_FORMAT.inProcess, inputsOf(metafile), hashes);
  await removeOldChunks(inProcessDir, metafile);
  return bundle;
}

/** The launcher itself (`src/main.ts`), for start.mjs to run with plain `node` (docs/adr/0010). */
export async function compileLauncher(): Promise<string> {
  const { metafile, hashes } = await compile({
    entries: [{ source: launcher.source, output: launcher.output }],
    outdir: '/',
    splitting: false,
    externalsByPath: true,
    format: 'esm',
  });
  await writeManifest(launcher.manifest, launcher.format, inputsOf(metafile), hashes);
  return launcher.output;
}

interface CompileOptions {
  /** Each entry's source and its output path (`.mjs` or `.cjs` as the format, absolute). */
  entries: Array<{ source: string; output: string }>;
  outdir: string;
  /** Shared code in chunks of its own, loaded once by every entry that imports it. */
  splitting: boolean;
  /**
   * An import left out of the bundle names the file Node would resolve (true), or, from a workspace
   * file, keeps its bare name (false: right only when the output sits in the importer's package).
   */
  externalsByPath: boolean;
  format: 'esm' | 'cjs';
}

/**
 * One esbuild build; the outputs are written, and every input's hash is returned for the manifests.
 * The packages kept as imports are chosen before the build by scanning each package's folder
 * (`findsOwnFiles`); a file that was compiled in and finds its own files after all (the scan skips
 * folders such as `build/`, where some packages keep their code) makes its package an import, and
 * the build runs again.
 */
async function compile(
  options: CompileOptions,
): Promise<{ metafile: Metafile; hashes: Map<string, Hashed> }> {
  for (let attempt = 1; ; attempt++) {
    const findingOwnFiles = new Set<string>();
    const result = await compileOnce(options, findingOwnFiles);
    if (findingOwnFiles.size === 0) {
      // In ASCII, every byte (ascii-output.ts): service-main.cjs reads a bundle as one-byte characters.
      await Promise.all(asciiOutputs(result.outputFiles).map((file) => replace(file.path, file.contents)));
      return result;
    }
    if (attempt === 3)
      throw new Error(
        `still compiled in, though they find their own files: ${[...findingOwnFiles].join(', ')}`,
      );
    for (const folder of findingOwnFiles) ownFilesByPackage.set(folder, true);
  }
}

async function compileOnce(
  options: CompileOptions,
  findingOwnFiles: Set<string>,
): Promise<{ metafile: Metafile; hashes: Map<string, Hashed>; outputFiles: OutputFile[] }> {
  const hashes = new Map<string, Hashed>();
  const { outputFiles, metafile } = await build({
    entryPoints: options.entries.map((e) => ({
      in: e.source,
      // Relative to outdir; with outdir '/', a path from the root: esbuild would rename a `..` in it.
      out: relative(options.outdir, e.output.replace(/\.[cm]js$/, '')),
    })),
    absWorkingDir: repoRoot,
    outdir: options.outdir,
    outExtension: { '.js': options.format === 'cjs' ? '.cjs' : '.mjs' },
    bundle: true,
    splitting: options.splitting,
    platform: 'node',
    format: options.format,
    target: 'node20',
    sourcemap: 'linked',
    // V8 keeps each service's whole bundle as its source string, two bytes a character once a single
    // character is outside Latin-1 (Korean in a comment was enough): 3.6-4.9 MB a process. Without
    // comments and indentation, in ASCII (other characters escaped: esbuild leaves those in regular
    // expressions and legal comments, asciiOutputs escapes them), it is a third smaller and one byte
    // a character. Names are kept; stack traces go through the source map.
    minifyWhitespace: true,
    minifySyntax: true,
    charset: 'ascii',
    // Stack traces need the mappings only; the sources are on disk. Keeps each map (read by
    // the kit when a service logs a stack) a third of the size.
    sourcesContent: false,
    // Bundled CommonJS packages `require` Node's built-ins and the packages left as imports.
    ...(options.format === 'esm' && {
      banner: {
        js: "import { createRequire as __sagamartRequire } from 'node:module';\nconst require = __sagamartRequire(import.meta.url);",
      },
    }),
    logLevel: 'silent',
    metafile: true,
    plugins: [
      bundledPackages(options.externalsByPath, options.format),
      hashedSources(hashes, findingOwnFiles),
    ],
    write: false,
  }).finally(() => stop()); // esbuild's service process would stay beside the launcher (~100 MB)
  return { metafile, hashes, outputFiles };
}

/**
 * Written by rename, never rewritten in place: another platform (a test beside `npm start`) may be
 * starting from the same file at this moment.
 */
async function replace(path: string, contents: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

/** The input files of the outputs built from these entry sources (all outputs when none are named). */
function inputsOf(metafile: Metafile, sources?: string[]): string[] {
  const inputs = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    if (sources && !sources.some((s) => output.entryPoint && join(repoRoot, output.entryPoint) === s))
      continue;
    for (const input of Object.keys(output.inputs)) inputs.add(join(repoRoot, input));
  }
  if (inputs.size === 0) throw new Error(`esbuild wrote no bundle for ${sources?.join(', ') ?? 'the build'}`);
  return [...inputs];
}

/** Written after the outputs: a bundle is reused only when its manifest names exactly what it was built from. */
async function writeManifest(
  path: string,
  format: string,
  inputPaths: string[],
  hashes: Map<string, Hashed>,
): Promise<void> {
  const hashed = inputPaths.sort().map((input) => [input, hashes.get(input) ?? hashedNow(input)] as const);
  const inputs = Object.fromEntries(hashed.map(([input, { hash }]) => [input, hash]));
  const stamps = Object.fromEntries(hashed.map(([input, { stamp }]) => [input, stamp]));
  const key = buildKey(format, await lockfileHash(repoRoot), inputs);
  await replace(path, JSON.stringify({ key, inputs, stamps } satisfies BundleInputs));
}

/** A file's content hash, and its stamp from before it was read (a write during the read shows as a change). */
interface Hashed {
  hash: string;
  stamp: string;
}

function hashedNow(path: string): Hashed {
  const stamp = fileStamp(statSync(path));
  return { hash: contentHash(readFileSync(path)), stamp };
}

/** Chunks of earlier builds (their names end in a content hash), so that they do not pile up. */
async function removeOldChunks(dir: string, metafile: Metafile): Promise<void> {
  const current = new Set(Object.keys(metafile.outputs).map((o) => join(repoRoot, o)));
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    if (/-[A-Z0-9]{8}\.mjs(\.map)?$/.test(name) && !current.has(path.replace(/\.map$/, '')))
      await rm(path, { force: true });
  }
}

/**
 * Reads every source itself, so that the hash recorded for a file is of the very bytes compiled (an
 * edit during the build makes the next start rebuild). `import.meta.url` keeps meaning the source
 * file it is written in (the gateway finds config/ and the web build from it), not the bundle, and a
 * package's `__dirname` and `__filename` the files it was installed as. Notes the packages whose
 * compiled-in files find their own files in a way a bundle changes (`findingOwnFiles`).
 */
function hashedSources(hashes: Map<string, Hashed>, findingOwnFiles: Set<string>): Plugin {
  return {
    name: 'hashed-sources',
    setup(b) {
      b.onLoad({ filter: /.*/, namespace: 'file' }, async (args) => {
        const stamp = fileStamp(await stat(args.path));
        const bytes = await readFile(args.path);
        hashes.set(args.path, { hash: contentHash(bytes), stamp });
        const folder = packageFolder(args.path);
        if (folder) {
          if (!/\.(c|m)?js$/.test(args.path)) return { contents: bytes, loader: 'default' };
          const probe = nodeOnly(args.path, bytes);
          if (probe) return { contents: probe, loader: 'js' };
          const text = bytes.toString('latin1');
          if (FINDS_OWN_FILES.test(text)) findingOwnFiles.add(folder);
          // Compiled in, a package's script still names its own file and folder on disk (it reads a
          // file beside itself there: its package.json, a worker's script, static files).
          if (args.path.endsWith('.mjs') || !OWN_PATH.test(text))
            return { contents: bytes, loader: 'default' };
          return { contents: declaringOwnPath(bytes.toString('utf8'), args.path), loader: 'js' };
        }
        if (!/\.(tsx?|mjs)$/.test(args.path)) return { contents: bytes, loader: 'default' };
        const source = bytes.toString('utf8');
        return {
          contents: source.includes('import.meta.url')
            ? source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
            : source,
          loader: args.path.endsWith('.mjs') ? 'js' : args.path.endsWith('x') ? 'tsx' : 'ts',
        };
      });
    },
  };
}

/**
 * A package's probe of which runtime it is in, answered at build time: a bundle runs on Node
 * (`platform: 'node'`). pg asks whether it is in a Cloudflare Worker by constructing a `Response`
 * when there is no `navigator` (Node 20 has none), and the first `Response` makes Node load and
 * compile its own copy of undici, there and then: 25-50 ms of CPU at every process's start, measured
 * apart (docs/performance.md, change 32). When pg's file no longer holds the probe, it is compiled
 * as it is.
 */
function nodeOnly(file: string, bytes: Buffer): string | undefined {
  if (!file.endsWith('/node_modules/pg/lib/stream.js')) return undefined;
  const source = bytes.toString('utf8');
  const probe = "typeof Response === 'function'";
  return source.includes(probe) ? source.replace(probe, 'false') : undefined;
}

/** What may come before a script's first statement: a `#!` line, blanks, comments, its 'use strict'. */
const SCRIPT_PROLOGUE = /^(?:#![^\n]*)?(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*)*(?:(['"])use strict\1;?)?/;

/** A script with `__filename` and `__dirname` declared as Node gives them, after its prologue ('use strict' stays first). */
function declaringOwnPath(source: string, file: string): string {
  const [directive] = SCRIPT_PROLOGUE.exec(source)!;
  const declaration = `var __filename = ${JSON.stringify(file)}, __dirname = ${JSON.stringify(dirname(file))};`;
  return `${directive};${declaration}${source.slice(directive.length)}`;
}

/** A package's folder, from the path of one of its files: `…/node_modules/<name>` or `…/node_modules/@scope/<name>`. */
function packageFolder(file: string): string | undefined {
  const match = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(file);
  return match?.[1];
}

/**
 * Anything that finds a file beside the package's own code in a way a bundle changes: by an ES
 * module's own URL, by resolving a name, or by running a script in a worker. (A script's
 * `__dirname` and `__filename` are given their values on disk: `hashedSources`.)
 */
const FINDS_OWN_FILES = /import\.meta\.(url|dirname|filename|resolve)|require\.resolve|new Worker\b/;
const OWN_PATH = /\b__(dirname|filename)\b/;
/**
 * Folders of a package that its code does not load: its tests, examples, benchmarks and build
 * scripts (fastify's `build/` writes its validators; undici's tests read fixtures). A package whose
 * code does live in one is caught after the build (`compile`).
 */
const NOT_LOADED = new Set([
  'node_modules',
  'test',
  'tests',
  'example',
  'examples',
  'bench',
  'benchmark',
  'benchmarks',
  'build',
  'scripts',
  'docs',
]);

const ownFilesByPackage = new Map<string, boolean>();

/** Whether any script the package loads (not its tests, examples, … nor nested packages) finds files beside itself. */
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
        if (!NOT_LOADED.has(entry.name)) pending.push(path);
      } else if (/\.(c|m)?js$/.test(entry.name) && FINDS_OWN_FILES.test(readFileSync(path, 'latin1'))) {
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
 * and, in an ES module, a dynamic import. A script compiles its dynamic imports in (still run only
 * when imported): V8 runs a cached script's `import()` only with an experimental Node API.
 */
function bundledPackages(externalsByPath: boolean, format: 'esm' | 'cjs'): Plugin {
  const plugin: Plugin = {
    name: 'bundled-packages',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === plugin || args.path.startsWith('@sagamart/')) return undefined;
        // `node:` names this Node does not have (undici asks for `node:sqlite` where it exists).
        if (isBuiltin(args.path) || args.path.startsWith('node:')) return { path: args.path, external: true };
        const bareName = !externalsByPath && !args.importer.includes('/node_modules/');
        const resolved = await b.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: plugin,
        });
        if (resolved.errors.length > 0 || !resolved.path) return { path: args.path, external: true };
        const folder = packageFolder(resolved.path);
        const dynamic = args.kind === 'dynamic-import';
        const keep =
          (dynamic && format === 'esm') ||
          resolved.path.endsWith('.node') ||
          (folder !== undefined && findsOwnFiles(folder));
        if (keep && dynamic && format === 'cjs')
          return { errors: [{ text: `${args.path} stays a file of its own: a service must require() it` }] };
        if (keep) return { path: bareName ? args.path : resolved.path, external: true };
        return { path: resolved.path, sideEffects: resolved.sideEffects };
      });
    },
  };
  return plugin;
}
