import { queryOptions } from '@tanstack/react-query';
import { api } from '../api/client.ts';

/** What the instance registered as (discovery's view). */
export type InstanceStatus = 'UP' | 'DOWN' | 'OUT_OF_SERVICE';
/** What its health endpoint last said. */
export type InstanceHealth = 'UP' | 'DOWN' | 'UNKNOWN';

export interface ServiceInstance {
  instanceId: string;
  url: string;
  status: InstanceStatus;
  health: InstanceHealth;
  lastHeartbeatAt: string | null;
}

export interface PlatformService {
  name: string;
  instances: ServiceInstance[];
}

export interface PlatformServices {
  services: PlatformService[];
}

export const PLATFORM_REFRESH_MS = 5_000;

export const platformServicesQuery = queryOptions({
  queryKey: ['platform', 'services'],
  queryFn: ({ signal }) => api.get<PlatformServices>('/api/platform/services', { signal }),
  refetchInterval: PLATFORM_REFRESH_MS,
});
