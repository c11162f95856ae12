import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import {
  formatPasswordHash,
  KEY_BYTES,
  needsRehash,
  type PasswordHash,
  parsePasswordHash,
  SALT_BYTES,
  type ScryptParams,
  scryptMemoryBytes,
  withinLimits,
} from '../domain/password-hash.ts';

export interface VerifyResult {
  ok: boolean;
  /** The hash was made with weaker parameters than today's: store a fresh one. */
  rehash: boolean;
}

/**
 * scrypt (Node's built-in, no dependency) with a random salt per password. Verification compares in
 * constant time, and a missing or unreadable hash is still checked against a dummy hash so unknown
 * accounts take as long as wrong passwords.
 */
export class PasswordHasher {
  /**
   * What an unknown account's password is checked against: today's parameters and a random salt, so
   * the check costs what a real one does. Its key is random too, not derived: nothing is compared
   * with it (the answer is always no), so deriving it would only cost a 32 MB scrypt at every start.
   */
  private readonly dummy: PasswordHash;

  constructor(private readonly params: ScryptParams) {
    if (!withinLimits(params)) throw new Error(`scrypt parameters out of bounds: ${JSON.stringify(params)}`);
    this.dummy = { params, salt: randomBytes(SALT_BYTES), key: randomBytes(KEY_BYTES) };
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await derive(password, salt, this.params, KEY_BYTES);
    return formatPasswordHash({ params: this.params, salt, key });
  }

  async verify(password: string, stored: string | null | undefined): Promise<VerifyResult> {
    const parsed = stored ? parsePasswordHash(stored) : undefined;
    if (!parsed) {
      await derive(password, this.dummy.salt, this.dummy.params, this.dummy.key.length);
      return { ok: false, rehash: false };
    }
    const key = await derive(password, parsed.salt, parsed.params, parsed.key.length);
    const ok = timingSafeEqual(key, parsed.key);
    return { ok, rehash: ok && needsRehash(parsed, this.params) };
  }
}

function derive(password: string, salt: Buffer, params: ScryptParams, length: number): Promise<Buffer> {
  const options: ScryptOptions = {
    N: 2 ** params.logN,
    r: params.r,
    p: params.p,
    maxmem: scryptMemoryBytes(params) * 2,
  };
  // NFC: the same password typed on different systems yields the same bytes.
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}
