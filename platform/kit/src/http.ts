import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { Logger } from 'pino';
import { type DeploymentCredentials, SERVICE_TOKEN_HEADER } from './credentials.ts';
import {
  type FieldProblem,
  PROBLEM_TYPE_HEADER,
  Problem,
  statusTitle,
  transientDatabaseProblem,
} from './errors.ts';
import { type Identity, withIdentity } from './identity.ts';
import { hasRole } from './identity-types.ts';
import { findHostileValue, findMalformedNumerals, withSafeNumbers } from './input-guards.ts';
import { lazySchemaCompilers } from './lazy-schemas.ts';
import type { ServiceMetrics } from './metrics.ts';
import { ServiceCallError } from './service-client.ts';
import {
  context,
  extractTraceContext,
  HOUSEKEEPING_ATTRIBUTE,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracing,
  trace,
} from './tracing.ts';

export type ServiceApp = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  Logger,
  TypeBoxTypeProvider
>;

declare module 'fastify' {
  interface FastifyRequest {
    /** The user the request is made for, as the gateway verified it (carried in the service token). */
    identity: Identity | undefined;
    /** The service that sent the request, proven by its service token. */
    caller: string | undefined;
    span: Span | undefined;
  }
  interface FastifyContextConfig {
    /**
     * A request the platform makes to keep itself running (a discovery heartbeat, a registry read),
     * not one a user's action causes: not traced (tracing.ts, HOUSEKEEPING_ATTRIBUTE). /health/* and
     * /metrics are housekeeping without saying so.
     */
    housekeeping?: boolean;
  }
}

function isHousekeeping(req: FastifyRequest): boolean {
  const route = req.routeOptions.url ?? '';
  return (
    req.routeOptions.config?.housekeeping === true || route.startsWith('/health/') || route === '/metrics'
  );
}

export interface HttpOptions {
  name: string;
  description?: string | undefined;
  log: Logger;
  tracing: Tracing;
  metrics: ServiceMetrics;
  /** Log each request at info (the gateway) rather than debug (services). */
  accessLogLevel?: 'info' | 'debug';
  bodyLimit?: number;
  /** Verifies service tokens (and the user they carry) and the platform's Basic credentials. */
  credentials: DeploymentCredentials;
  /** Every route but /health/* and /metrics needs the platform's Basic credentials (config and discovery servers). */
  basicAuth?: boolean;
  /** Prometheus's bearer credential for /metrics (`metrics.scrapeToken`), read per request; empty: none. */
  metricsScrapeToken?: () => string | undefined;
  /**
   * Addresses or CIDR ranges of the reverse proxies in front: the X-Forwarded-For hops (and -Proto,
   * -Host) they set are believed for req.ip, req.protocol and req.host. Empty or absent: none are.
   */
  trustedProxies?: string[] | undefined;
}

const compileAllByApp = new WeakMap<ServiceApp, () => void>();

/**
 * Compiles every route schema of an app now, where Fastify would at the route's first request
 * (lazy-schemas.ts): a schema that cannot compile throws here. The testkit calls it for every
 * service a test starts.
 */
export function compileRouteSchemas(app: ServiceApp): void {
  compileAllByApp.get(app)?.();
}

/** A Fastify instance with the platform's conventions: TypeBox, problem+json, tracing, metrics, OpenAPI. */
export async function createHttpApp(options: HttpOptions): Promise<ServiceApp> {
  const schemas = lazySchemaCompilers();
  const app = Fastify({
    loggerInstance: options.log,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && given.length <= 128 ? given : randomUUID();
    },
    bodyLimit: options.bodyLimit ?? 1_048_576,
    // Errors raised before routing (a bad `%ff`, a too-long parameter) and by the HTTP parser (a
    // malformed request line, oversized headers) are problems too.
    frameworkErrors: (error, req, reply) => sendProblem(req, reply, toProblem(error as FastifyError)),
    clientErrorHandler: sendClientErrorProblem,
    // Node would answer an HTTP/1.1 request without a Host header itself, with an empty 400; the
    // onRequest hook below refuses it as a problem instead.
    http: { requireHostHeader: false },
    // Fastify would answer a request that comes while the app closes with a 503 of its own shape;
    // the onRequest hook below refuses it as a problem instead.
    return503OnClosing: false,
    // Coercion is for the parts that are text on the wire; bodies are validated without it (lazy-schemas.ts).
    ajv: {
      customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false, useDefaults: true },
    },
    schemaController: { compilersFactory: schemas.compilersFactory },
    ...(options.trustedProxies?.length ? { trustProxy: options.trustedProxies } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as ServiceApp;
  compileAllByApp.set(app, schemas.compileAll);
  // Node would close the connection of a CONNECT (a proxy's method) without a word: it is answered.
  const routedMethods = new Set<string>();
  app.server.on('connect', (_req: IncomingMessage, socket: Duplex) => refuseConnect(socket, routedMethods));
  // Set as the app begins to close (Fastify's preClose comes before the server stops listening).
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  // Node would answer an Expect other than 100-continue itself, with an empty 417; handed on marked,
  // the onRequest hook below refuses it as a problem instead.
  app.server.on('checkExpectation', (req, res) => {
    unmetExpectations.add(req);
    app.server.emit('request', req, res);
  });
  // A service that takes WebSockets registers @fastify/websocket, whose ws server answers a handshake
  // it cannot accept in text/html unless told otherwise.
  app.addHook('onReady', (done) => {
    const { websocketServer } = app as unknown as { websocketServer?: EventEmitter };
    websocketServer?.on('wsClientError', sendHandshakeProblem);
    done();
  });

  app.decorateRequest('identity', undefined);
  app.decorateRequest('span', undefined);
  app.decorateRequest('caller', undefined);

  // Every route's numbers are bounded (see withSafeNumbers), in validation and in the OpenAPI document.
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routedMethods.add(method);
    const schema = route.schema as Record<string, unknown> | undefined;
    if (!schema) return;
    const bounded = { ...schema };
    // Requests carry header names in lowercase, and the kit's compilers (lazy-schemas.ts) take a
    // schema as written: a header schema that names one otherwise could never be satisfied.
    const headerNames = Object.keys(
      (schema.headers as { properties?: object } | undefined)?.properties ?? {},
    );
    const capitalised = headerNames.find((name) => name !== name.toLowerCase());
    if (capitalised)
      throw new Error(
        `${route.method} ${route.url}: name the header ${capitalised} in lowercase in its schema`,
      );
    for (const part of ['body', 'querystring', 'params', 'headers'])
      if (schema[part]) bounded[part] = withSafeNumbers(schema[part]);
    route.schema = bounded;
  });

  // No route receives a NUL character (PostgreSQL text cannot hold one) or a non-finite number: before
  // validation for what the client sent, after it for what validation coerced (`"1e309"` → Infinity).
  const refuseHostile =
    (parts: Array<'params' | 'query' | 'body'>) =>
    (req: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) => {
      for (const part of parts) {
        const hostile = findHostileValue(req[part], part === 'params' ? 'path' : part);
        if (hostile) {
          const { field, code, message } = hostile;
          return done(new Problem(400, `${field} ${message}`, { code, errors: [{ field, message }] }));
        }
      }
      done();
    };
  app.addHook('preValidation', refuseHostile(['params', 'query', 'body']));
  app.addHook('preHandler', refuseHostile(['params', 'query', 'body']));

  // A number in the parts that are text on the wire is a decimal numeral, checked before Ajv coerces
  // it: its coercion would take "0x118" as 280, " 12 " as 12 and "1e3" as 1000 (input-guards.ts).
  app.addHook('preValidation', (req, _reply, done) => {
    const schema = req.routeOptions.schema as Record<string, unknown> | undefined;
    if (!schema) return done();
    for (const [part, values] of [
      ['params', req.params],
      ['querystring', req.query],
      ['headers', req.headers],
    ] as const) {
      const errors = findMalformedNumerals(schema[part], values);
      if (errors.length > 0)
        return done(
          new Problem(400, `Invalid ${part}: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, {
            code: 'validation',
            errors,
          }),
        );
    }
    done();
  });

  // Trace context and caller identity are bound to the async context for the whole request.
  app.addHook('onRequest', (req, reply, done) => {
    const housekeeping = isHousekeeping(req);
    if (!housekeeping) {
      options.metrics.working();
      // A WebSocket's frames arrive on this connection after the upgrade, past every hook: each is work too.
      if (req.headers.upgrade?.toLowerCase() === 'websocket')
        req.raw.socket.on('data', options.metrics.working);
    }
    const parent = extractTraceContext(req.headers);
    const route = req.routeOptions.url ?? 'unmatched';
    const span = options.tracing.tracer.startSpan(
      `${req.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': req.method,
          'url.path': req.url.split('?')[0] ?? '',
          ...(housekeeping ? { [HOUSEKEEPING_ATTRIBUTE]: true } : {}),
        },
      },
      parent,
    );
    req.span = span;
    const traceId = span.spanContext().traceId;
    reply.header('x-trace-id', traceId);
    reply.header('x-request-id', req.id);
    // Node's server closes a connection after an answer that says so, but an upgrade's socket (Node
    // sets `upgrade` on the request it hands to 'upgrade' listeners) is no longer its own: a handshake
    // answered over HTTP (refused, here or by a route) rather than switched by the WebSocket server
    // ends its connection here.
    if ((req.raw as { upgrade?: boolean }).upgrade) {
      reply.header('connection', 'close');
      reply.raw.once('finish', () => endConnection(req.raw.socket));
    }
    const refusal = httpProtocolRefusal(req) ?? (closing ? shuttingDown(reply) : undefined);
    if (refusal) {
      reply.header('connection', 'close');
      return context.with(trace.setSpan(parent, span), () => done(refusal));
    }
    authenticate(req, reply, options).then(
      () => context.with(trace.setSpan(parent, span), () => withIdentity(req.identity, done)),
      (error: Error) => context.with(trace.setSpan(parent, span), () => done(error)),
    );
  });

  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    options.metrics.httpDuration.observe(
      { method: req.method, route, status: String(reply.statusCode) },
      seconds,
    );
    if (req.span) {
      req.span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) req.span.setStatus({ code: SpanStatusCode.ERROR });
      req.span.end();
    }
    if (!route.startsWith('/health')) {
      req.log[options.accessLogLevel ?? 'debug'](
        { method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
        'request',
      );
    }
    done();
  });

  app.setErrorHandler((error: FastifyError, req, reply) => sendProblem(req, reply, toProblem(error)));
  app.setNotFoundHandler((req, reply) =>
    sendProblem(
      req,
      reply,
      new Problem(404, `No route for ${req.method} ${req.url.split('?')[0]}`, { code: 'no-route' }),
    ),
  );

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: options.name,
        version: '1.0.0',
        ...(options.description ? { description: options.description } : {}),
      },
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}

/**
 * What Node's HTTP server would have refused on its own (createHttpApp turns those checks off so the
 * refusal is a problem): an HTTP/1.1 request without a Host header (RFC 9112 §3.2), and an
 * expectation other than 100-continue (RFC 9110 §10.1.1). And what it lets through that RFC 9112
 * §3.2 says a server MUST refuse: more than one Host header (Node keeps the first, a proxy in front
 * may have routed by another), or one whose value is no host.
 */
function httpProtocolRefusal(req: FastifyRequest): Problem | undefined {
  const { httpVersionMajor, httpVersionMinor, headers, rawHeaders } = req.raw;
  if (httpVersionMajor === 1 && httpVersionMinor === 1 && headers.host === undefined)
    return new Problem(400, 'An HTTP/1.1 request needs a Host header', { code: 'missing-host' });
  let hosts = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]?.toLowerCase() === 'host') hosts++;
  if (hosts > 1)
    return new Problem(400, 'A request may carry one Host header only', { code: 'invalid-host' });
  if (headers.host !== undefined && !HOST.test(headers.host))
    return new Problem(400, 'The Host header is not a host name or address, with an optional port', {
      code: 'invalid-host',
    });
  if (unmetExpectations.has(req.raw))
    return new Problem(417, `The expectation "${headers.expect}" cannot be met; only 100-continue can`, {
      code: 'expectation-failed',
    });
  return undefined;
}

/** Requests whose Expect header Node's server found unmet (its 'checkExpectation' event). */
const unmetExpectations = new WeakSet<IncomingMessage>();

/** RFC 9112 §3.2's Host: uri-host (an IP literal, or a reg-name, which may be empty) and an optional port. */
const HOST = /^(?:\[[\w:.~!$&'()*+,;=-]+\]|[\w.~!$&'()*+,;=%-]*)(?::\d*)?$/;

/**
 * A request that came while the app closes (on a connection that was already open): refused before it
 * runs, so the caller sends it to another instance whatever its method, and counts no failure against
 * this service (isShuttingDownAnswer: service-client.ts, the gateway's forward-request.ts). Callers
 * tell it by its X-Problem-Type header (sendProblem), which a HEAD's answer carries too, having no body.
 */
function shuttingDown(reply: FastifyReply): Problem {
  reply.header('retry-after', '1');
  return new Problem(503, 'This instance is shutting down; send the request to another one', {
    code: 'shutting-down',
  });
}

/**
 * CONNECT asks for a tunnel, which only a proxy opens: answered 405 with the methods this server's
 * routes take, and the connection closed (Node hands the socket over, as for an upgrade).
 */
function refuseConnect(socket: Duplex, routedMethods: ReadonlySet<string>) {
  socket.on('error', () => socket.destroy());
  const problem = new Problem(405, 'CONNECT is not allowed: this server is not a proxy', {
    code: 'method-not-allowed',
  });
  const allow = [...routedMethods].filter((method) => method !== 'CONNECT').join(', ');
  if (socket.writable) endConnection(socket, problemOnSocket(problem, undefined, { Allow: allow }));
  else socket.destroy();
}

/**
 * Who is calling: a service token proves the calling service and the user it acts for; raw
 * X-User-* headers mean nothing. /internal/** needs a service token; a presented token must be valid.
 */
async function authenticate(req: FastifyRequest, reply: FastifyReply, options: HttpOptions): Promise<void> {
  const path = req.url.split('?')[0] ?? '';
  // The matched route, not the raw path: `/%69nternal/…` routes to the same handler.
  const route = req.routeOptions.url ?? path;
  // /metrics has its own rule below, so Prometheus scrapes every service with one metrics-only credential.
  if (options.basicAuth && !route.startsWith('/health/') && route !== '/metrics') {
    if (!options.credentials.checkBasic(req.headers.authorization)) {
      reply.header('www-authenticate', `Basic realm="${options.name}", charset="UTF-8"`);
      throw new Problem(401, 'The platform credentials are required', { code: 'unauthenticated' });
    }
  }
  const token = req.headers[SERVICE_TOKEN_HEADER];
  if (typeof token === 'string' && token !== '') {
    const caller = options.credentials.verify(token);
    if (!caller) throw new Problem(401, 'The service token is invalid or expired', { code: 'invalid-token' });
    req.caller = caller.service;
    req.identity = caller.identity;
  }
  if (!req.caller && (route === '/internal' || route.startsWith('/internal/'))) {
    throw new Problem(401, 'Internal routes need a service token', { code: 'unauthenticated' });
  }
  if (route === '/metrics' && !req.caller && !mayScrape(req.headers.authorization, options)) {
    reply.header('www-authenticate', `Basic realm="${options.name}", charset="UTF-8"`);
    throw new Problem(401, 'Metrics need the platform credentials, a service token or the scrape token', {
      code: 'unauthenticated',
    });
  }
}

/**
 * /metrics is for the platform's own scrapers, on every service alike: the platform's Basic credentials
 * (Prometheus `basic_auth`), or `Bearer <metrics.scrapeToken>` when one is configured. (A service
 * token is checked before this.)
 */
function mayScrape(authorization: string | undefined, options: HttpOptions): boolean {
  if (options.credentials.checkBasic(authorization)) return true;
  const scrapeToken = options.metricsScrapeToken?.();
  if (!scrapeToken) return false;
  const given = Buffer.from(authorization ?? '');
  const expected = Buffer.from(`Bearer ${scrapeToken}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function sendProblem(req: FastifyRequest, reply: FastifyReply, problem: Problem) {
  // Read (and drop) the rest of a refused body, so that a client still sending it (the gateway) can
  // finish and read this answer instead of losing the connection.
  if (problem.status === 413 && !req.raw.complete) req.raw.resume();
  // Errors raised before routing have no span: they still get a trace id to quote.
  let traceId = req.span?.spanContext().traceId;
  if (!traceId) {
    traceId = newTraceId();
    reply.header('x-trace-id', traceId);
  }
  if (problem.status >= 500) req.log.error({ err: problem.cause ?? problem }, problem.message);
  // A problem that says when to try again says it in the header too (unless the route set it).
  const retryAfter = problem.extensions.retryAfterSeconds;
  if (typeof retryAfter === 'number' && !reply.hasHeader('retry-after'))
    reply.header('retry-after', String(retryAfter));
  const body = problem.toJSON(req.url.split('?')[0], traceId);
  // The type in a header too: an answer to a HEAD has no body (PROBLEM_TYPE_HEADER).
  reply.header(PROBLEM_TYPE_HEADER, body.type);
  return reply.status(problem.status).type('application/problem+json').send(body);
}

const newTraceId = () => randomBytes(16).toString('hex');

/** What the HTTP parser refused (no request exists yet), answered on the socket as a problem. */
function sendClientErrorProblem(error: Error & { code?: string }, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  if (socket.writable) {
    const problem = new Problem(status, `The request could not be read: ${STATUS_CODES[status]}`, {
      code: 'malformed-request',
    });
    socket.write(problemOnSocket(problem));
  }
  socket.destroy(error);
}

/**
 * A WebSocket handshake that @fastify/websocket's ws server refuses (a missing or invalid
 * Sec-WebSocket-Key or -Version…), answered as a problem rather than ws's text/html.
 */
function sendHandshakeProblem(error: Error, socket: Duplex, req: IncomingMessage) {
  const wrongVersion = /Sec-WebSocket-Version/i.test(error.message);
  const problem = new Problem(400, `The WebSocket handshake is invalid: ${error.message}`, {
    code: 'invalid-handshake',
  });
  if (socket.writable)
    // RFC 6455 §4.4: a version the server does not speak is answered with those it does.
    endConnection(
      socket,
      problemOnSocket(problem, req.url, wrongVersion ? { 'Sec-WebSocket-Version': '13, 8' } : {}),
    );
  else socket.destroy();
}

/**
 * Ends a connection that no HTTP server manages any more (an upgrade's, a CONNECT's) after what is
 * written, and destroys it once that is out: a half-closed socket would hold the server's close.
 */
function endConnection(socket: Duplex, last?: string): void {
  if (socket.destroyed) return;
  if (socket.writableFinished) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(last);
}

/** A whole HTTP/1.1 answer carrying a problem, for a socket no Fastify reply is writing to. */
function problemOnSocket(problem: Problem, url?: string, headers: Record<string, string> = {}): string {
  const traceId = newTraceId();
  const details = problem.toJSON(url?.split('?')[0], traceId);
  const body = JSON.stringify(details);
  const head = {
    'Content-Type': 'application/problem+json',
    'Content-Length': String(Buffer.byteLength(body)),
    'X-Problem-Type': details.type,
    'X-Trace-Id': traceId,
    Connection: 'close',
    ...headers,
  };
  const lines = Object.entries(head).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n${lines.join('')}\r\n${body}`;
}

/** Fastify's own error codes, as problem codes a client can read. */
const FRAMEWORK_CODES: Record<string, string> = {
  FST_ERR_BAD_URL: 'malformed-url',
  FST_ERR_MAX_PARAM_LENGTH: 'parameter-too-long',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad-content-length',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed-json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed-json',
};

function toProblem(error: FastifyError): Problem {
  if (error instanceof Problem) return error;
  if (error.validation) {
    const errors: FieldProblem[] = error.validation.map((v) => {
      // A missing field, or one the schema does not take, is named itself rather than its parent.
      const params = v.params as { missingProperty?: string; additionalProperty?: string };
      const named = params.missingProperty ?? params.additionalProperty;
      const path = `${v.instancePath ?? ''}${named ? `/${named}` : ''}`
        .replace(/^\//, '')
        .replaceAll('/', '.');
      const message =
        v.keyword === 'additionalProperties' ? 'is not a field of this request' : (v.message ?? 'is invalid');
      return { field: path || error.validationContext || 'request', message };
    });
    const where = error.validationContext ?? 'request';
    return new Problem(400, `Invalid ${where}: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, {
      code: 'validation',
      errors,
    });
  }
  if (error instanceof ServiceCallError) {
    if (error.concurrentChange) {
      // The target is up and rolled the call back for a concurrent change: passed on as that, not as
      // an outage, so that this service's callers do not count it against this service either.
      const retryAfter = error.problem?.retryAfterSeconds;
      return new Problem(503, error.message, {
        code: 'concurrent-change',
        extensions: {
          service: error.target,
          retryAfterSeconds: typeof retryAfter === 'number' && retryAfter > 0 ? retryAfter : 1,
        },
      });
    }
    if (error.kind === 'http' && error.status && error.status < 500) {
      return new Problem(error.status, error.message, { code: 'upstream' });
    }
    if (!error.transient && error.kind !== 'circuit-open') {
      // The target is up but failed this one request (a 500, a wrong shape): not an outage.
      return new Problem(502, `${error.target} failed: ${error.message}`, {
        code: 'upstream-error',
        extensions: { service: error.target },
      });
    }
    const status = error.kind === 'timeout' || error.status === 504 ? 504 : 503;
    return new Problem(status, `${error.target} is unavailable: ${error.message}`, {
      code: 'upstream-unavailable',
      extensions: { service: error.target },
    });
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return new Problem(status, error.message || statusTitle(status), {
      code: FRAMEWORK_CODES[error.code] ?? (error.code ?? 'client-error').toLowerCase(),
    });
  }
  const transient = transientDatabaseProblem(error);
  if (transient) return transient;
  const problem = new Problem(500, 'An unexpected error occurred', { code: 'internal' });
  problem.cause = error;
  return problem;
}

/** Route guard: the caller must be signed in (and pass the role, when given: an ADMIN passes AGENT). */
export function requireIdentity(req: FastifyRequest, role?: Identity['role']): Identity {
  const identity = req.identity;
  if (!identity) throw new Problem(401, 'Authentication is required');
  if (role && !hasRole(identity.role, role)) throw new Problem(403, `This needs the ${role} role`);
  return identity;
}
