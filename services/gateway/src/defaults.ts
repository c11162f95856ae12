import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { JWKS_PATH, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@sagamart/contracts';
import { type ConfigTree, defaultBreakerOptions, mergeConfig } from '@sagamart/kit';
import { parse } from 'yaml';

/** The repository's `config/gateway.yml`: the route table the config server serves, bundled as defaults. */
const BUNDLED_CONFIG = fileURLToPath(new URL('../../../config/gateway.yml', import.meta.url));
/** Where `npm run build -w @sagamart/web` puts the web app. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../apps/web/dist', import.meta.url));

/** Settings that hold even without any configuration file. */
const BUILT_IN: ConfigTree = {
  gateway: {
    defaultTimeoutMs: 5_000,
    // The kit's own body limit: a larger body would be cut off upstream mid-stream.
    defaultMaxBodyBytes: 1_048_576,
    breaker: { ...defaultBreakerOptions },
    jwks: {
      service: 'auth-service',
      path: JWKS_PATH,
      timeoutMs: 2_000,
      minReloadIntervalMs: 10_000,
      maxAgeMs: 300_000,
    },
    auth: { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, clockToleranceSeconds: 5 },
    // auth-service's feed of access tokens revoked before expiry; also read at once on its broadcast.
    revocations: { path: '/internal/revocations', pollMs: 1_000, listenedPollMs: 5_000 },
    // The reverse proxies in front (addresses, CIDR ranges) whose X-Forwarded-For hops are believed.
    trustedProxies: [],
    rateLimits: { default: { capacity: 100, refillPerSecond: 50 } },
    rateLimitKeyPrefix: 'sagamart:gateway:rate:',
    cors: {
      allowedOrigins: [],
      allowedMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'x-request-id', 'idempotency-key', 'traceparent'],
      exposedHeaders: ['x-trace-id', 'x-request-id', 'retry-after', 'location', 'idempotent-replayed'],
      allowCredentials: true,
      maxAgeSeconds: 600,
    },
    // Public answers of routes marked `cache: true`, kept while their read model's generation stands
    // (ADR 0009). maxEntries: 0 turns it off.
    responseCache: {
      maxEntries: 10_000,
      maxBytes: 33_554_432,
      maxEntryBytes: 262_144,
      // Two of catalog-service's 5 s heartbeats (catalog.generation.heartbeatMs) and some slack.
      heardWithinMs: 12_000,
    },
    socket: {
      // The services' own slow-client limit (chat.socket.maxBufferedBytes, notifications.socket.…).
      maxBufferedBytes: 1_048_576,
      // Far above the largest client frame of the protocols (a chat message, about 9 KB).
      maxClientFrameBytes: 65_536,
    },
    webRoot: DEFAULT_WEB_ROOT,
    // Told to the web app in its page: the mock PG's port on the page's host (0: its default, 9083).
    // The launcher sets it when ports are offset (GATEWAY_WEBHINTS_PGPORT).
    webHints: { pgPort: 0 },
    routes: [],
  },
};

/**
 * Bundled defaults: the built-in settings overlaid with `config/gateway.yml` when it is there, so the
 * gateway routes the platform the same way when the config server cannot be reached.
 */
export function gatewayDefaults(file = BUNDLED_CONFIG): ConfigTree {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return BUILT_IN;
  }
  const bundled = parse(text) as ConfigTree | null;
  return bundled ? mergeConfig(BUILT_IN, bundled) : BUILT_IN;
}
