import { defineService } from '@sagamart/kit';
import { REFRESHABLE_KEYS } from './app/live-settings.ts';
import { gatewayDefaults } from './defaults.ts';
import { parseTrustedProxies } from './domain/gateway-settings.ts';
import { gatewayReadiness, registerGateway } from './routes/index.ts';

/**
 * The API gateway (Spring Cloud Gateway's role): the platform's single entry point. Routes requests by
 * path prefix to service instances found through discovery, verifies access tokens and passes the
 * caller on in a signed service token, rate-limits, applies CORS, breaks circuits, proxies WebSockets, and
 * serves the web app and the API docs.
 */
export default defineService({
  name: 'gateway',
  port: 8080,
  description:
    'The platform entry point: routing, authentication, rate limits, CORS, WebSockets, web app and docs.',
  accessLogLevel: 'info',
  trustedProxies: (config) => parseTrustedProxies(config.get('gateway.trustedProxies')),
  refreshable: REFRESHABLE_KEYS,
  defaults: gatewayDefaults(),
  routes: registerGateway,
  readiness: gatewayReadiness,
});
