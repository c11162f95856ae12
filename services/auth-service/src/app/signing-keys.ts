import type { JWK } from 'jose';
import { currentKey } from '../domain/signing-keys.ts';
import type { KeyStore } from '../infra/key-store.ts';
import type { AuthSettings } from './settings.ts';

export interface KeyView {
  kid: string;
  createdAt: string;
  activatesAt: string;
  supersededAt: string | null;
  current: boolean;
  /** In the JWKS: its tokens may still be valid, or it is about to sign. */
  published: boolean;
}

/** JWKS publication and rotation without downtime. */
export class SigningKeys {
  private readonly now: () => Date;

  constructor(
    private readonly store: KeyStore,
    private readonly settings: () => AuthSettings,
    now?: () => Date,
  ) {
    this.now = now ?? (() => new Date());
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    const keys = await this.store.verifying(this.now(), this.settings().keyRetentionSeconds);
    return { keys: keys.map((k) => k.publicJwk) };
  }

  /** A new key, signing after the configured activation delay; old keys stay published until their tokens expire. */
  async rotate(): Promise<KeyView> {
    const now = this.now();
    const added = await this.store.add(
      new Date(now.getTime() + this.settings().activationDelaySeconds * 1000),
    );
    return (await this.list()).find((k) => k.kid === added.kid)!;
  }

  async list(): Promise<KeyView[]> {
    const now = this.now();
    const retention = this.settings().keyRetentionSeconds;
    const all = await this.store.withSupersession(now);
    const published = new Set((await this.store.verifying(now, retention)).map((k) => k.kid));
    const current = currentKey(all, now)?.kid;
    return all
      .map((k) => ({
        kid: k.kid,
        createdAt: k.createdAt.toISOString(),
        activatesAt: k.activatesAt.toISOString(),
        supersededAt: k.supersededAt?.toISOString() ?? null,
        current: k.kid === current,
        published: published.has(k.kid),
      }))
      .reverse();
  }
}
