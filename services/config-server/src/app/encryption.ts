import { badRequest, Problem } from '@sagamart/kit';
import { TextEncryptor } from '../infra/text-encryptor.ts';

/** The encryptor for the configured secret (`encrypt.key`, env ENCRYPT_KEY), if one is set. */
export async function encryptorFor(secret: string | undefined): Promise<TextEncryptor | undefined> {
  return secret ? TextEncryptor.fromSecret(secret) : undefined;
}

const noKey = () => new Problem(503, 'No encryption key configured', { code: 'no-encryption-key' });

export function encryptText(encryptor: TextEncryptor | undefined, plain: string): string {
  if (!encryptor) throw noKey();
  return encryptor.encrypt(plain);
}

export function decryptText(encryptor: TextEncryptor | undefined, ciphertext: string): string {
  if (!encryptor) throw noKey();
  const plain = encryptor.decrypt(ciphertext.replace(/^\{cipher\}/, ''));
  if (plain === undefined) throw badRequest('Cannot decrypt: the text was not encrypted with this key');
  return plain;
}
