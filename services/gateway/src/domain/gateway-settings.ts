import type { BucketLimit } from '@sagamart/kit/pure';
import { type Static, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { isAddressOrRange } from './client-address.ts';
import { inspectPath } from './path-policy.ts';
import {
  ANY_SEGMENT,
  type GatewayRoute,
  hasPathPrefix,
  RouteTable,
  WEBSOCKET_PREFIX,
} from './route-table.ts';

/** The refreshable part of the gateway's configuration (`gateway.routes`, `.rateLimits`, `.cors`), validated. */
export interface GatewaySettings {
  routes: RouteTable;
  rateLimits: Record<string, RateLimitClass>;
  cors: CorsSettings;
}

/** A token bucket per caller: per user when signed in, else per client address. */
export interface RateLimitClass extends BucketLimit {
  /**
   * Per client address even for a signed-in caller: for routes open to anyone (login, sign-up), where a
   * bucket per user would give whoever holds many tokens (one per account signed up) as many buckets.
   */
  perAddress?: boolean | undefined;
}

const RouteConfig = Type.Object({
  id: Type.String({ minLength: 1 }),
  path: Type.String({ pattern: '^/' }),
  service: Type.String({ minLength: 1 }),
  role: Type.Union([
    Type.Literal('NONE'),
    Type.Literal('USER'),
    Type.Literal('AGENT'),
    Type.Literal('ADMIN'),
  ]),
  rateLimit: Type.Optional(Type.String({ minLength: 1 })),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1 })),
  maxBodyBytes: Type.Optional(Type.Integer({ minimum: 0 })),
  stripPrefix: Type.Optional(Type.Boolean()),
  methods: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z]+$' }), { minItems: 1 })),
  cache: Type.Optional(Type.Boolean()),
});

const RateLimitConfig = Type.Object({
  capacity: Type.Integer({ minimum: 1 }),
  refillPerSecond: Type.Number({ exclusiveMinimum: 0 }),
  perAddress: Type.Optional(Type.Boolean()),
});

const CorsConfig = Type.Object({
  allowedOrigins: Type.Array(Type.String()),
  allowedMethods: Type.Array(Type.String()),
  allowedHeaders: Type.Array(Type.String()),
  exposedHeaders: Type.Array(Type.String()),
  allowCredentials: Type.Boolean(),
  maxAgeSeconds: Type.Integer({ minimum: 0 }),
});

export type CorsSettings = Static<typeof CorsConfig>;

const SettingsConfig = Type.Object({
  routes: Type.Array(RouteConfig),
  rateLimits: Type.Record(Type.String(), RateLimitConfig),
  cors: CorsConfig,
  defaultTimeoutMs: Type.Integer({ minimum: 1 }),
  defaultMaxBodyBytes: Type.Integer({ minimum: 0 }),
});

export type RawGatewaySettings = Static<typeof SettingsConfig>;

const validator = Compile(SettingsConfig);

export class InvalidSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid gateway configuration: ${problems.join('; ')}`);
    this.name = 'InvalidSettingsError';
  }
}

/** Validates the raw configuration tree and builds the route table; throws InvalidSettingsError listing every problem. */
export function parseGatewaySettings(raw: unknown): GatewaySettings {
  if (!validator.Check(raw)) {
    const problems = validator
      .Errors(raw)
      .map((e) => `gateway${e.instancePath.replaceAll('/', '.')} ${e.message}`);
    throw new InvalidSettingsError(problems);
  }
  const problems: string[] = [];
  if (!raw.rateLimits.default) problems.push('gateway.rateLimits needs a "default" class');
  const routes = raw.routes.map((route, i) => toRoute(route, i, raw, problems));
  problems.push(...overlaps(routes));
  if (problems.length) throw new InvalidSettingsError(problems);
  return { routes: new RouteTable(routes), rateLimits: raw.rateLimits, cors: raw.cors };
}

function toRoute(
  route: Static<typeof RouteConfig>,
  index: number,
  raw: RawGatewaySettings,
  problems: string[],
): GatewayRoute {
  const where = `gateway.routes[${index}] (${route.id})`;
  const path = route.path.length > 1 ? route.path.replace(/\/+$/, '') : route.path;
  if (!inspectPath(path).ok) problems.push(`${where}: path ${route.path} may not be routed`);
  const pattern = path.split('/').includes(ANY_SEGMENT);
  if (
    path.includes(ANY_SEGMENT) &&
    (!pattern || path.split('/').some((s) => s.includes(ANY_SEGMENT) && s !== ANY_SEGMENT))
  ) {
    problems.push(`${where}: * stands only for a whole segment (${route.path})`);
  }
  if (pattern && route.stripPrefix) problems.push(`${where}: a path with * cannot strip its prefix`);
  const rateLimit = route.rateLimit ?? 'default';
  if (!raw.rateLimits[rateLimit]) problems.push(`${where}: no rate-limit class "${rateLimit}"`);
  const websocket = hasPathPrefix(path, WEBSOCKET_PREFIX);
  const methods = route.methods?.map((m) => m.toUpperCase());
  if (websocket && methods && !methods.includes('GET'))
    problems.push(`${where}: a WebSocket route must allow GET`);
  return {
    id: route.id,
    path,
    service: route.service,
    role: route.role,
    rateLimit,
    timeoutMs: route.timeoutMs ?? raw.defaultTimeoutMs,
    maxBodyBytes: route.maxBodyBytes ?? raw.defaultMaxBodyBytes,
    stripPrefix: route.stripPrefix ?? false,
    methods,
    websocket,
    cache: (route.cache ?? false) && !websocket,
  };
}

/** Duplicate ids, and two routes on one path whose methods overlap (which would win is unclear). */
function overlaps(routes: GatewayRoute[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const [i, route] of routes.entries()) {
    if (ids.has(route.id)) problems.push(`gateway.routes: id "${route.id}" is used twice`);
    ids.add(route.id);
    for (const other of routes.slice(i + 1)) {
      if (other.path !== route.path) continue;
      const shared =
        !route.methods || !other.methods || route.methods.some((m) => other.methods!.includes(m));
      if (shared) problems.push(`gateway.routes: "${route.id}" and "${other.id}" both take ${route.path}`);
    }
  }
  return problems;
}

/**
 * `gateway.trustedProxies`: addresses and CIDR ranges, as a list or as one comma-separated string (how
 * an environment variable sets it: GATEWAY_TRUSTEDPROXIES). Throws InvalidSettingsError naming bad entries.
 */
export function parseTrustedProxies(raw: unknown): string[] {
  const entries = typeof raw === 'string' ? raw.split(',') : (raw ?? []);
  if (!Array.isArray(entries) || !entries.every((e) => typeof e === 'string'))
    throw new InvalidSettingsError(['gateway.trustedProxies must be a list of addresses or CIDR ranges']);
  const proxies = entries.map((e) => e.trim()).filter(Boolean);
  const invalid = proxies.filter((e) => !isAddressOrRange(e));
  if (invalid.length)
    throw new InvalidSettingsError(
      invalid.map((e) => `gateway.trustedProxies: ${e} is not an address or CIDR range`),
    );
  return proxies;
}
