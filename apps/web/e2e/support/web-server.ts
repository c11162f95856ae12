import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import { freePort } from './ports.ts';

/** apps/web */
export const WEB_DIR = fileURLToPath(new URL('../..', import.meta.url));

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

/** Production build of the app: the tests exercise what ships, not the dev server. */
export async function buildWeb(): Promise<void> {
  await build({ root: WEB_DIR, logLevel: 'warn' });
}

/**
 * Serves the built app with history fallback and forwards `/api` and `/ws` to the gateway, so the
 * browser sees one origin exactly as it does behind the gateway in production.
 */
export async function startWebServer(gatewayUrl: string): Promise<WebServer> {
  const port = await freePort();
  const server = await preview({
    root: WEB_DIR,
    configFile: false,
    logLevel: 'warn',
    build: { outDir: 'dist' },
    preview: {
      host: '127.0.0.1',
      port,
      strictPort: true,
      proxy: {
        '/api': { target: gatewayUrl, changeOrigin: true },
        '/ws': { target: gatewayUrl, changeOrigin: true, ws: true },
      },
    },
  });
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}
