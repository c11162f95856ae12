import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;
// A fixed salt: every config server instance must derive the same key from the same secret.
const KEY_SALT = 'sagamart-config-server/aes-256-gcm/v1';

/**
 * AES-256-GCM with a key derived from the secret by scrypt. Each value gets a random IV;
 * the ciphertext is base64url(iv ‖ tag ‖ encrypted bytes), so it fits in YAML unquoted.
 */
export class TextEncryptor {
  private constructor(private readonly key: Buffer) {}

  static async fromSecret(secret: string): Promise<TextEncryptor> {
    return new TextEncryptor(await deriveKey(secret));
  }

  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The plaintext, or undefined when the text was not encrypted with this key (or was altered). */
  decrypt(ciphertext: string): string | undefined {
    const raw = Buffer.from(ciphertext.trim(), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      return undefined;
    }
  }
}

// scrypt is slow on purpose; derive once per secret.
const derived = new Map<string, Promise<Buffer>>();

function deriveKey(secret: string): Promise<Buffer> {
  let key = derived.get(secret);
  if (!key) {
    key = new Promise<Buffer>((resolve, reject) =>
      scrypt(secret, KEY_SALT, 32, (error, buffer) => (error ? reject(error) : resolve(buffer))),
    );
    derived.set(secret, key);
  }
  return key;
}
