import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './services.ts';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds apps/web when its sources are newer than the last build (or there is none). */
export async function buildWebIfNeeded(log: (line: string) => void): Promise<void> {
  const web = join(repoRoot, 'apps/web');
  if (!existsSync(join(web, 'package.json')) || !existsSync(join(web, 'index.html'))) return;
  const built = join(web, 'dist/index.html');
  const sources = Math.max(newestMtime(join(web, 'src')), statSync(join(web, 'index.html')).mtimeMs);
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  log('Building the web app (apps/web)…');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
      {
        cwd: web,
        stdio: 'inherit',
      },
    );
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`web build failed with code ${code}`)),
    );
  });
}
