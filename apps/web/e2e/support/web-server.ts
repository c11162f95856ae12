import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** apps/web */
export const WEB_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** Production build of the app: the tests exercise what ships (served by the gateway), not the dev server. */
export async function buildWeb(): Promise<void> {
  await build({ root: WEB_DIR, logLevel: 'warn' });
}
