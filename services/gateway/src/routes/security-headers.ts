import fastifyHelmet from '@fastify/helmet';
import type { ServiceApp } from '@sagamart/kit';

/**
 * The browser-facing policy on every answer of the gateway (web app, API, docs), set by Helmet.
 * The Content-Security-Policy allows scripts from this origin only (the Vite build has no inline
 * script); styles may be inline because Mantine writes style attributes and its CSS variables in a
 * <style> element. No page may frame ours. upgrade-insecure-requests is left out: TLS ends before the
 * gateway, and it would break plain-http development.
 */
export const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    // data: for inline SVG icons, blob: for previews of picked image files.
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

export async function registerSecurityHeaders(app: ServiceApp): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Images and API answers are read by this origin only.
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}
