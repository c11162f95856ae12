import type { IncomingMessage } from 'node:http';
import fastifyWebsocket from '@fastify/websocket';
import {
  breakerOptions,
  CircuitBreakers,
  MemoryRateLimiter,
  type RateLimiter,
  RedisRateLimiter,
  type ServiceApp,
  type ServiceContext,
} from '@sagamart/kit';
import { isUpstreamFailure } from '../app/forward-request.ts';
import { Gatekeeper } from '../app/gatekeeper.ts';
import { LiveSettings } from '../app/live-settings.ts';
import { GatewayResponseCache } from '../app/response-cache.ts';
import { RevocationFeed } from '../app/revocation-feed.ts';
import { stripIdentityHeaders } from '../domain/header-policy.ts';
import { withoutUserinfo } from '../domain/url-userinfo.ts';
import { AccessTokenVerifier, jwksFromService } from '../infra/access-tokens.ts';
import { JwksKeyStore } from '../infra/jwks-key-store.ts';
import { registerCors } from './cors.ts';
import { registerDocs } from './docs.ts';
import { registerPlatformRoutes } from './platform.ts';
import { registerProxyRoutes } from './proxy.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { WebApp } from './web-app.ts';
import { registerWebSocketRoutes, selectProtocol } from './websocket.ts';

/** Each running gateway's revocation feed, for its readiness check. */
const revocationFeeds = new WeakMap<ServiceContext, RevocationFeed>();

/**
 * Ready once the revocation feed has been read: until then every token is refused (503), so a load
 * balancer should send traffic to a gateway that has read it.
 */
export function gatewayReadiness(ctx: ServiceContext): Record<string, () => Promise<boolean>> {
  return { revocations: async () => revocationFeeds.get(ctx)?.loaded ?? false };
}

export async function registerGateway(app: ServiceApp, ctx: ServiceContext): Promise<void> {
  const { config, log, discovery } = ctx;

  // X-User-* and service tokens come from the gateway only: drop the client's before anything reads them.
  const stripSpoofedIdentity = (req: IncomingMessage) => stripIdentityHeaders(req.headers);
  app.server.prependListener('request', stripSpoofedIdentity);
  app.server.prependListener('upgrade', stripSpoofedIdentity);

  const settings = new LiveSettings(config, log);
  const issuer = config.string('gateway.jwks.service');
  const keys = new JwksKeyStore({
    load: jwksFromService(
      discovery,
      issuer,
      config.string('gateway.jwks.path'),
      config.number('gateway.jwks.timeoutMs'),
    ),
    minReloadIntervalMs: config.number('gateway.jwks.minReloadIntervalMs'),
    maxAgeMs: config.number('gateway.jwks.maxAgeMs'),
    onReloadFailed: (error) =>
      log.warn({ err: (error as Error).message, service: issuer }, 'could not load the JWKS'),
  });
  const revocations = new RevocationFeed({
    client: ctx.client(issuer),
    path: config.string('gateway.revocations.path'),
    pollMs: config.number('gateway.revocations.pollMs'),
    listenedPollMs: config.number('gateway.revocations.listenedPollMs'),
    log,
  });
  revocationFeeds.set(ctx, revocations);
  await revocations.start(ctx.transport);
  app.addHook('onClose', () => revocations.stop());
  const verifier = new AccessTokenVerifier({
    keys,
    issuer: config.string('gateway.auth.issuer'),
    audience: config.string('gateway.auth.audience'),
    clockToleranceSeconds: config.number('gateway.auth.clockToleranceSeconds'),
    isRevoked: (token) => revocations.isRevoked(token),
  });
  const redisUrl = config.optionalString('redis.url');
  let limiter: RateLimiter = new MemoryRateLimiter();
  if (redisUrl) {
    const redis = new RedisRateLimiter(redisUrl, config.string('gateway.rateLimitKeyPrefix'), log);
    if (!(await redis.connected()))
      log.warn('Redis is not reachable yet: rate limits apply per gateway until it is');
    limiter = redis;
  }
  app.addHook('onClose', () => limiter.close());
  const gatekeeper = new Gatekeeper(verifier, limiter, settings, issuer, revocations);
  // One breaker per route (not the kit's per-service client breakers), counting upstream failures.
  const breakers = new CircuitBreakers(
    ctx.metrics,
    isUpstreamFailure,
    breakerOptions(config, 'gateway.breaker'),
  );

  registerSecurityHeaders(app);
  await registerCors(app, settings);
  // A client frame over the limit closes its socket with 1009 (ws's own default would take 100 MiB).
  await app.register(fastifyWebsocket, {
    options: {
      handleProtocols: selectProtocol,
      perMessageDeflate: false,
      maxPayload: config.number('gateway.socket.maxClientFrameBytes'),
    },
  });
  const webApp = await WebApp.find(config.string('gateway.webRoot'), {
    pgPort: config.number('gateway.webHints.pgPort', 0),
  });
  await webApp?.register(app);
  await registerDocs(app, discovery, ctx.name);
  // The registry does not register itself; list it too, so the console shows the whole platform.
  const registry =
    config.string('discovery.mode') === 'registry'
      ? {
          app: 'discovery-server',
          instanceId: 'discovery-server',
          url: withoutUserinfo(config.string('discovery.url')),
          status: 'UP' as const,
          metadata: {},
        }
      : undefined;
  const { credentials } = ctx;
  registerPlatformRoutes(app, { gatekeeper, discovery, credentials, registry });
  registerWebSocketRoutes(app, {
    settings,
    gatekeeper,
    discovery,
    credentials,
    revocations,
    maxBufferedBytes: config.number('gateway.socket.maxBufferedBytes'),
  });
  const responseCache = new GatewayResponseCache(config, ctx.metrics);
  await responseCache.start(ctx.transport);
  app.addHook('onClose', () => responseCache.stop());
  await registerProxyRoutes(app, {
    settings,
    gatekeeper,
    discovery,
    breakers,
    webApp,
    credentials,
    responseCache,
  });
  log.info(
    {
      routes: settings.value.routes.routes.length,
      webApp: Boolean(webApp),
      rateLimits: redisUrl ? 'redis' : 'memory',
    },
    'gateway ready to route',
  );
}
