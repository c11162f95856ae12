import type { ServiceApp } from '@sagamart/kit';
import helmet from 'helmet';

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

/**
 * Helmet's middleware is built once: @fastify/helmet built it again on every request (parsing the CSP
 * each time), a tenth of the gateway's own CPU per proxied request (docs/performance.md).
 */
export function registerSecurityHeaders(app: ServiceApp): void {
  const setHeaders = helmet({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Images and API answers are read by this origin only.
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  app.addHook('onRequest', (req, reply, done) =>
    setHeaders(req.raw, reply.raw, (error) => done(error as Error | undefined)),
  );
}
