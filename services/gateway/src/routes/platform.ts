import { topology } from '@sagamart/contracts';
import { PlatformMetrics, PlatformServices } from '@sagamart/contracts/http/platform';
import {
  type DeploymentCredentials,
  type Discovery,
  type Identity,
  injectTraceContext,
  notFound,
  ProblemSchema,
  type ServiceApp,
  type ServiceInstance,
} from '@sagamart/kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { request } from 'undici';
import type { Gatekeeper } from '../app/gatekeeper.ts';
import { keepsNoDeadLetters, serviceUnavailable } from '../app/gateway-problems.ts';
import { PlatformMetricsReader } from '../app/platform-metrics.ts';
import { bearerToken } from '../domain/header-policy.ts';
import { withoutUserinfo } from '../domain/url-userinfo.ts';
// biome-ignore lint/style/noRestrictedImports: the console proxies through the shared upstream connection pool
import { upstreamAgent } from '../infra/upstream-http.ts';
import { countedClientIp } from './client-ip.ts';
import { replyWithProblem } from './problem-reply.ts';

const HEALTH_TIMEOUT_MS = 1_000;
const ADMIN_CALL_TIMEOUT_MS = 5_000;

const ServiceParams = Type.Object({
  service: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64 }),
});
const DeadLetterParams = Type.Object({
  service: ServiceParams.properties.service,
  id: Type.String({ format: 'uuid' }),
});
const DeadLetterPage = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 0 })),
  size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});

export interface PlatformDeps {
  gatekeeper: Gatekeeper;
  discovery: Discovery;
  credentials: DeploymentCredentials;
  /** The discovery server itself, which is not in its own registry. */
  registry?: ServiceInstance | undefined;
}

/**
 * The admin console's view of the platform: every registered instance with its readiness, each
 * service's request rate, error rate and p99 from its instances' /metrics, and each service's dead
 * letters (forwarded to one of its instances with the admin's identity).
 */
export function registerPlatformRoutes(app: ServiceApp, deps: PlatformDeps): void {
  const tags = ['platform'];
  const errors = { 401: ProblemSchema, 403: ProblemSchema, 429: ProblemSchema };

  const metrics = new PlatformMetricsReader(deps.credentials);
  /** Every registered app with its instances, the discovery server included. */
  const registeredApplications = async () => {
    const applications = new Map(await deps.discovery.applications());
    if (deps.registry && !applications.has(deps.registry.app))
      applications.set(deps.registry.app, [deps.registry]);
    return applications;
  };
  const asAdmin = (req: FastifyRequest) =>
    deps.gatekeeper.admit({
      credential: bearerToken(req.headers.authorization),
      role: 'ADMIN',
      rateLimit: 'default',
      clientIp: countedClientIp(req),
    }) as Promise<Identity>;
  /** A preHandler: admins pass; anyone else gets the gatekeeper's problem (401, 403 or 429). */
  const adminsOnly = async (req: FastifyRequest, reply: FastifyReply) => {
    try {
      await asAdmin(req);
    } catch (error) {
      return replyWithProblem(req, reply, error);
    }
  };

  app.get(
    '/api/platform/services',
    {
      schema: {
        tags,
        summary: 'Registered services, their instances and each instance’s readiness (ADMIN)',
        response: { 200: PlatformServices, ...errors },
      },
      preHandler: adminsOnly,
    },
    async () => {
      const applications = await registeredApplications();
      const services = await Promise.all(
        [...applications.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(async ([name, instances]) => ({
            name,
            instances: await Promise.all(
              [...instances]
                .sort((a, b) => a.instanceId.localeCompare(b.instanceId))
                .map(async (instance) => ({
                  instanceId: instance.instanceId,
                  // A registered URL may carry credentials (http://user:password@host/): never shown.
                  url: withoutUserinfo(instance.url),
                  status: instance.status,
                  health: await probeReadiness(instance),
                  lastHeartbeatAt: instance.lastHeartbeatAt ?? null,
                })),
            ),
          })),
      );
      return { services };
    },
  );

  app.get(
    '/api/platform/metrics',
    {
      schema: {
        tags,
        summary:
          'Request rate, 5xx share and p99 per service, since the previous look (at most a minute) (ADMIN)',
        response: { 200: PlatformMetrics, ...errors },
      },
      preHandler: adminsOnly,
    },
    async () => {
      return { services: await metrics.summary(await registeredApplications()) };
    },
  );

  app.get(
    '/api/platform/services/:service/dead-letters',
    {
      schema: {
        tags,
        summary: 'A service’s dead letters, a page at a time (ADMIN)',
        params: ServiceParams,
        querystring: DeadLetterPage,
      },
    },
    async (req, reply) => {
      const query = new URLSearchParams();
      if (req.query.page !== undefined) query.set('page', String(req.query.page));
      if (req.query.size !== undefined) query.set('size', String(req.query.size));
      const suffix = query.size ? `?${query}` : '';
      return callAdmin(req, reply, req.params.service, 'GET', `/admin/dead-letters${suffix}`);
    },
  );

  app.post(
    '/api/platform/services/:service/dead-letters/:id/replay',
    { schema: { tags, summary: 'Send a dead letter back to its queue (ADMIN)', params: DeadLetterParams } },
    async (req, reply) =>
      callAdmin(req, reply, req.params.service, 'POST', `/admin/dead-letters/${req.params.id}/replay`),
  );

  app.delete(
    '/api/platform/services/:service/dead-letters/:id',
    { schema: { tags, summary: 'Discard a dead letter (ADMIN)', params: DeadLetterParams } },
    async (req, reply) =>
      callAdmin(req, reply, req.params.service, 'DELETE', `/admin/dead-letters/${req.params.id}`),
  );

  async function callAdmin(
    req: FastifyRequest,
    reply: FastifyReply,
    service: string,
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
  ) {
    try {
      const identity = await asAdmin(req);
      // Dead letters are failed deliveries to a consumer's queue: a service with no queue in the
      // topology (config-server, the gateway, discovery…) has none, and may not even take the admin's
      // forwarded identity (config-server wants Basic), so it is not asked.
      if (!Object.hasOwn(topology, service)) {
        if ((await registeredApplications()).has(service)) throw keepsNoDeadLetters(service);
        throw notFound(`No service named ${service} is registered`);
      }
      const instance = await deps.discovery.choose(service);
      if (!instance) {
        const known = (await deps.discovery.applications()).has(service);
        throw known
          ? serviceUnavailable({ id: 'platform', service }, 'no-instance')
          : notFound(`No service named ${service} is registered`);
      }
      const headers: Record<string, string> = {
        accept: 'application/json',
        'x-request-id': req.id,
        ...deps.credentials.headersFor(service, identity),
      };
      injectTraceContext(headers);
      const res = await request(new URL(path, instance.url), {
        method,
        headers,
        dispatcher: upstreamAgent,
        signal: AbortSignal.timeout(ADMIN_CALL_TIMEOUT_MS),
      }).catch((error: Error) => {
        throw serviceUnavailable({ id: 'platform', service }, 'upstream-unavailable', error.message);
      });
      const contentType = res.headers['content-type'];
      reply.status(res.statusCode);
      if (typeof contentType === 'string') reply.type(contentType);
      const body = await res.body.text();
      return reply.send(body === '' ? undefined : body);
    } catch (error) {
      return replyWithProblem(req, reply, error);
    }
  }
}

/** UP when the instance says it is ready, DOWN when it says otherwise or refuses, UNKNOWN when it is silent. */
async function probeReadiness(instance: ServiceInstance): Promise<'UP' | 'DOWN' | 'UNKNOWN'> {
  try {
    const res = await request(new URL('/health/ready', instance.url), {
      dispatcher: upstreamAgent,
      signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
    });
    await res.body.dump();
    return res.statusCode === 200 ? 'UP' : 'DOWN';
  } catch (error) {
    const name = (error as Error).name;
    return name === 'TimeoutError' || name === 'AbortError' ? 'UNKNOWN' : 'DOWN';
  }
}
