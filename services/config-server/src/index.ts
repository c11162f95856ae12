import { defineService } from '@sagamart/kit';
import { bundledConfigRepo, ConfigRepository } from './infra/config-repository.ts';
import { registerRoutes } from './routes/index.ts';

/** The key of the development {cipher} values in config/ (docs/security.md); never a production key. */
export const DEVELOPMENT_ENCRYPT_KEY = 'sagamart-development-encrypt-key';

/**
 * The config server (Spring Cloud Config's native repository): serves the YAML files of a folder
 * as property sources, decrypts `{cipher}` values, and broadcasts refresh over the event bus.
 */
export default defineService({
  name: 'config-server',
  port: 8888,
  description:
    'Central configuration: property sources per application and profile, encryption, bus refresh.',
  configSource: 'local',
  register: true,
  // Config reads carry secrets: only the deployment's services (HTTP Basic, as Spring's config clients send it).
  basicAuth: true,
  // Production refuses the development key of the committed {cipher} values (ENCRYPT_KEY).
  secrets: ['encrypt.key'],
  defaults: {
    // CONFIGSERVER_REPO overrides; a relative path is taken from the working directory.
    configServer: { repo: bundledConfigRepo },
    // ENCRYPT_KEY: the secret behind /encrypt, /decrypt and {cipher} values. The default is the
    // development key the {cipher} values in config/ were made with: set your own in production.
    encrypt: { key: DEVELOPMENT_ENCRYPT_KEY },
  },
  readiness: (ctx) => {
    const repository = new ConfigRepository(ctx.config.string('configServer.repo'));
    return { configRepo: () => repository.exists() };
  },
  routes: (app, ctx) =>
    registerRoutes(app, ctx, new ConfigRepository(ctx.config.string('configServer.repo'))),
});
