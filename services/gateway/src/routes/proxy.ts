import { PassThrough, type Readable } from 'node:stream';
import type { CircuitBreakers, DeploymentCredentials, Discovery, ServiceApp } from '@sagamart/kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { forwardRequest } from '../app/forward-request.ts';
import type { Gatekeeper } from '../app/gatekeeper.ts';
import {
  GatewayProblem,
  malformedPath,
  methodNotAllowed,
  notRouted,
  upgradeRequired,
} from '../app/gateway-problems.ts';
import type { LiveSettings } from '../app/live-settings.ts';
import {
  bearerToken,
  downstreamResponseHeaders,
  mergeVary,
  upstreamRequestHeaders,
} from '../domain/header-policy.ts';
import { inspectPath, isWebAppPath } from '../domain/path-policy.ts';
import { type GatewayRoute, upstreamPath } from '../domain/route-table.ts';
import { replyWithProblem } from './problem-reply.ts';
import type { WebApp } from './web-app.ts';

const PROXIED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** Safe to send again (to a second instance) when the connection failed. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
/** Bodies of idempotent requests are held in memory (so they can be resent) up to this size. */
const MAX_BUFFERED_BODY = 10 * 1024 * 1024;
/** Statuses whose answers never carry a body. */
const BODILESS = new Set([204, 304]);

export interface ProxyDeps {
  settings: LiveSettings;
  gatekeeper: Gatekeeper;
  discovery: Discovery;
  breakers: CircuitBreakers;
  webApp: WebApp | undefined;
  credentials: DeploymentCredentials;
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
    return proxy(req, reply, match.route, deps);
  }
  if (deps.webApp && (req.method === 'GET' || req.method === 'HEAD') && isWebAppPath(path)) {
    if (await deps.webApp.serve(req, reply, path)) return reply;
  }
  if (match.kind === 'method-not-allowed') throw methodNotAllowed(req.method, match.allowed);
  throw notRouted(req.method, path);
}

async function proxy(req: FastifyRequest, reply: FastifyReply, route: GatewayRoute, deps: ProxyDeps) {
  req.log = req.log.child({ route: route.id, path: req.url.split('?')[0] });
  const identity = await deps.gatekeeper.admit({
    credential: bearerToken(req.headers.authorization),
    role: route.role,
    rateLimit: route.rateLimit,
    clientIp: req.ip,
  });

  const retryable = IDEMPOTENT.has(req.method);
  const incoming = req.body as Readable | undefined;
  let body: Readable | Buffer | null = null;
  // Streamed bodies go through a copy: undici destroys the stream it is given when a call fails, and
  // destroying the client's request would drop the connection before the 503 is sent.
  if (incoming) body = retryable ? await readBody(incoming) : incoming.pipe(new PassThrough());

  // Abort the upstream call when the client hangs up before the answer is complete.
  const clientGone = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) clientGone.abort();
  });

  const { response, instance } = await forwardRequest(deps, {
    route,
    method: req.method,
    target: upstreamPath(route, req.url),
    headers: upstreamRequestHeaders(req.headers, {
      credential: deps.credentials.headersFor(route.service, identity),
      clientIp: req.ip,
      protocol: req.protocol,
      requestId: req.id,
      hasBody: body !== null,
    }),
    body,
    retryable,
    clientGone: clientGone.signal,
  });
  req.log = req.log.child({ upstream: instance.instanceId });

  const headers = downstreamResponseHeaders(response.headers);
  const vary = mergeVary(reply.getHeader('vary'), headers.vary);
  delete headers.vary;
  reply.status(response.statusCode).headers(headers);
  if (vary) reply.header('vary', vary);
  if (req.method === 'HEAD' || BODILESS.has(response.statusCode)) {
    await response.body.dump();
    return reply.send();
  }
  return reply.send(response.body);
}

/** Reads a whole request body, so that it can be sent again. */
async function readBody(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > MAX_BUFFERED_BODY) {
      throw new GatewayProblem(
        413,
        `The request body is larger than ${MAX_BUFFERED_BODY} bytes`,
        'body-too-large',
      );
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
