import { timingSafeEqual } from 'node:crypto';
import fastifyHelmet from '@fastify/helmet';
import type { ServiceApp } from '@sagamart/kit';
import { authenticationRequired, notRouted } from '../app/gateway-problems.ts';
import { replyWithProblem } from './problem-reply.ts';

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

/**
 * The gateway's own /metrics is not public: Prometheus scrapes it (and every service) with the
 * configured bearer credential. Without one configured, it is not served through the public port.
 */
export function guardMetrics(app: ServiceApp, scrapeToken: string): void {
  const expected = Buffer.from(`Bearer ${scrapeToken}`);
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.split('?')[0] !== '/metrics') return;
    const given = Buffer.from(req.headers.authorization ?? '');
    if (!scrapeToken) return replyWithProblem(req, reply, notRouted(req.method, '/metrics'));
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return replyWithProblem(req, reply, authenticationRequired());
  });
}
