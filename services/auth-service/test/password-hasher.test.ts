import { describe, expect, it } from 'vitest';
import { authDefaults } from '../src/app/settings.ts';
import { parsePasswordHash } from '../src/domain/password-hash.ts';
import { PasswordHasher } from '../src/infra/password-hasher.ts';

describe('scrypt password hasher', () => {
  const fast = new PasswordHasher({ logN: 10, r: 8, p: 1 });

  it('hashes with the default parameters, carrying them in the stored string', async () => {
    const hasher = new PasswordHasher(authDefaults.auth.password.scrypt);
    const stored = await hasher.hash('Secret12!');
    expect(stored.startsWith('$scrypt$ln=15,r=8,p=1$')).toBe(true);
    expect(stored).not.toContain('Secret12!');
    expect(await hasher.verify('Secret12!', stored)).toEqual({ ok: true, rehash: false });
  });

  it('salts every hash', async () => {
    const a = await fast.hash('Secret12!');
    const b = await fast.hash('Secret12!');
    expect(a).not.toBe(b);
    expect(parsePasswordHash(a)!.salt.equals(parsePasswordHash(b)!.salt)).toBe(false);
  });

  it('rejects a wrong password, a tampered hash and a missing hash', async () => {
    const stored = await fast.hash('Secret12!');
    expect((await fast.verify('Secret12?', stored)).ok).toBe(false);
    const tampered = `${stored.slice(0, -4)}AAAA`;
    expect((await fast.verify('Secret12!', tampered)).ok).toBe(false);
    expect((await fast.verify('Secret12!', null)).ok).toBe(false);
    expect((await fast.verify('Secret12!', 'not-a-hash')).ok).toBe(false);
  });

  it('verifies hashes made with older parameters and asks to rehash them', async () => {
    const old = await fast.hash('Secret12!');
    const stronger = new PasswordHasher({ logN: 11, r: 8, p: 1 });
    expect(await stronger.verify('Secret12!', old)).toEqual({ ok: true, rehash: true });
    expect(await stronger.verify('wrong', old)).toEqual({ ok: false, rehash: false });
  });

  it('treats canonically equivalent Unicode passwords as the same', async () => {
    const composed = 'Caf\u00e9-pass1';
    const decomposed = 'Cafe\u0301-pass1';
    expect((await fast.verify(decomposed, await fast.hash(composed))).ok).toBe(true);
  });

  it('refuses out-of-bounds parameters', () => {
    expect(() => new PasswordHasher({ logN: 30, r: 8, p: 1 })).toThrow(/out of bounds/);
  });
});
