import { randomUUID } from 'node:crypto';
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
import { type FieldProblem, Problem, statusTitle } from './errors.ts';
import { type Identity, withIdentity } from './identity.ts';
import type { ServiceMetrics } from './metrics.ts';
import { ServiceCallError } from './service-client.ts';
import {
  context,
  extractTraceContext,
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
  /** Every route but /health/* needs the platform's Basic credentials (config and discovery servers). */
  basicAuth?: boolean;
}

/** A Fastify instance with the platform's conventions: TypeBox, problem+json, tracing, metrics, OpenAPI. */
export async function createHttpApp(options: HttpOptions): Promise<ServiceApp> {
  const app = Fastify({
    loggerInstance: options.log,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && given.length <= 128 ? given : randomUUID();
    },
    bodyLimit: options.bodyLimit ?? 1_048_576,
    ajv: {
      customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false, useDefaults: true },
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as ServiceApp;

  app.decorateRequest('identity', undefined);
  app.decorateRequest('span', undefined);
  app.decorateRequest('caller', undefined);

  // Trace context and caller identity are bound to the async context for the whole request.
  app.addHook('onRequest', (req, reply, done) => {
    const parent = extractTraceContext(req.headers);
    const span = options.tracing.tracer.startSpan(
      `${req.method} ${req.routeOptions.url ?? 'unmatched'}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': req.method, 'url.path': req.url.split('?')[0] ?? '' },
      },
      parent,
    );
    req.span = span;
    const traceId = span.spanContext().traceId;
    reply.header('x-trace-id', traceId);
    reply.header('x-request-id', req.id);
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
    if (!route.startsWith('/health') && route !== '/metrics') {
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
 * Who is calling: a service token proves the calling service and the user it acts for; raw
 * X-User-* headers mean nothing. /internal/** needs a service token; a presented token must be valid.
 */
async function authenticate(req: FastifyRequest, reply: FastifyReply, options: HttpOptions): Promise<void> {
  const path = req.url.split('?')[0] ?? '';
  // The matched route, not the raw path: `/%69nternal/…` routes to the same handler.
  const route = req.routeOptions.url ?? path;
  if (options.basicAuth && !route.startsWith('/health/')) {
    if (!options.credentials.checkBasic(req.headers.authorization)) {
      reply.header('www-authenticate', `Basic realm="${options.name}", charset="UTF-8"`);
      throw new Problem(401, 'The platform credentials are required', { code: 'unauthenticated' });
    }
  }
  const token = req.headers[SERVICE_TOKEN_HEADER];
  if (typeof token === 'string' && token !== '') {
    const caller = await options.credentials.verify(token);
    if (!caller) throw new Problem(401, 'The service token is invalid or expired', { code: 'invalid-token' });
    req.caller = caller.service;
    req.identity = caller.identity;
  }
  if (!req.caller && (route === '/internal' || route.startsWith('/internal/'))) {
    throw new Problem(401, 'Internal routes need a service token', { code: 'unauthenticated' });
  }
}

export function sendProblem(req: FastifyRequest, reply: FastifyReply, problem: Problem) {
  const traceId = req.span?.spanContext().traceId;
  if (problem.status >= 500) req.log.error({ err: problem.cause ?? problem }, problem.message);
  return reply
    .status(problem.status)
    .type('application/problem+json')
    .send(problem.toJSON(req.url.split('?')[0], traceId));
}

function toProblem(error: FastifyError): Problem {
  if (error instanceof Problem) return error;
  if (error.validation) {
    const errors: FieldProblem[] = error.validation.map((v) => {
      const missing = (v.params as { missingProperty?: string }).missingProperty;
      const path = `${v.instancePath ?? ''}${missing ? `/${missing}` : ''}`
        .replace(/^\//, '')
        .replaceAll('/', '.');
      return { field: path || error.validationContext || 'request', message: v.message ?? 'is invalid' };
    });
    const where = error.validationContext ?? 'request';
    return new Problem(400, `Invalid ${where}: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, {
      code: 'validation',
      errors,
    });
  }
  if (error instanceof ServiceCallError) {
    if (error.kind === 'http' && error.status && error.status < 500) {
      return new Problem(error.status, error.message, { code: 'upstream' });
    }
    const status = error.kind === 'timeout' ? 504 : 503;
    return new Problem(status, `${error.target} is unavailable: ${error.message}`, {
      code: 'upstream-unavailable',
      extensions: { service: error.target },
    });
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return new Problem(status, error.message || statusTitle(status), {
      code: (error.code ?? 'client-error').toLowerCase(),
    });
  }
  const problem = new Problem(500, 'An unexpected error occurred', { code: 'internal' });
  problem.cause = error;
  return problem;
}

/** Route guard: the caller must be signed in (and have the role, when given). */
export function requireIdentity(req: FastifyRequest, role?: Identity['role']): Identity {
  const identity = req.identity;
  if (!identity) throw new Problem(401, 'Authentication is required');
  if (role && identity.role !== role) throw new Problem(403, `This needs the ${role} role`);
  return identity;
}
