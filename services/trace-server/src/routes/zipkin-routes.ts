import {
  DependencyLinks,
  ServiceNames,
  TraceId,
  TraceQuery,
  ZipkinSpans,
  ZipkinTrace,
  ZipkinTraces,
} from '@sagamart/contracts/http/tracing';
import { notFound, Problem, ProblemSchema, type ServiceApp, type ServiceContext } from '@sagamart/kit';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { traceModule } from '../app/module.ts';
import { parseAnnotationQuery, searchWindow } from '../domain/spans.ts';
import type { TraceDb } from '../infra/schema.ts';

const tags = ['zipkin'];
const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema };
const ServiceNameQuery = Type.Object({ serviceName: Type.String({ minLength: 1, maxLength: 200 }) });
const WindowQuery = Type.Object({
  endTs: Type.Optional(Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000 })),
  lookback: Type.Optional(Type.Integer({ minimum: 1, maximum: 8_640_000_000_000_000 })),
});

/** Exporters: any service of the platform (a service token). */
function requireService(req: FastifyRequest): void {
  if (!req.caller)
    throw new Problem(401, 'Spans are accepted from the platform services only (a service token)');
}

/** Readers: a service on its own behalf, or on an administrator's (the gateway's admin route). */
function requireReader(req: FastifyRequest): void {
  requireService(req);
  if (req.identity && req.identity.role !== 'ADMIN') throw new Problem(403, 'Traces are for administrators');
}

/**
 * Zipkin's v2 API at its own paths, so that an exporter or a UI made for Zipkin works unchanged
 * (the gateway maps /api/admin/zipkin/api/v2/** here for the admin pages).
 */
export function registerZipkinRoutes(app: ServiceApp, ctx: ServiceContext<TraceDb>): void {
  const { collector, store, settings } = traceModule(ctx);

  app.post(
    '/api/v2/spans',
    {
      schema: {
        tags,
        summary: 'Store a batch of spans (Zipkin v2 JSON)',
        body: ZipkinSpans,
        response: { 202: Type.Null(), ...problems },
      },
    },
    async (req, reply) => {
      requireService(req);
      await collector.collect(req.body);
      return reply.status(202).send(null);
    },
  );

  app.get(
    '/api/v2/services',
    {
      schema: { tags, summary: 'Services that reported spans', response: { 200: ServiceNames, ...problems } },
    },
    async (req) => {
      requireReader(req);
      return store.serviceNames();
    },
  );

  app.get(
    '/api/v2/spans',
    {
      schema: {
        tags,
        summary: "A service's span names",
        querystring: ServiceNameQuery,
        response: { 200: ServiceNames, ...problems },
      },
    },
    async (req) => {
      requireReader(req);
      return store.spanNames(req.query.serviceName);
    },
  );

  app.get(
    '/api/v2/remoteServices',
    {
      schema: {
        tags,
        summary: 'The services a service called',
        querystring: ServiceNameQuery,
        response: { 200: ServiceNames, ...problems },
      },
    },
    async (req) => {
      requireReader(req);
      return store.remoteServiceNames(req.query.serviceName);
    },
  );

  app.get(
    '/api/v2/traces',
    {
      schema: {
        tags,
        summary: 'Find traces: newest first, each with all its spans',
        querystring: TraceQuery,
        response: { 200: ZipkinTraces, ...problems },
      },
    },
    async (req) => {
      requireReader(req);
      const q = req.query;
      const window = searchWindow(q.endTs, q.lookback, Date.now(), settings().maxAgeMs);
      return store.search({
        serviceName: q.serviceName,
        spanName: q.spanName,
        terms: parseAnnotationQuery(q.annotationQuery),
        minDurationUs: q.minDuration,
        maxDurationUs: q.maxDuration,
        ...window,
        limit: q.limit ?? 10,
      });
    },
  );

  app.get(
    '/api/v2/trace/:traceId',
    {
      schema: {
        tags,
        summary: "One trace's spans",
        params: Type.Object({ traceId: TraceId }),
        response: { 200: ZipkinTrace, 404: ProblemSchema, ...problems },
      },
    },
    async (req) => {
      requireReader(req);
      const spans = await store.trace(req.params.traceId);
      if (spans.length === 0)
        throw notFound(`No spans of trace ${req.params.traceId.toLowerCase()} are stored`);
      return spans;
    },
  );

  app.get(
    '/api/v2/dependencies',
    {
      schema: {
        tags,
        summary: 'Calls and event hops between services in a window, with error counts',
        querystring: WindowQuery,
        response: { 200: DependencyLinks, ...problems },
      },
    },
    async (req) => {
      requireReader(req);
      const window = searchWindow(req.query.endTs, req.query.lookback, Date.now(), 60 * 60 * 1000);
      return store.dependencies(window.fromUs, window.toUs);
    },
  );
}
