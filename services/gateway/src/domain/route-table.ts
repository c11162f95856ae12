import type { Role } from '@sagamart/kit/pure';

/** Who may call a route: anyone, any signed-in user (USER or ADMIN), or admins only. */
export type RouteRole = 'NONE' | Role;

/** One entry of `gateway.routes`, validated and with its defaults applied. */
export interface GatewayRoute {
  id: string;
  /**
   * Path prefix, matched on whole segments: `/api/users` matches `/api/users/7`, not `/api/usersx`.
   * A `*` segment matches any one segment: `/api/orders/*\/claims` matches `/api/orders/42/claims`.
   */
  path: string;
  /** Discovery name of the upstream. */
  service: string;
  role: RouteRole;
  /** Name of a class in `gateway.rateLimits`. */
  rateLimit: string;
  timeoutMs: number;
  /** Largest request body forwarded; a larger one is refused with 413 before it reaches the upstream. */
  maxBodyBytes: number;
  /** Forward the path without the route prefix (default: forward it unchanged). */
  stripPrefix: boolean;
  /** Allowed methods (upper case); undefined allows every method. GET also allows HEAD. */
  methods: string[] | undefined;
  /** Routes under `/ws` carry WebSocket connections only. */
  websocket: boolean;
  /**
   * Public GET answers that name their read-model generation are kept by the gateway's response
   * cache and served without the upstream while that generation stands (ADR 0009).
   */
  cache: boolean;
}

export type RouteMatch =
  | { kind: 'route'; route: GatewayRoute }
  /** A route covers the path, but not for this method. */
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'none' };

export const WEBSOCKET_PREFIX = '/ws';

export const ANY_SEGMENT = '*';

/** True when `path` is `prefix` itself or lies below it (a `*` segment of the prefix matches any one segment). */
export function hasPathPrefix(path: string, prefix: string): boolean {
  if (prefix === '/') return path.startsWith('/');
  if (!prefix.includes(ANY_SEGMENT)) return path === prefix || path.startsWith(`${prefix}/`);
  const wanted = prefix.split('/');
  const given = path.split('/');
  if (given.length < wanted.length) return false;
  return wanted.every((segment, i) => (segment === ANY_SEGMENT ? given[i] !== '' : segment === given[i]));
}

function allows(route: GatewayRoute, method: string): boolean {
  if (!route.methods) return true;
  return route.methods.includes(method) || (method === 'HEAD' && route.methods.includes('GET'));
}

/** The route table: the longest matching prefix that allows the method wins (more segments first, so a
 * pattern such as `/api/orders/*\/confirm` wins over `/api/orders`). */
export class RouteTable {
  /** Longest prefix first, so the first hit is the most specific. */
  private readonly ordered: GatewayRoute[];

  constructor(readonly routes: readonly GatewayRoute[]) {
    this.ordered = [...routes].sort(
      (a, b) => segments(b.path) - segments(a.path) || b.path.length - a.path.length,
    );
  }

  match(method: string, path: string): RouteMatch {
    // Every request passes here: the first hit returns at once; the covering routes are collected only
    // to answer 405.
    for (const route of this.ordered)
      if (allows(route, method) && hasPathPrefix(path, route.path)) return { kind: 'route', route };
    const covering = this.ordered.filter((route) => hasPathPrefix(path, route.path));
    if (covering.length === 0) return { kind: 'none' };
    const allowed = new Set(covering.flatMap((r) => r.methods ?? []));
    if (allowed.has('GET')) allowed.add('HEAD');
    return { kind: 'method-not-allowed', allowed: [...allowed].sort() };
  }
}

const segments = (path: string) => path.split('/').length;

/** The path (and query) sent upstream: unchanged, or without the route prefix. */
export function upstreamPath(route: GatewayRoute, pathAndQuery: string): string {
  if (!route.stripPrefix) return pathAndQuery;
  const rest = pathAndQuery.slice(route.path === '/' ? 0 : route.path.length);
  if (rest === '' || rest.startsWith('?')) return `/${rest}`;
  return rest;
}
