import { createCipheriv, createDecipheriv, randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { TOKEN_ALGORITHM } from '@sagamart/contracts';
import { type Kysely, lockForTransaction } from '@sagamart/kit';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { currentKey, type KeyTimes, verifyingKeys, withSupersession } from '../domain/signing-keys.ts';
import type { AuthDb } from './schema.ts';

export interface StoredKey extends KeyTimes {
  createdAt: Date;
  publicJwk: JWK;
}

type SigningKey = { kid: string; key: CryptoKey };

/**
 * ES256 signing keys in auth's database. Private keys are stored as JWKs encrypted with
 * AES-256-GCM under a key derived from `auth.keys.encryptionSecret`; the kid is bound in as
 * associated data so a ciphertext cannot be moved to another key's row.
 */
export class KeyStore {
  private readonly wrappingKey: Buffer;
  private readonly privateKeys = new Map<string, Promise<CryptoKey>>();
  private readonly publicKeys = new Map<string, Promise<CryptoKey>>();

  constructor(
    private readonly db: Kysely<AuthDb>,
    encryptionSecret: string,
  ) {
    this.wrappingKey = scryptSync(encryptionSecret, 'sagamart-auth/signing-keys', 32);
  }

  async all(): Promise<StoredKey[]> {
    const rows = await this.db
      .selectFrom('signing_keys')
      .select(['kid', 'public_jwk', 'created_at', 'activates_at'])
      .execute();
    return rows.map((r) => ({
      kid: r.kid,
      activatesAt: r.activates_at,
      createdAt: r.created_at,
      publicJwk: r.public_jwk as JWK,
    }));
  }

  /** First start: creates an active key when there is none (safe when instances start together). */
  async ensureKey(now: Date): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await lockForTransaction(trx, 'auth-service.signing-keys');
      const existing = await trx.selectFrom('signing_keys').select('kid').limit(1).executeTakeFirst();
      if (!existing) await this.insertKey(trx, now);
    });
    // Fails loudly at start when the encryption secret does not match the stored keys.
    await this.signingKey(now);
  }

  /** Adds a key that starts signing at `activatesAt`; its public half is published at once. */
  async add(activatesAt: Date): Promise<StoredKey> {
    return this.db.transaction().execute((trx) => this.insertKey(trx, activatesAt));
  }

  async signingKey(now: Date): Promise<SigningKey> {
    const current = currentKey(await this.all(), now);
    if (!current) throw new Error('No active signing key');
    let key = this.privateKeys.get(current.kid);
    if (!key) {
      key = this.loadPrivateKey(current.kid);
      this.privateKeys.set(current.kid, key);
      key.catch(() => this.privateKeys.delete(current.kid));
    }
    return { kid: current.kid, key: await key };
  }

  /** Public keys that may still verify tokens (current, pending, and superseded within retention). */
  async verifying(
    now: Date,
    retentionSeconds: number,
  ): Promise<Array<StoredKey & { supersededAt: Date | null }>> {
    return verifyingKeys(await this.all(), now, retentionSeconds);
  }

  async withSupersession(now: Date) {
    return withSupersession(await this.all(), now);
  }

  async publicKey(kid: string, now: Date, retentionSeconds: number): Promise<CryptoKey | undefined> {
    const found = (await this.verifying(now, retentionSeconds)).find((k) => k.kid === kid);
    if (!found) return undefined;
    let key = this.publicKeys.get(kid);
    if (!key) {
      key = importJWK(found.publicJwk, TOKEN_ALGORITHM) as Promise<CryptoKey>;
      this.publicKeys.set(kid, key);
    }
    return key;
  }

  private async insertKey(trx: Kysely<AuthDb>, activatesAt: Date): Promise<StoredKey> {
    const kid = randomUUID();
    const { publicKey, privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
    const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: TOKEN_ALGORITHM, use: 'sig' };
    const privateJwk = await exportJWK(privateKey);
    const row = await trx
      .insertInto('signing_keys')
      .values({
        kid,
        alg: TOKEN_ALGORITHM,
        public_jwk: JSON.stringify(publicJwk) as never,
        private_jwk_encrypted: this.encrypt(kid, JSON.stringify(privateJwk)),
        activates_at: activatesAt,
      })
      .returning(['created_at'])
      .executeTakeFirstOrThrow();
    return { kid, activatesAt, createdAt: row.created_at, publicJwk };
  }

  private async loadPrivateKey(kid: string): Promise<CryptoKey> {
    const row = await this.db
      .selectFrom('signing_keys')
      .select('private_jwk_encrypted')
      .where('kid', '=', kid)
      .executeTakeFirstOrThrow();
    let jwk: JWK;
    try {
      jwk = JSON.parse(this.decrypt(kid, row.private_jwk_encrypted)) as JWK;
    } catch {
      throw new Error(
        `Cannot decrypt signing key ${kid}: is auth.keys.encryptionSecret the one it was created with?`,
      );
    }
    return importJWK(jwk, TOKEN_ALGORITHM) as Promise<CryptoKey>;
  }

  private encrypt(kid: string, plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.wrappingKey, iv);
    cipher.setAAD(Buffer.from(kid));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), ciphertext]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  private decrypt(kid: string, stored: string): string {
    const [version, iv, tag, ciphertext] = stored.split('.');
    if (version !== 'v1' || !iv || !tag || !ciphertext) throw new Error('unknown key envelope');
    const decipher = createDecipheriv('aes-256-gcm', this.wrappingKey, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(kid));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}
