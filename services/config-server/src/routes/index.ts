import type { ServiceApp, ServiceContext } from '@sagamart/kit';
import type { ConfigRepository } from '../infra/config-repository.ts';
import { registerEncryptionRoutes } from './encryption.ts';
import { registerEnvironmentRoutes } from './environment.ts';
import { registerRefreshRoutes } from './refresh.ts';

export async function registerRoutes(app: ServiceApp, ctx: ServiceContext, repository: ConfigRepository) {
  registerEnvironmentRoutes(app, ctx, repository);
  registerEncryptionRoutes(app, ctx);
  await registerRefreshRoutes(app, ctx);
}
