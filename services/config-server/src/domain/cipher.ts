import { type ConfigValue, UNDECRYPTABLE_KEY_PREFIX } from '@sagamart/kit/pure';

/** Values written as `'{cipher}<ciphertext>'` are decrypted by the server before serving. */
export const CIPHER_PREFIX = '{cipher}';
/** What Spring serves in place of a value it cannot decrypt. */
export const UNDECRYPTABLE_VALUE = '<n/a>';
/** Spring renames the key of a value it cannot decrypt, so clients do not mistake it for the real one. */
export const INVALID_KEY_PREFIX = UNDECRYPTABLE_KEY_PREFIX;

export function isCipherValue(value: ConfigValue): value is string {
  return typeof value === 'string' && value.startsWith(CIPHER_PREFIX);
}

/** Decrypts every `{cipher}` value; `decrypt` returns undefined when it cannot (wrong key, no key, tampered). */
export function decryptSource(
  source: Record<string, ConfigValue>,
  decrypt: (ciphertext: string) => string | undefined,
): Record<string, ConfigValue> {
  const out: Record<string, ConfigValue> = {};
  for (const [key, value] of Object.entries(source)) {
    if (!isCipherValue(value)) {
      out[key] = value;
      continue;
    }
    const plain = decrypt(value.slice(CIPHER_PREFIX.length));
    if (plain === undefined) out[`${INVALID_KEY_PREFIX}${key}`] = UNDECRYPTABLE_VALUE;
    else out[key] = plain;
  }
  return out;
}

export function hasCipherValues(source: Record<string, ConfigValue>): boolean {
  return Object.values(source).some(isCipherValue);
}
