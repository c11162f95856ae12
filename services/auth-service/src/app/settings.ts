import type { Config } from '@sagamart/kit';
import type { LockoutPolicy } from '../domain/lockout.ts';
import type { ScryptParams } from '../domain/password-hash.ts';

/** Bundled defaults; config/auth-service.yml mirrors them. */
export const authDefaults = {
  auth: {
    accessTokenTtlSeconds: 1800,
    refreshTokenTtlSeconds: 1_209_600,
    lockout: {
      maxFailures: 5,
      maxFailuresPerAddress: 20,
      baseDelaySeconds: 30,
      maxDelaySeconds: 900,
      failureResetSeconds: 3600,
    },
    // 2^15 x 8: 32 MiB and tens of milliseconds per hash. Raising them rehashes at the next login.
    password: { scrypt: { logN: 15, r: 8, p: 1 } },
    keys: {
      // Development only: set AUTH_KEYS_ENCRYPTIONSECRET (or the config server) in any shared environment.
      encryptionSecret: 'sagamart-dev-signing-key-secret',
      // 0: a rotated key signs at once. Raise above the verifiers' JWKS cache age to publish first.
      activationDelaySeconds: 0,
      // Clock skew allowance on top of the refresh token lifetime before a superseded key is dropped.
      retentionGraceSeconds: 60,
    },
    purgeIntervalSeconds: 3600,
  },
};

/** Read on every use, so refreshed values apply at once. */
export interface AuthSettings {
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  lockout: LockoutPolicy;
  activationDelaySeconds: number;
  /** How long a superseded key keeps verifying: the longest token lifetime plus the grace. */
  keyRetentionSeconds: number;
}

export function readSettings(config: Config): AuthSettings {
  const refreshTtlSeconds = config.number('auth.refreshTokenTtlSeconds');
  return {
    accessTtlSeconds: config.number('auth.accessTokenTtlSeconds'),
    refreshTtlSeconds,
    lockout: {
      maxFailures: config.number('auth.lockout.maxFailures'),
      maxFailuresPerAddress: config.number('auth.lockout.maxFailuresPerAddress'),
      baseDelaySeconds: config.number('auth.lockout.baseDelaySeconds'),
      maxDelaySeconds: config.number('auth.lockout.maxDelaySeconds'),
      failureResetSeconds: config.number('auth.lockout.failureResetSeconds'),
    },
    activationDelaySeconds: config.number('auth.keys.activationDelaySeconds'),
    keyRetentionSeconds:
      Math.max(refreshTtlSeconds, config.number('auth.accessTokenTtlSeconds')) +
      config.number('auth.keys.retentionGraceSeconds'),
  };
}

export function scryptParams(config: Config): ScryptParams {
  return {
    logN: config.number('auth.password.scrypt.logN'),
    r: config.number('auth.password.scrypt.r'),
    p: config.number('auth.password.scrypt.p'),
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
