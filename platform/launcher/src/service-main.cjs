// A compiled service's process (docs/adr/0008): runs its bundle, `dist/main.cjs`, with V8's code
// cache, so that a start does not parse and compile again what the last start compiled (the 3 MB
// bundle and every function a start runs; docs/performance.md, change 29). The bundle is a CommonJS
// script because V8's cache is for scripts; Node 20 offers none for ES modules. Run alone,
// `node dist/main.cjs` works the same, without the cache. Plain JavaScript: nothing else is loaded.
'use strict';
const {
  closeSync,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} = require('node:fs');
const { isAscii } = require('node:buffer');
const { createRequire } = require('node:module');
const { basename, dirname, join, resolve } = require('node:path');
const vm = require('node:vm');

const bundle = resolve(process.argv[2]);
// V8 accepts a cache made from any source of the same length: the cache's name says which file it
// was made from. The build replaces a bundle by rename, so a new one is a new inode; the stamp and
// the source are read from one open file.
const fd = openSync(bundle, 'r');
const { ino, mtimeMs, size } = fstatSync(fd);
const bytes = readFileSync(fd);
closeSync(fd);
// Read as one-byte characters, which V8 keeps as a one-byte string (docs/performance.md, change 18):
// right only for ASCII, which is all the build writes (service-build.ts, ascii-output.ts). Anything
// else is refused, not misread: its UTF-8 would become other characters, silently (a Korean regular
// expression that matched nothing); read as UTF-8, it would cost the service twice the memory.
if (!isAscii(bytes)) {
  const at = bytes.findIndex((b) => b > 0x7f);
  const line = bytes.subarray(0, at).filter((b) => b === 0x0a).length + 1;
  process.stderr.write(
    `${bundle} is not ASCII (byte ${at}, line ${line}), and is read as one-byte characters: the ` +
      `launcher's build writes ASCII only. Remove ${dirname(bundle)} for the next start to build it again.\n`,
  );
  process.exit(1);
}
const source = bytes.toString('latin1');
const cacheFile = `${bundle}.${ino}-${Math.round(mtimeMs * 1e3)}-${size}.v8-cache`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // the first start of this bundle (or of these V8 flags): made below
}

// What Node wraps a CommonJS file in, on the bundle's first line; the offset keeps its columns.
const wrapper = '(function (exports, require, module, __filename, __dirname) {';
const script = new vm.Script(`${wrapper}${source}\n})`, {
  filename: bundle,
  columnOffset: -wrapper.length,
  cachedData,
});

// Made once the service has told the launcher it is ready (kit run.ts): by then its start has
// compiled what a start needs, so the next one finds it all in the cache. Written by rename, as
// another process of the same bundle may be reading it; caches of earlier bundles are removed.
if ((cachedData === undefined || script.cachedDataRejected) && process.send) {
  const send = process.send;
  process.send = function sendAndCache(message, ...rest) {
    if (message && message.type === 'ready') {
      process.send = send;
      setImmediate(writeCache);
    }
    return send.call(this, message, ...rest);
  };
}

const bundleModule = { exports: {}, filename: bundle, id: bundle, loaded: false };
script.runInThisContext()(bundleModule.exports, createRequire(bundle), bundleModule, bundle, dirname(bundle));
bundleModule.loaded = true;

function writeCache() {
  try {
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cacheFile);
    const prefix = `${basename(bundle)}.`;
    for (const name of readdirSync(dirname(bundle)))
      if (name.startsWith(prefix) && name.endsWith('.v8-cache') && name !== basename(cacheFile))
        rmSync(join(dirname(bundle), name), { force: true });
  } catch {
    // a read-only checkout: every start compiles, as without the cache
  }
}
