import fastifyCors from '@fastify/cors';
import type { ServiceApp } from '@sagamart/kit';
import type { LiveSettings } from '../app/live-settings.ts';

/** CORS from `gateway.cors`, read per request so a refresh applies at once; preflights end here. */
export async function registerCors(app: ServiceApp, settings: LiveSettings): Promise<void> {
  await app.register(fastifyCors, {
    delegator: (_req, callback) => {
      const cors = settings.value.cors;
      callback(null, {
        origin: cors.allowedOrigins.includes('*') ? '*' : cors.allowedOrigins,
        methods: cors.allowedMethods,
        allowedHeaders: cors.allowedHeaders,
        exposedHeaders: cors.exposedHeaders,
        credentials: cors.allowCredentials,
        maxAge: cors.maxAgeSeconds,
        strictPreflight: false,
      });
    },
  });
}
