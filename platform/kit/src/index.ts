/**
 * The sagamart platform kit: the surface services use, documented in README.md. What is not
 * documented there is internal and not exported. Domain code imports `@sagamart/kit/pure` instead.
 */

export { afterCommit } from './after-commit.ts';
export { ChangeWaiters } from './change-waiters.ts';
export { Config } from './config.ts';
export {
  type Caller,
  DeploymentCredentials,
  generateDeploymentSecret,
  PLATFORM_USER,
  platformPassword,
} from './credentials.ts';
export {
  type ColumnType,
  databaseUrl,
  type Expression,
  ensureDatabase,
  type Generated,
  type Insertable,
  type Kysely,
  lockForTransaction,
  type Migration,
  openDatabase,
  type RawBuilder,
  type Selectable,
  sql,
  type Transaction,
  type Updateable,
  type UpdateObject,
} from './db.ts';
export type { Discovery, InstanceStatus, ServiceInstance } from './discovery.ts';
export { REGISTRY_VERSION_HEADER } from './discovery.ts';
export {
  type EventContext,
  type EventHandler,
  on,
} from './events/consumer.ts';
export {
  DEFAULT_BUS_DATABASE,
  LISTENER_NAME,
  PostgresTransport,
  type SharedPostgresTransport,
  sharedPostgresTransport,
} from './events/postgres-transport.ts';
export { rabbitObjectNames } from './events/rabbitmq-transport.ts';
export type { MessagingTables } from './events/schema.ts';
export {
  type BroadcastOptions,
  type DeliveredMessage,
  HEADER,
  type OutgoingMessage,
  type Subscription,
  type Transport,
} from './events/transport.ts';
export { compileRouteSchemas, requireIdentity, type ServiceApp, sendProblem } from './http.ts';
export {
  type FrameOutcome,
  type LiveConnection,
  LiveSockets,
  type LiveSocketsOptions,
  type PingedConnection,
  pingConnections,
  sendJsonFrame,
} from './live-sockets.ts';
export { fetchPage } from './page-query.ts';
export {
  dueIn,
  type IdleLoop,
  type IdleLoopOptions,
  type Periodic,
  repeatEvery,
  repeatWhileBusy,
} from './periodic.ts';
export * from './pure.ts';
export {
  MemoryRateLimiter,
  type RateLimitDecision,
  type RateLimiter,
  RedisRateLimiter,
} from './rate-limiter.ts';
export { BrokenCircuitError, breakerOptions, CircuitBreakers, defaultBreakerOptions } from './resilience.ts';
export type { RetentionTask } from './retention.ts';
export { problemResponses, withRetryAfter } from './route-helpers.ts';
export { runService, runServiceHost } from './run.ts';
export {
  defineService,
  type Service,
  type ServiceContext,
  type ServiceFactory,
  type ServiceOptions,
} from './service.ts';
export {
  CONTENDED_PAUSE_MS,
  isConcurrentChangeAnswer,
  isShuttingDownAnswer,
  ServiceCallError,
  ServiceClient,
} from './service-client.ts';
export { currentTraceId, injectTraceContext, SpanKind, withSpan } from './tracing.ts';
