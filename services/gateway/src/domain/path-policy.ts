/**
 * What the gateway refuses to route, whatever the route table says: `/internal` endpoints (service to
 * service only), and paths an upstream could read differently from the gateway (dot segments, encoded
 * slashes), which would let a public prefix reach a protected one.
 */
export type PathVerdict = { ok: true } | { ok: false; reason: 'internal' | 'malformed' };

/** A percent-encoded letter, digit, `-`, `.`, `_` or `~` (RFC 3986's unreserved characters). */
const ENCODED_UNRESERVED = /%(?:[46][1-9A-Fa-f]|[57][0-9Aa]|3[0-9]|2[dDeE]|5[fF]|7[eE])/;

export function inspectPath(path: string): PathVerdict {
  const segments = path.split('/').slice(1);
  let internal = false;
  let respelled = false;
  for (const raw of segments) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment))
      return { ok: false, reason: 'malformed' };
    // `/coupons/%63laim` is `/coupons/claim` upstream, but no route's prefix to the gateway: it would
    // slip past that route's role and rate limit. No client needs to encode these characters.
    if (ENCODED_UNRESERVED.test(raw)) respelled = true;
    // `internal;jsessionid=x` is still the internal segment to some routers.
    if (segment.split(';')[0]!.toLowerCase() === 'internal') internal = true;
  }
  if (internal) return { ok: false, reason: 'internal' };
  return respelled ? { ok: false, reason: 'malformed' } : { ok: true };
}

/** Paths the web app's history fallback must never answer with index.html. */
const NOT_WEB_APP = ['/api', '/ws', '/docs', '/health', '/metrics', '/openapi.json'];

/** `path` is without the query. */
export function isWebAppPath(path: string): boolean {
  return !NOT_WEB_APP.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/** An OpenAPI document as published, less its /internal operations (the gateway never routes them). */
export function withoutInternalPaths(spec: { paths?: Record<string, unknown> }): typeof spec {
  if (!spec.paths) return spec;
  const paths = Object.fromEntries(Object.entries(spec.paths).filter(([path]) => !isInternal(path)));
  return { ...spec, paths };
}

function isInternal(path: string): boolean {
  const verdict = inspectPath(path.replace(/[{}]/g, ''));
  return !verdict.ok && verdict.reason === 'internal';
}
