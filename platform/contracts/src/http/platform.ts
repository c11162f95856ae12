import { Type } from 'typebox';

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
