import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** apps/web */
export const WEB_DIR = fileURLToPath(new URL('../..', import.meta.url));

export interface WebBuildOptions {
  /** Default: apps/web/dist. */
  outDir?: string;
  /** Where the app sends shoppers to pay (`VITE_PG_URL`); default: port 9083 on the page's host. */
  pgUrl?: string;
}

/** Production build of the app: the tests exercise what ships (served by the gateway), not the dev server. */
export async function buildWeb(options: WebBuildOptions = {}): Promise<void> {
  await build({
    root: WEB_DIR,
    logLevel: 'warn',
    ...(options.outDir ? { build: { outDir: options.outDir, emptyOutDir: true } } : {}),
    ...(options.pgUrl ? { define: { 'import.meta.env.VITE_PG_URL': JSON.stringify(options.pgUrl) } } : {}),
  });
}
