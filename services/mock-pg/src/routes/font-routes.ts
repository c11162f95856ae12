import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { ServiceApp } from '@sagamart/kit';

/** Where the checkout page finds its font: `/fonts/400.css` and `/fonts/700.css`. */
export const FONT_STYLESHEETS = ['/fonts/400.css', '/fonts/700.css'] as const;

/** The two weights' stylesheets and the woff2 subsets they name (`./files/…`), nothing else. */
const SERVED = /^\/(?:(?:400|700)\.css|files\/noto-sans-kr-[a-z0-9-]+-(?:400|700)-normal\.woff2)$/;

/**
 * Noto Sans KR, the shop's own font, from the same package the web app bundles: the checkout page is
 * Korean, and a machine without Korean system fonts would show it as empty boxes. The browser loads
 * only the subsets (unicode ranges) the page's text needs.
 */
export async function registerFontRoutes(app: ServiceApp): Promise<void> {
  const root = dirname(createRequire(import.meta.url).resolve('@fontsource/noto-sans-kr/package.json'));
  await app.register(fastifyStatic, {
    root,
    prefix: '/fonts/',
    allowedPath: (path) => SERVED.test(path),
    maxAge: '7d',
    index: false,
    schemaHide: true,
  });
}
