import type { Readable } from 'node:stream';
import { READ_MODEL_GENERATION_HEADER } from '@sagamart/contracts';
import type { CircuitBreakers, DeploymentCredentials, Discovery, Identity, ServiceApp } from '@sagamart/kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Forwarded, forwardRequest } from '../app/forward-request.ts';
import type { Gatekeeper } from '../app/gatekeeper.ts';
import {
  bodyTooLarge,
  clientClosed,
  malformedPath,
  methodNotAllowed,
  notRouted,
  serviceUnavailable,
  upgradeRequired,
} from '../app/gateway-problems.ts';
import type { LiveSettings } from '../app/live-settings.ts';
import type { GatewayResponseCache } from '../app/response-cache.ts';
import {
  bearerToken,
  downstreamResponseHeaders,
  mergeVary,
  upstreamRequestHeaders,
} from '../domain/header-policy.ts';
import { inspectPath, isWebAppPath } from '../domain/path-policy.ts';
import {
  type CachedAnswer,
  keepableAnswer,
  matchesEntityTag,
  parseGeneration,
} from '../domain/response-cache.ts';
import { type GatewayRoute, upstreamPath } from '../domain/route-table.ts';
import { countedClientIp } from './client-ip.ts';
import { replyWithProblem } from './problem-reply.ts';
import type { WebApp } from './web-app.ts';

const PROXIED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** Safe to send again (to a second instance) when the connection failed. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
/** Statuses whose answers never carry a body. */
const BODILESS = new Set([204, 304]);
/** Log levels at which the access line (info) is written. */
const WRITES_ACCESS_LINE = new Set(['trace', 'debug', 'info']);
/** Upstream answers up to this length are read whole before they are sent on. */
const WHOLE_BODY_BYTES = 64 * 1024;

export interface ProxyDeps {
  settings: LiveSettings;
  gatekeeper: Gatekeeper;
  discovery: Discovery;
  breakers: CircuitBreakers;
  webApp: WebApp | undefined;
  credentials: DeploymentCredentials;
  responseCache: GatewayResponseCache;
}

/** Everything no other route claims: the route table, else the web app, else 404. */
export async function registerProxyRoutes(app: ServiceApp, deps: ProxyDeps): Promise<void> {
  await app.register(async (scope) => {
    // Bodies are streamed upstream untouched, whatever their type.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    scope.route({
      method: PROXIED_METHODS,
      url: '/*',
      schema: { hide: true },
      handler: (req, reply) => handle(req, reply, deps).catch((error) => replyWithProblem(req, reply, error)),
    });
  });
}

async function handle(req: FastifyRequest, reply: FastifyReply, deps: ProxyDeps) {
  const path = req.url.split('?')[0]!;
  const verdict = inspectPath(path);
  if (!verdict.ok) throw verdict.reason === 'internal' ? notRouted(req.method, path) : malformedPath();
  const match = deps.settings.value.routes.match(req.method, path);
  if (match.kind === 'route') {
    if (match.route.websocket) throw upgradeRequired();
    return proxy(req, reply, path, match.route, deps);
  }
  if (deps.webApp && (req.method === 'GET' || req.method === 'HEAD') && isWebAppPath(path)) {
    if (await deps.webApp.serve(req, reply, path)) return reply;
  }
  if (match.kind === 'method-not-allowed') throw methodNotAllowed(req.method, match.allowed);
  throw notRouted(req.method, path);
}

async function proxy(
  req: FastifyRequest,
  reply: FastifyReply,
  path: string,
  route: GatewayRoute,
  deps: ProxyDeps,
) {
  // Named by the gateway route rather than the catch-all '/*' (low cardinality, as span names must be).
  req.span?.updateName(`${req.method} ${route.path}`);
  req.span?.setAttribute('gateway.route', route.id);
  // The access line (and any error logged) names the route and the upstream instance. One child
  // logger, and only when a line will be written: pino serialises a child's bindings as it makes it.
  let upstream: string | undefined;
  let bound = false;
  const bindLog = () => {
    bound = true;
    req.log = req.log.child(upstream ? { route: route.id, path, upstream } : { route: route.id, path });
  };
  try {
    return await forward(req, reply, route, deps, (instance) => {
      upstream = instance;
      if (WRITES_ACCESS_LINE.has(req.log.level)) bindLog();
    });
  } catch (error) {
    if (!bound) bindLog();
    throw error;
  }
}

async function forward(
  req: FastifyRequest,
  reply: FastifyReply,
  route: GatewayRoute,
  deps: ProxyDeps,
  answeredBy: (instanceId: string) => void,
) {
  const clientIp = countedClientIp(req);
  const identity = await deps.gatekeeper.admit({
    credential: bearerToken(req.headers.authorization),
    role: route.role,
    rateLimit: route.rateLimit,
    clientIp,
  });

  // Public answers of a cacheable route come from the response cache while their read model's
  // generation stands (ADR 0009): everything above (token, role, rate limit) still ran for this caller.
  const cache = route.cache && deps.responseCache.enabled ? deps.responseCache : undefined;
  const cacheable = cache !== undefined && (req.method === 'GET' || req.method === 'HEAD');
  const kept = cacheable ? cache.cache.lookup(req.url, req.headers) : undefined;
  if (kept && cache?.cache.isCurrent(kept, cache.listening())) {
    cache.count('hit');
    answeredBy('response-cache');
    return sendKept(req, reply, kept, identity);
  }

  const retryable = IDEMPOTENT.has(req.method);
  const incoming = req.body as Readable | undefined;
  // An upstream refuses a body over its limit and closes the connection while the body is still being
  // sent, which would end in a 503: refuse it here first, by its declared length or while counting.
  const limit = route.maxBodyBytes;
  if (Number(req.headers['content-length'] ?? 0) > limit) throw bodyTooLarge(limit);
  // Bodies are bounded by the route's limit, so they are read whole: a body sent with its length lets
  // an upstream that refuses it early (its own, smaller limit) answer 413 rather than break the pipe,
  // and an idempotent request can be sent again.
  const body = incoming ? await readBody(incoming, limit) : null;

  // Abort the upstream call when the client hangs up before the answer is complete.
  const clientGone = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) clientGone.abort();
  });

  const upstreamHeaders = upstreamRequestHeaders(req.headers, {
    credential: deps.credentials.headersFor(route.service, identity),
    clientIp,
    protocol: req.protocol,
    requestId: req.id,
    hasBody: body !== null,
  });
  // A kept answer that may be out of date is checked rather than fetched again: 304 confirms it.
  if (kept?.etag) upstreamHeaders['if-none-match'] = kept.etag;
  const { response, instance } = await forwardRequest(deps, {
    route,
    method: req.method,
    target: upstreamPath(route, req.url),
    headers: upstreamHeaders,
    body,
    retryable,
    clientGone: clientGone.signal,
  });
  answeredBy(instance.instanceId);

  if (cacheable) {
    const generation = parseGeneration(response.headers[READ_MODEL_GENERATION_HEADER]);
    if (generation !== undefined) cache.cache.observe(route.service, generation);
    // The client may not have asked for a 304: the one answering the gateway's check is not passed on.
    if (kept?.etag && response.statusCode === 304) {
      await response.body.dump();
      if (generation === undefined) cache.cache.remove(req.url);
      else cache.cache.confirm(req.url, kept, generation);
      cache.count('revalidated');
      return sendKept(req, reply, kept, identity);
    }
    cache.count('miss');
    // Kept only from a caller-free request: the upstream saw no identity, so the answer cannot hold one.
    const keepable =
      req.method === 'GET' && !identity
        ? keepableAnswer(
            response.statusCode,
            response.headers,
            READ_MODEL_GENERATION_HEADER,
            cache.cache.limits.maxEntryBytes,
          )
        : undefined;
    if (keepable) {
      const bytes = Buffer.from(await readAnswer(response, route, clientGone.signal));
      const headers = downstreamResponseHeaders(response.headers);
      const varyHeader = headers.vary as string | undefined;
      for (const name of ['vary', 'date', READ_MODEL_GENERATION_HEADER]) delete headers[name];
      const answer: CachedAnswer = {
        headers,
        body: bytes,
        etag: keepable.etag,
        vary: keepable.vary.map((name) => [name, headerText(req.headers[name])]),
        varyHeader,
        service: route.service,
        generation: keepable.generation,
      };
      cache.cache.store(req.url, answer);
      return sendKept(req, reply, answer, identity);
    }
  }

  const headers = downstreamResponseHeaders(response.headers);
  delete headers[READ_MODEL_GENERATION_HEADER];
  const vary = mergeVary(reply.getHeader('vary'), headers.vary);
  delete headers.vary;
  reply.status(response.statusCode).headers(headers);
  if (vary) reply.header('vary', vary);
  // Answers to a signed-in caller are personal: no cache (browser, proxy or CDN) may keep them.
  if (identity) reply.header('cache-control', 'no-store');
  if (req.method === 'HEAD' || BODILESS.has(response.statusCode)) {
    await response.body.dump();
    return reply.send();
  }
  // A small body of known length is read whole and sent in one write: piping it through streams cost
  // more than the rest of the proxying (docs/performance.md). Larger or open-ended ones (event streams)
  // are streamed as they come.
  if (Number(response.headers['content-length']) <= WHOLE_BODY_BYTES)
    return reply.send(Buffer.from(await readAnswer(response, route, clientGone.signal)));
  return reply.send(response.body);
}

/** Reads an upstream's whole answer; one that breaks off is the upstream's failure, unless the client left. */
async function readAnswer(
  response: Forwarded['response'],
  route: GatewayRoute,
  clientGone: AbortSignal,
): Promise<ArrayBuffer> {
  try {
    return await response.body.arrayBuffer();
  } catch (error) {
    if (clientGone.aborted) throw clientClosed();
    throw serviceUnavailable(
      route,
      'upstream-unavailable',
      `the answer broke off (${(error as Error).message})`,
    );
  }
}

/**
 * Sends a kept answer as the proxy would send the upstream's: CORS's Vary merged in, and no-store for
 * a signed-in caller. A client holding its ETag gets 304; HEAD gets the headers alone.
 */
function sendKept(
  req: FastifyRequest,
  reply: FastifyReply,
  answer: CachedAnswer,
  identity: Identity | undefined,
) {
  reply.status(200).headers(answer.headers);
  const vary = mergeVary(reply.getHeader('vary'), answer.varyHeader);
  if (vary) reply.header('vary', vary);
  if (identity) reply.header('cache-control', 'no-store');
  if (matchesEntityTag(headerText(req.headers['if-none-match']), answer.etag)) {
    reply.removeHeader('content-type');
    reply.removeHeader('content-length');
    return reply.status(304).send();
  }
  if (req.method === 'HEAD') return reply.send();
  return reply.send(answer.body);
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Reads a whole request body, refusing it with 413 once it grows over the limit. */
async function readBody(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) throw bodyTooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
