import {
  createLocalJWKSet,
  errors,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWSHeaderParameters,
} from 'jose';

/** auth-service's keys could not be loaded, so no token can be checked (a 503, not the caller's fault). */
export class KeysUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`signing keys unavailable: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'KeysUnavailableError';
  }
}

export interface JwksKeyStoreOptions {
  /** Loads auth-service's current JWKS. */
  load: () => Promise<JSONWebKeySet>;
  /** A token with an unknown `kid` reloads the set, at most once per this interval. */
  minReloadIntervalMs: number;
  /** The set is reloaded before use once it is this old (so retired keys stop working). */
  maxAgeMs: number;
  onReloadFailed?: (error: unknown) => void;
  now?: () => number;
}

/**
 * auth-service's public keys, cached. Rotation needs no restart: a token signed with a new key has an
 * unknown `kid`, which triggers one reload (rate limited, so forged kids cannot hammer auth-service).
 */
export class JwksKeyStore {
  private keys: ReturnType<typeof createLocalJWKSet> | undefined;
  private loadedAt = Number.NEGATIVE_INFINITY;
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: JwksKeyStoreOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A jose key resolver for `jwtVerify`. */
  readonly getKey = async (header: JWSHeaderParameters, token: FlattenedJWSInput) => {
    const stale = this.now() - this.loadedAt >= this.options.maxAgeMs;
    if (!this.keys || (stale && this.mayReload())) {
      // Stale keys still verify while auth-service is unreachable; no keys at all cannot.
      await this.reload().catch((error) => {
        if (!this.keys) throw new KeysUnavailableError(error);
      });
    }
    const keys = this.keys!;
    try {
      return await keys(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || !this.mayReload()) throw error;
      await this.reload().catch(() => {});
      return this.keys!(header, token);
    }
  };

  private mayReload(): boolean {
    return this.now() - this.attemptedAt >= this.options.minReloadIntervalMs;
  }

  /** One load at a time; concurrent callers share it. Without any keys, a failed load is retried after a second. */
  private reload(): Promise<void> {
    const retryWithoutKeysMs = Math.min(1_000, this.options.minReloadIntervalMs);
    if (!this.loading && !this.keys && this.now() - this.attemptedAt < retryWithoutKeysMs) {
      return Promise.reject(new Error('the last attempt to load the keys failed moments ago'));
    }
    this.loading ??= (async () => {
      this.attemptedAt = this.now();
      try {
        const jwks = await this.options.load();
        if (!Array.isArray(jwks?.keys)) throw new Error('the JWKS has no "keys" array');
        this.keys = createLocalJWKSet(jwks);
        this.loadedAt = this.now();
      } catch (error) {
        this.options.onReloadFailed?.(error);
        throw error;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }
}
