import { type TSchema, Type } from 'typebox';

// The gateway's public HTTP shapes.

/** What an instance's health endpoint last said. */
export const InstanceHealth = Type.Union([Type.Literal('UP'), Type.Literal('DOWN'), Type.Literal('UNKNOWN')]);
/** The gateway's view of the platform: every registered service with its instances (admin page). */
export const PlatformServices = Type.Object({
  services: Type.Array(
    Type.Object({
      name: Type.String(),
      instances: Type.Array(
        Type.Object({
          instanceId: Type.String(),
          url: Type.String(),
          status: Type.String({ description: 'As registered with discovery' }),
          health: InstanceHealth,
          lastHeartbeatAt: Type.Union([Type.String(), Type.Null()]),
        }),
      ),
    }),
  ),
});

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * Metrics at a glance (admin platform page): each service's requests per second, 5xx share and p99
 * latency over the window between two scrapes of its instances' /metrics (the platform's probes left
 * out). Null where there is no window yet (the first look) or no request in it.
 */
export const PlatformMetrics = Type.Object({
  services: Type.Array(
    Type.Object({
      name: Type.String(),
      /** Instances whose /metrics answered, and those that did not. */
      instances: Type.Integer({ minimum: 0 }),
      unreachable: Type.Integer({ minimum: 0 }),
      windowSeconds: Nullable(Type.Number({ minimum: 0 })),
      requestsPerSecond: Nullable(Type.Number({ minimum: 0 })),
      /** 5xx answers over all answers, 0..1. */
      errorRate: Nullable(Type.Number({ minimum: 0, maximum: 1 })),
      p99Ms: Nullable(Type.Number({ minimum: 0 })),
    }),
  ),
});
