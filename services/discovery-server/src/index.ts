import { defineService } from '@sagamart/kit';
import { RegistryService } from './app/registry-service.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { eurekaRoutes } from './routes/eureka.ts';
import { registryRoutes } from './routes/registry.ts';

/**
 * The service registry (Eureka's role): services register, heartbeat and look each other up here.
 * The registry lives in memory, as Eureka's does; clients re-register when it restarts.
 */
export default defineService({
  name: 'discovery-server',
  port: 8761,
  description:
    'Service registry: our REST API, Eureka’s REST API and a dashboard over one in-memory registry',
  // It is the registry, so it does not register itself.
  register: false,
  // Only the deployment's services may register or read (HTTP Basic, as secured Eureka servers take it):
  // a stranger could otherwise register a fake auth-service serving its own JWKS.
  basicAuth: true,
  defaults: { registry: { defaultLeaseMs: 90_000, evictionIntervalMs: 1_000, deltaRetentionMs: 180_000 } },
  refreshable: ['registry'],
  async routes(app, ctx) {
    const registry = new RegistryService(ctx);
    registry.start();
    app.addHook('onClose', async () => registry.stop());
    registryRoutes(app, registry);
    await eurekaRoutes(app, registry);
    dashboardRoutes(app, registry, () => ctx.config.source);
  },
});
