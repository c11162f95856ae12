import { UserRegistered, UserUpdated } from '@sagamart/contracts';
import { defineService, on, type ServiceContext } from '@sagamart/kit';
import { authModule } from './app/module.ts';
import { authDefaults } from './app/settings.ts';
import { type AuthDb, migrations } from './infra/schema.ts';
import { registerAdminKeyRoutes } from './routes/admin-key-routes.ts';
import { registerAuthRoutes } from './routes/auth-routes.ts';
import { registerInternalRoutes } from './routes/internal-routes.ts';

const purgeTimers = new WeakMap<ServiceContext<AuthDb>, NodeJS.Timeout>();

/** Drops refresh tokens a day past expiry and stale login counters; they can no longer matter. */
async function purge(ctx: ServiceContext<AuthDb>): Promise<void> {
  const now = new Date();
  await ctx.db
    .deleteFrom('refresh_tokens')
    .where('expires_at', '<', new Date(now.getTime() - 86_400_000))
    .execute();
  await authModule(ctx).attempts.purge(now);
  await authModule(ctx).revocations.purge(now);
}

export default defineService<AuthDb>({
  name: 'auth-service',
  port: 8081,
  description: 'Credentials and tokens: login, refresh rotation, logout, JWKS and signing key rotation.',
  defaults: authDefaults,
  // Production refuses the development value (AUTH_KEYS_ENCRYPTIONSECRET).
  secrets: ['auth.keys.encryptionSecret'],
  refreshable: [
    'auth.accessTokenTtlSeconds',
    'auth.refreshTokenTtlSeconds',
    'auth.lockout',
    'auth.keys.activationDelaySeconds',
  ],
  migrations,
  handlers: (ctx) => {
    const { accounts, revocations } = authModule(ctx);
    return [
      on(UserRegistered, async (event, { trx }) => {
        await accounts.applySnapshot(trx, event);
      }),
      on(UserUpdated, async (event, { trx, afterCommit }) => {
        if (await accounts.applySnapshot(trx, event)) afterCommit(() => revocations.announce());
      }),
    ];
  },
  routes: async (app, ctx) => {
    await registerAuthRoutes(app, ctx);
    registerAdminKeyRoutes(app, ctx);
    registerInternalRoutes(app, ctx);
  },
  async onStart(ctx) {
    if (ctx.config.string('auth.keys.encryptionSecret') === authDefaults.auth.keys.encryptionSecret) {
      ctx.log.warn(
        'auth.keys.encryptionSecret is the development default; set AUTH_KEYS_ENCRYPTIONSECRET outside development',
      );
    }
    await authModule(ctx).keyStore.ensureKey(new Date());
    const everyMs = ctx.config.number('auth.purgeIntervalSeconds') * 1000;
    const timer = setInterval(() => {
      purge(ctx).catch((error) => ctx.log.warn({ err: error }, 'purge failed'));
    }, everyMs);
    timer.unref();
    purgeTimers.set(ctx, timer);
  },
  onStop(ctx) {
    clearInterval(purgeTimers.get(ctx));
  },
});
