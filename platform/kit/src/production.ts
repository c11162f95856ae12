import type { Config } from './config.ts';
import { envName } from './config.ts';
import { type ConfigTree, UNDECRYPTABLE_KEY_PREFIX } from './config-tree.ts';

/**
 * Production mode: `NODE_ENV=production` (the container image sets it) or a `prod` profile in
 * SAGAMART_PROFILE. A production service refuses to start with a development default for a secret.
 */
export function isProductionMode(env: Record<string, string | undefined>): boolean {
  const profiles = (env.SAGAMART_PROFILE ?? env.SPRING_PROFILES_ACTIVE ?? '').split(',').map((p) => p.trim());
  return env.NODE_ENV === 'production' || profiles.some((p) => p === 'prod' || p === 'production');
}

/** Why a production start is refused: the setting, and the environment variable that fixes it. */
export class DevelopmentSecretError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`production mode: ${reason}; set ${variable} (docs/deploy.md)`);
    this.name = 'DevelopmentSecretError';
  }
}

function valueAt(tree: ConfigTree | undefined, path: string): unknown {
  let node: unknown = tree;
  for (const part of path.split('.')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/**
 * A config key whose bundled default is a development value: always in use, or only while the
 * boolean key `when` is on (e.g. the password of an account created only when enabled).
 */
export type DeclaredSecret = string | { key: string; when: string };

/**
 * Throws for the first secret that still has its development value: a service's declared `secrets`
 * (config keys whose bundled default is a development value) and the deployment secret.
 */
export function assertProductionSecrets(options: {
  secrets: readonly DeclaredSecret[];
  defaults: ConfigTree | undefined;
  config: Config;
  deploymentSecret: string | undefined;
}): void {
  if (!options.deploymentSecret)
    throw new DevelopmentSecretError(
      'SAGAMART_DEPLOYMENT_SECRET',
      'no deployment secret (service tokens and the config/discovery login derive from it)',
    );
  for (const secret of options.secrets) {
    const { key, when } = typeof secret === 'string' ? { key: secret, when: undefined } : secret;
    if (when && !options.config.boolean(when)) continue;
    const value = options.config.optionalString(key);
    const development = valueAt(options.defaults, key);
    if (value !== undefined && value !== development) continue;
    // The config server could not decrypt the value it holds: the default took its place unnoticed.
    const undecryptable =
      options.config.get(`${UNDECRYPTABLE_KEY_PREFIX}${key}`) !== undefined
        ? ' (the config server could not decrypt its {cipher} value: it was made with another ENCRYPT_KEY)'
        : '';
    throw new DevelopmentSecretError(
      envName(key),
      `${key} ${value === undefined ? 'is not set' : 'is the development default'}${undecryptable}${
        when ? ` while ${when} is on (or set ${envName(when)}=false)` : ''
      }`,
    );
  }
}
