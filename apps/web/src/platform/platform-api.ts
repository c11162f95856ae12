import type * as platform from '@sagamart/contracts/http/platform';
import { queryOptions } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api } from '../api/client.ts';

export type PlatformServices = Static<typeof platform.PlatformServices>;
export type PlatformService = PlatformServices['services'][number];
export type ServiceInstance = PlatformService['instances'][number];
/** What the instance registered as with discovery (UP, DOWN, OUT_OF_SERVICE, STARTING). */
export type InstanceStatus = ServiceInstance['status'];
/** What its health endpoint last said. */
export type InstanceHealth = ServiceInstance['health'];

export const PLATFORM_REFRESH_MS = 5_000;

export const platformServicesQuery = queryOptions({
  queryKey: ['platform', 'services'],
  queryFn: ({ signal }) => api.get<PlatformServices>('/api/platform/services', { signal }),
  refetchInterval: PLATFORM_REFRESH_MS,
});

export type PlatformMetrics = Static<typeof platform.PlatformMetrics>;
export type ServiceMetrics = PlatformMetrics['services'][number];

/** Rates between this look and the gateway's previous one, so the first look has none yet. */
export const platformMetricsQuery = queryOptions({
  queryKey: ['platform', 'metrics'],
  queryFn: ({ signal }) => api.get<PlatformMetrics>('/api/platform/metrics', { signal }),
  refetchInterval: PLATFORM_REFRESH_MS,
});
