/**
 * What the gateway refuses to route, whatever the route table says: `/internal` endpoints (service to
 * service only), and paths an upstream could read differently from the gateway (dot segments, encoded
 * slashes), which would let a public prefix reach a protected one.
 */
export type PathVerdict = { ok: true } | { ok: false; reason: 'internal' | 'malformed' };

export function inspectPath(path: string): PathVerdict {
  const segments = path.split('/').slice(1);
  let internal = false;
  for (const raw of segments) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment))
      return { ok: false, reason: 'malformed' };
    // `internal;jsessionid=x` is still the internal segment to some routers.
    if (segment.split(';')[0]!.toLowerCase() === 'internal') internal = true;
  }
  return internal ? { ok: false, reason: 'internal' } : { ok: true };
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
