import { describe, expect, it } from 'vitest';
import { isNewerSnapshot, mayUseTokens, placeCredential } from '../src/domain/account.ts';
import { backoffSeconds, chargeAttempt, NO_FAILURES, retryAfterSeconds } from '../src/domain/lockout.ts';
import { formatPasswordHash, needsRehash, parsePasswordHash } from '../src/domain/password-hash.ts';
import { judgeRefresh } from '../src/domain/refresh-token.ts';
import { currentKey, verifyingKeys } from '../src/domain/signing-keys.ts';

const at = (seconds: number) => new Date(Date.UTC(2030, 0, 1) + seconds * 1000);

describe('login throttling', () => {
  const policy = {
    maxFailures: 3,
    maxFailuresPerAddress: 10,
    baseDelaySeconds: 30,
    maxDelaySeconds: 300,
    failureResetSeconds: 3600,
  };

  it('blocks from the failure that reaches the limit, doubling the wait with each further one', () => {
    let state = NO_FAILURES;
    state = chargeAttempt(state, 3, policy, at(0));
    state = chargeAttempt(state, 3, policy, at(1));
    expect(retryAfterSeconds(state, at(1))).toBe(0);
    state = chargeAttempt(state, 3, policy, at(2));
    expect(retryAfterSeconds(state, at(2))).toBe(30);
    expect(retryAfterSeconds(state, at(31))).toBe(1);
    expect(retryAfterSeconds(state, at(32))).toBe(0);
    state = chargeAttempt(state, 3, policy, at(40));
    expect(retryAfterSeconds(state, at(40))).toBe(60);
    expect([5, 6, 7, 8, 50].map((n) => backoffSeconds(n, 3, policy))).toEqual([120, 240, 300, 300, 300]);
    expect(backoffSeconds(2, 3, policy)).toBe(0);
  });

  it('counts afresh after failureResetSeconds without a failure', () => {
    let state = NO_FAILURES;
    for (let i = 0; i < 5; i++) state = chargeAttempt(state, 3, policy, at(i));
    state = chargeAttempt(state, 3, policy, at(4 + 3601));
    expect(state).toEqual({ failures: 1, blockedUntil: null, lastFailureAt: at(3605) });
  });
});

describe('refresh token verdicts', () => {
  const live = { expiresAt: at(100), revokedAt: null, revokedReason: null };

  it('rotates a live token', () => {
    expect(judgeRefresh(live, at(0))).toEqual({ kind: 'rotate' });
  });

  it('treats a rotated token coming back as reuse', () => {
    expect(judgeRefresh({ ...live, revokedAt: at(1), revokedReason: 'rotated' }, at(2))).toEqual({
      kind: 'reuse',
    });
  });

  it('refuses tokens revoked for other reasons without escalating', () => {
    for (const reason of ['logout', 'reuse-detected', 'password-changed', 'account-disabled'] as const) {
      expect(judgeRefresh({ ...live, revokedAt: at(1), revokedReason: reason }, at(2))).toEqual({
        kind: 'revoked',
        reason,
      });
    }
  });

  it('refuses expired tokens', () => {
    expect(judgeRefresh(live, at(100))).toEqual({ kind: 'expired' });
  });
});

describe('accounts', () => {
  it('lets only ACTIVE accounts use tokens', () => {
    expect(mayUseTokens('ACTIVE')).toBe(true);
    expect(mayUseTokens('SUSPENDED')).toBe(false);
    expect(mayUseTokens('INACTIVE')).toBe(false);
  });

  it('applies only newer snapshots', () => {
    expect(isNewerSnapshot(2, 1)).toBe(true);
    expect(isNewerSnapshot(2, 2)).toBe(false);
    expect(isNewerSnapshot(1, 2)).toBe(false);
  });

  it('places credentials: create, retry, orphan replacement and conflicts', () => {
    const unconfirmed = (userId: string) => ({ userId, confirmed: false, hasPassword: true });
    const confirmed = (userId: string) => ({ userId, confirmed: true, hasPassword: true });
    expect(placeCredential('a', undefined, undefined)).toEqual({ kind: 'create' });
    expect(placeCredential('a', unconfirmed('a'), unconfirmed('a'))).toEqual({ kind: 'overwrite' });
    expect(placeCredential('b', undefined, unconfirmed('a'))).toEqual({
      kind: 'replace-orphan',
      orphanUserId: 'a',
    });
    expect(placeCredential('b', undefined, confirmed('a')).kind).toBe('conflict');
    expect(placeCredential('a', confirmed('a'), confirmed('a')).kind).toBe('conflict');
    // The user's event arrived before its credential: the credential may still be set.
    expect(placeCredential('a', { userId: 'a', confirmed: true, hasPassword: false }, undefined)).toEqual({
      kind: 'overwrite',
    });
  });
});

describe('password hash format', () => {
  const hash = { params: { logN: 15, r: 8, p: 1 }, salt: Buffer.alloc(16, 1), key: Buffer.alloc(32, 2) };

  it('round-trips with its parameters', () => {
    const stored = formatPasswordHash(hash);
    expect(stored).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(parsePasswordHash(stored)).toEqual(hash);
  });

  it('rejects malformed hashes and absurd parameters', () => {
    expect(parsePasswordHash('plain-text')).toBeUndefined();
    expect(
      parsePasswordHash(formatPasswordHash({ ...hash, params: { logN: 40, r: 8, p: 1 } })),
    ).toBeUndefined();
    expect(parsePasswordHash(formatPasswordHash({ ...hash, salt: Buffer.alloc(4) }))).toBeUndefined();
  });

  it('asks for a rehash when today’s parameters are stronger', () => {
    expect(needsRehash(hash, { logN: 15, r: 8, p: 1 })).toBe(false);
    expect(needsRehash(hash, { logN: 16, r: 8, p: 1 })).toBe(true);
    expect(needsRehash(hash, { logN: 15, r: 8, p: 2 })).toBe(true);
  });
});

describe('signing key lifecycle', () => {
  const keys = [
    { kid: 'k1', activatesAt: at(0) },
    { kid: 'k2', activatesAt: at(100) },
    { kid: 'k3', activatesAt: at(200) },
  ];

  it('signs with the most recently activated key', () => {
    expect(currentKey(keys, at(50))?.kid).toBe('k1');
    expect(currentKey(keys, at(150))?.kid).toBe('k2');
    expect(currentKey(keys, at(250))?.kid).toBe('k3');
  });

  it('publishes pending keys and superseded keys until their tokens have expired', () => {
    const kids = (now: Date) => verifyingKeys(keys, now, 30).map((k) => k.kid);
    expect(kids(at(50))).toEqual(['k1', 'k2', 'k3']);
    expect(kids(at(129))).toEqual(['k1', 'k2', 'k3']);
    expect(kids(at(130))).toEqual(['k2', 'k3']);
    expect(kids(at(230))).toEqual(['k3']);
  });
});
