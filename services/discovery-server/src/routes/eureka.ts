import { badRequest, notFound, type ServiceApp } from '@sagamart/kit';
import { Type } from 'typebox';
import type { RegistryService } from '../app/registry-service.ts';
import {
  fromEurekaInstance,
  fromEurekaStatus,
  toEurekaApplication,
  toEurekaApplications,
  toEurekaDelta,
  toEurekaInstance,
} from '../domain/eureka.ts';
import { toXml } from './eureka-xml.ts';
import { AppName, InstanceId } from './registry.ts';

const EurekaStatus = Type.Enum(['UP', 'DOWN', 'OUT_OF_SERVICE', 'STARTING', 'UNKNOWN']);
const PortNumber = Type.Union([
  Type.Integer({ minimum: 1, maximum: 65_535 }),
  Type.String({ pattern: '^\\d{1,5}$' }),
]);
const EurekaPort = Type.Union([
  PortNumber,
  Type.Object({
    $: Type.Optional(PortNumber),
    '@enabled': Type.Optional(Type.Union([Type.Boolean(), Type.String()])),
  }),
]);
const Host = Type.String({ minLength: 1, maxLength: 255, pattern: '^[^\\s/?#@]+$' });
const Link = Type.String({ maxLength: 2048 });

/** Eureka's registration body; unknown fields (dataCenterInfo, countryId, …) are accepted and ignored. */
const EurekaRegistration = Type.Object({
  instance: Type.Object({
    instanceId: Type.Optional(Type.String({ maxLength: 200 })),
    hostName: Type.Optional(Host),
    app: Type.Optional(Type.String({ maxLength: 100 })),
    ipAddr: Type.Optional(Host),
    status: Type.Optional(EurekaStatus),
    port: Type.Optional(EurekaPort),
    securePort: Type.Optional(EurekaPort),
    homePageUrl: Type.Optional(Link),
    statusPageUrl: Type.Optional(Link),
    healthCheckUrl: Type.Optional(Link),
    vipAddress: Type.Optional(Type.String({ maxLength: 255 })),
    secureVipAddress: Type.Optional(Type.String({ maxLength: 255 })),
    leaseInfo: Type.Optional(
      Type.Object({
        durationInSecs: Type.Optional(Type.Integer({ minimum: 1, maximum: 600 })),
        renewalIntervalInSecs: Type.Optional(Type.Integer({ minimum: 1, maximum: 600 })),
      }),
    ),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  }),
});

const AppParams = Type.Object({ app: AppName });
const InstanceParams = Type.Object({ app: AppName, instanceId: InstanceId });

interface Request {
  headers: { accept?: string | undefined };
}
interface Reply {
  type(contentType: string): { send(body: unknown): unknown };
}

/** Eureka answers XML unless asked for JSON; we answer JSON unless only XML is acceptable. */
function send(req: Request, reply: Reply, body: Record<string, unknown>) {
  const accept = req.headers.accept ?? '';
  if (/xml/i.test(accept) && !/json|\*\/\*/i.test(accept)) {
    return reply.type('application/xml').send(toXml(body));
  }
  return reply.type('application/json').send(body);
}

/**
 * Netflix Eureka's REST API (/eureka/...) over the same registry, so Eureka clients and the kit's
 * clients see each other.
 */
export async function eurekaRoutes(app: ServiceApp, registry: RegistryService): Promise<void> {
  await app.register(async (scope) => {
    // A plugin scope, so the lenient JSON parser below applies to these routes only.
    const eureka = scope as unknown as ServiceApp;
    // Eureka clients may send `Content-Type: application/json` with an empty PUT (heartbeat, status).
    const json = eureka.getDefaultJsonParser('error', 'ignore');
    eureka.removeContentTypeParser('application/json');
    eureka.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) =>
      body === '' ? done(null, undefined) : json(req, body as string, done),
    );

    const tags = ['eureka'];
    const all = async (req: Request, reply: Reply) =>
      send(req, reply, toEurekaApplications(registry.registry.applications()));
    const summary = 'All applications, in Eureka’s shape';
    // Eureka clients' heartbeats and full registry reads are housekeeping: not traced.
    const housekeeping = { housekeeping: true };
    eureka.get('/eureka/apps', { config: housekeeping, schema: { tags, summary } }, all);
    eureka.get('/eureka/apps/', { config: housekeeping, schema: { hide: true } }, all);

    eureka.get(
      '/eureka/apps/delta',
      { schema: { tags, summary: 'Registrations, status changes and removals of the last few minutes' } },
      (req, reply) =>
        send(req, reply, toEurekaDelta(registry.registry.applications(), registry.registry.recentChanges())),
    );

    eureka.get(
      '/eureka/apps/:app',
      { schema: { tags, summary: 'One application', params: AppParams } },
      (req, reply) => {
        const found = registry.registry.application(req.params.app);
        if (!found) throw notFound(`No app ${req.params.app} is registered`);
        return send(req, reply, { application: toEurekaApplication(found) });
      },
    );

    eureka.get(
      '/eureka/apps/:app/:instanceId',
      { schema: { tags, summary: 'One instance', params: InstanceParams } },
      (req, reply) =>
        send(req, reply, { instance: toEurekaInstance(registry.get(req.params.app, req.params.instanceId)) }),
    );

    eureka.get(
      '/eureka/instances/:instanceId',
      {
        schema: {
          tags,
          summary: 'One instance, by id alone',
          params: Type.Object({ instanceId: InstanceId }),
        },
      },
      (req, reply) => {
        const instance = registry.registry.findInstance(req.params.instanceId);
        if (!instance) throw notFound(`No instance ${req.params.instanceId} is registered`);
        return send(req, reply, { instance: toEurekaInstance(instance) });
      },
    );

    eureka.post(
      '/eureka/apps/:app',
      {
        schema: {
          tags,
          summary: 'Register (Eureka `{instance: {...}}` JSON)',
          params: AppParams,
          body: EurekaRegistration,
        },
      },
      async (req, reply) => {
        const parsed = fromEurekaInstance(req.params.app, req.body.instance, registry.defaultLeaseMs);
        if (!parsed.ok) {
          throw badRequest(
            `Invalid body: ${parsed.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
            parsed.errors,
          );
        }
        registry.register(parsed.registration);
        return reply.status(204).send();
      },
    );

    eureka.put(
      '/eureka/apps/:app/:instanceId',
      {
        config: housekeeping,
        schema: {
          tags,
          summary: 'Heartbeat; 404 tells the client to register again',
          params: InstanceParams,
        },
      },
      async (req, reply) => {
        registry.renew(req.params.app, req.params.instanceId);
        return reply.status(200).send();
      },
    );

    const StatusQuery = Type.Object({ value: EurekaStatus });
    eureka.put(
      '/eureka/apps/:app/:instanceId/status',
      {
        schema: {
          tags,
          summary: 'Override the status (?value=OUT_OF_SERVICE)',
          params: InstanceParams,
          querystring: StatusQuery,
        },
      },
      async (req, reply) => {
        registry.setStatus(req.params.app, req.params.instanceId, fromEurekaStatus(req.query.value));
        return reply.status(200).send();
      },
    );
    eureka.delete(
      '/eureka/apps/:app/:instanceId/status',
      {
        schema: {
          tags,
          summary: 'Remove the status override (back to ?value=, default UP)',
          params: InstanceParams,
          querystring: Type.Object({ value: Type.Optional(EurekaStatus) }),
        },
      },
      async (req, reply) => {
        registry.setStatus(req.params.app, req.params.instanceId, fromEurekaStatus(req.query.value ?? 'UP'));
        return reply.status(200).send();
      },
    );

    eureka.delete(
      '/eureka/apps/:app/:instanceId',
      { schema: { tags, summary: 'Cancel (deregister)', params: InstanceParams } },
      async (req, reply) => {
        registry.cancel(req.params.app, req.params.instanceId);
        return reply.status(200).send();
      },
    );
  });
}
