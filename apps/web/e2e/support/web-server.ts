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
  // Vite's build sets NODE_ENV=production in this process; the platform started next in this process
  // would then run in production mode (refusing the development secrets), so the value is put back.
  const nodeEnv = process.env.NODE_ENV;
  try {
    await build({
      root: WEB_DIR,
      logLevel: 'warn',
      ...(options.outDir ? { build: { outDir: options.outDir, emptyOutDir: true } } : {}),
      ...(options.pgUrl ? { define: { 'import.meta.env.VITE_PG_URL': JSON.stringify(options.pgUrl) } } : {}),
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}
