export {
  credentialsFile,
  type DeploymentLogin,
  deploymentLogin,
  platformAuthorization,
} from './credentials.ts';
export { type EmbeddedPostgresServer, startEmbeddedPostgres } from './embedded-postgres.ts';
export {
  defaultDataDir,
  type Platform,
  type PlatformOptions,
  type ServiceStatus,
  startPlatform,
} from './platform.ts';
export { cpuProfileFlags, SERVICE_NODE_FLAGS, SERVICE_PROCESS_ENV } from './processes.ts';
export { findServices, repoRoot, type ServicePackage } from './services.ts';
