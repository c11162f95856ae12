import { notFound, REGISTRY_VERSION_HEADER, type ServiceApp } from '@sagamart/kit';
import { type Static, Type } from 'typebox';
import type { RegistryService } from '../app/registry-service.ts';
import type { Instance } from '../domain/registry.ts';

export const MIN_LEASE_MS = 1_000;
export const MAX_LEASE_MS = 600_000;

export const AppName = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
  description: 'Application name; matched case-insensitively (stored lower-case, e.g. user-service)',
});
export const InstanceId = Type.String({ minLength: 1, maxLength: 200 });
export const Status = Type.Enum(['UP', 'DOWN', 'OUT_OF_SERVICE', 'STARTING']);

export const RegisterBody = Type.Object({
  instanceId: InstanceId,
  url: Type.String({
    maxLength: 2048,
    pattern: '^https?://[^\\s/?#]+([/?#]\\S*)?$',
    description: 'Base URL other services call (http or https)',
  }),
  status: Type.Optional(Status),
  metadata: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 1_000 }))),
  leaseDurationMs: Type.Optional(
    Type.Integer({
      minimum: MIN_LEASE_MS,
      maximum: MAX_LEASE_MS,
      description:
        'Time without a heartbeat after which the instance is evicted (default registry.defaultLeaseMs)',
    }),
  ),
});
export type RegisterBody = Static<typeof RegisterBody>;

const InstanceView = Type.Object({
  app: Type.String(),
  instanceId: Type.String(),
  url: Type.String(),
  status: Status,
  metadata: Type.Record(Type.String(), Type.String()),
  leaseDurationMs: Type.Integer(),
  registeredAt: Type.String({ format: 'date-time' }),
  lastHeartbeatAt: Type.String({ format: 'date-time' }),
});
const ApplicationView = Type.Object({ name: Type.String(), instances: Type.Array(InstanceView) });
const ApplicationsView = Type.Object({ applications: Type.Array(ApplicationView) });

const AppParams = Type.Object({ app: AppName });
const InstanceParams = Type.Object({ app: AppName, instanceId: InstanceId });

export function instanceView(instance: Instance): Static<typeof InstanceView> {
  return {
    app: instance.app,
    instanceId: instance.instanceId,
    url: instance.url,
    status: instance.status,
    metadata: { ...instance.metadata },
    leaseDurationMs: instance.leaseDurationMs,
    registeredAt: new Date(instance.registeredAt).toISOString(),
    lastHeartbeatAt: new Date(instance.lastHeartbeatAt).toISOString(),
  };
}

/** The registry's own REST API, spoken by the kit's RegistryDiscovery. */
export function registryRoutes(app: ServiceApp, registry: RegistryService): void {
  const tags = ['registry'];

  app.post(
    '/api/registry/apps/:app',
    {
      schema: {
        tags,
        summary: 'Register an instance (re-registering the same instanceId replaces it)',
        params: AppParams,
        body: RegisterBody,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      registry.register({ ...req.body, app: req.params.app, url: req.body.url.replace(/\/+$/, '') });
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/registry/apps/:app/:instanceId/heartbeat',
    {
      // Every instance, every few seconds: housekeeping, not traced.
      config: { housekeeping: true },
      schema: {
        tags,
        summary: 'Renew the lease; 404 means the client must register again',
        params: InstanceParams,
        response: { 200: InstanceView },
      },
    },
    async (req, reply) => {
      const renewed = instanceView(registry.renew(req.params.app, req.params.instanceId));
      reply.header(REGISTRY_VERSION_HEADER, registry.version());
      return renewed;
    },
  );

  app.put(
    '/api/registry/apps/:app/:instanceId/status',
    {
      schema: {
        tags,
        summary: 'Change the status; only UP instances receive traffic',
        params: InstanceParams,
        body: Type.Object({ status: Status }),
        response: { 200: InstanceView },
      },
    },
    async (req) => instanceView(registry.setStatus(req.params.app, req.params.instanceId, req.body.status)),
  );

  app.delete(
    '/api/registry/apps/:app/:instanceId',
    {
      schema: {
        tags,
        summary: 'Deregister an instance',
        params: InstanceParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      registry.cancel(req.params.app, req.params.instanceId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/registry/apps',
    {
      // The service clients' registry reads: housekeeping, not traced.
      config: { housekeeping: true },
      schema: {
        tags,
        summary: 'Every app with its instances (any status)',
        response: { 200: ApplicationsView },
      },
    },
    async (_req, reply) => {
      reply.header(REGISTRY_VERSION_HEADER, registry.version());
      return {
        applications: registry.registry
          .applications()
          .map((a) => ({ name: a.name, instances: a.instances.map(instanceView) })),
      };
    },
  );

  app.get(
    '/api/registry/apps/:app',
    {
      schema: {
        tags,
        summary: 'One app with its instances',
        params: AppParams,
        response: { 200: ApplicationView },
      },
    },
    async (req) => {
      const found = registry.registry.application(req.params.app);
      if (!found) throw notFound(`No app ${req.params.app} is registered`);
      return { name: found.name, instances: found.instances.map(instanceView) };
    },
  );

  app.get(
    '/api/registry/apps/:app/:instanceId',
    { schema: { tags, summary: 'One instance', params: InstanceParams, response: { 200: InstanceView } } },
    async (req) => instanceView(registry.get(req.params.app, req.params.instanceId)),
  );
}
