/**
 * The sagamart platform kit. See README.md for the API; services import only from here.
 */
export {
  Config,
  type ConfigEnvironment,
  type ConfigTree,
  type ConfigValue,
  flattenConfig,
  mergeConfig,
  unflattenConfig,
} from './config.ts';
export {
  databaseUrl,
  ensureDatabase,
  type Generated,
  type Kysely,
  type Migration,
  migrate,
  openDatabase,
  type Selectable,
  sql,
  type Transaction,
} from './db.ts';
export {
  type Discovery,
  type InstanceStatus,
  RegistryDiscovery,
  type ServiceInstance,
  StaticDiscovery,
} from './discovery.ts';
export {
  badRequest,
  conflict,
  type FieldProblem,
  forbidden,
  notFound,
  Problem,
  type ProblemDetails,
  ProblemSchema,
  unauthorized,
  unprocessable,
} from './errors.ts';
export * from './events/index.ts';
export { createHttpApp, requireIdentity, type ServiceApp, sendProblem } from './http.ts';
export {
  currentIdentity,
  IDENTITY_HEADERS,
  type Identity,
  identityFromHeaders,
  identityHeaders,
  type Role,
} from './identity.ts';
export { createMetrics, type ServiceMetrics } from './metrics.ts';
export {
  type Page,
  PageQuery,
  PageSchema,
  parseSort,
  type SortDirection,
  type SortOrder,
  SortParam,
  type SortSpec,
  toPage,
} from './page.ts';
export { type Periodic, repeatEvery } from './periodic.ts';
export {
  type BreakerOptions,
  BrokenCircuitError,
  breakerOptions,
  CircuitBreakers,
  CircuitState,
  defaultBreakerOptions,
} from './resilience.ts';
export type { RetentionTask } from './retention.ts';
export { runService } from './run.ts';
export {
  defaultDatabaseName,
  defineService,
  type Service,
  type ServiceContext,
  type ServiceDefinition,
  type ServiceFactory,
  type ServiceOptions,
} from './service.ts';
export { type CallOptions, ServiceCallError, ServiceClient } from './service-client.ts';
export { createTracing, currentTraceId, injectTraceContext, type Tracing, withSpan } from './tracing.ts';
