import fastifyCors, { type FastifyCorsOptions } from '@fastify/cors';
import type { ServiceApp } from '@sagamart/kit';
import type { LiveSettings } from '../app/live-settings.ts';

/**
 * CORS from `gateway.cors`, read per request so a refresh applies at once; preflights end here. The
 * options are built again only when the settings change.
 */
export async function registerCors(app: ServiceApp, settings: LiveSettings): Promise<void> {
  let builtFrom: LiveSettings['value']['cors'] | undefined;
  let options: FastifyCorsOptions = {};
  await app.register(fastifyCors, {
    delegator: (_req, callback) => {
      const cors = settings.value.cors;
      if (cors !== builtFrom) {
        builtFrom = cors;
        options = {
          origin: cors.allowedOrigins.includes('*') ? '*' : cors.allowedOrigins,
          methods: cors.allowedMethods,
          allowedHeaders: cors.allowedHeaders,
          exposedHeaders: cors.exposedHeaders,
          credentials: cors.allowCredentials,
          maxAge: cors.maxAgeSeconds,
          strictPreflight: false,
        };
      }
      callback(null, options);
    },
  });
}
