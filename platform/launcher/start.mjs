// `npm start`: runs the launcher compiled (src/main.ts bundled by esbuild into dist/main.mjs), so
// that no long-lived process carries tsx's loader (its hooks run on a second V8 isolate, and it keeps
// an esbuild process beside it; docs/adr/0010). The bundle is rebuilt, in a short-lived child process, only when a file it was
// built from changed (content hashes, bundle-manifest.mjs). SAGAMART_RUN_TS=1 runs the sources
// through tsx instead, as does a launcher build that fails.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildAside } from './src/build-aside.mjs';
import { isFresh, launcherBundle, lockfileHash } from './src/bundle-manifest.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

async function compiledLauncher() {
  if (process.env.SAGAMART_RUN_TS === '1') return undefined;
  const fresh = await isFresh({
    outputs: [launcherBundle.output],
    manifest: launcherBundle.manifest,
    format: launcherBundle.format,
    lockfile: await lockfileHash(repoRoot),
  });
  if (fresh) return launcherBundle.output;
  return buildAside({ target: 'launcher' }).catch((error) => {
    console.warn(`Could not compile the launcher (${error.message}); running its sources through tsx.`);
    return undefined;
  });
}

const compiled = await compiledLauncher();
if (compiled) {
  await import(pathToFileURL(compiled).href);
} else {
  await import('tsx'); // what `node --import tsx` loads: its ESM and CommonJS loaders
  await import(pathToFileURL(launcherBundle.source).href);
}
