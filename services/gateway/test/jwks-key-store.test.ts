import { errors, exportJWK, generateKeyPair, type JSONWebKeySet, type JWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { JwksKeyStore, KeysUnavailableError } from '../src/infra/jwks-key-store.ts';

async function signingKey(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const sign = () =>
    new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid }).setExpirationTime('1m').sign(privateKey);
  return { jwk, sign };
}

const header = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
const input = (token: string) => {
  const [protectedHeader, payload, signature] = token.split('.');
  return { protected: protectedHeader!, payload: payload!, signature: signature! };
};

/** A key store over a JWKS the test controls, counting loads, on a clock the test moves. */
function fixture(options: { minReloadIntervalMs?: number; maxAgeMs?: number } = {}) {
  const state = { jwks: { keys: [] } as JSONWebKeySet, loads: 0, now: 0, failing: false };
  const store = new JwksKeyStore({
    load: async () => {
      state.loads++;
      if (state.failing) throw new Error('auth-service is down');
      return structuredClone(state.jwks);
    },
    minReloadIntervalMs: options.minReloadIntervalMs ?? 10_000,
    maxAgeMs: options.maxAgeMs ?? 300_000,
    now: () => state.now,
  });
  const resolve = (token: string) => store.getKey(header(token), input(token));
  return { state, store, resolve };
}

describe('JWKS key store', () => {
  it('loads once and serves known keys from the cache', async () => {
    const one = await signingKey('k1');
    const { state, resolve } = fixture();
    state.jwks = { keys: [one.jwk] };
    const token = await one.sign();
    await resolve(token);
    await resolve(token);
    expect(state.loads).toBe(1);
  });

  it('picks up a rotated-in key on its first unknown kid', async () => {
    const [one, two] = [await signingKey('k1'), await signingKey('k2')];
    const { state, resolve } = fixture();
    state.jwks = { keys: [one.jwk] };
    await resolve(await one.sign());
    state.jwks = { keys: [one.jwk, two.jwk] };
    state.now = 10_000;
    await expect(resolve(await two.sign())).resolves.toBeDefined();
    expect(state.loads).toBe(2);
  });

  it('reloads for unknown kids at most once per interval', async () => {
    const [one, stranger] = [await signingKey('k1'), await signingKey('forged')];
    const { state, resolve } = fixture({ minReloadIntervalMs: 10_000 });
    state.jwks = { keys: [one.jwk] };
    await resolve(await one.sign());
    state.now = 10_000;
    const forged = await stranger.sign();
    await expect(resolve(forged)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    state.now = 15_000;
    await expect(resolve(forged)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    expect(state.loads).toBe(2);
    state.now = 20_000;
    await expect(resolve(forged)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    expect(state.loads).toBe(3);
  });

  it('keeps verifying with stale keys while auth-service is down, and reports having none at all', async () => {
    const one = await signingKey('k1');
    const cold = fixture();
    cold.state.failing = true;
    await expect(cold.resolve(await one.sign())).rejects.toBeInstanceOf(KeysUnavailableError);

    const warm = fixture({ maxAgeMs: 1_000 });
    warm.state.jwks = { keys: [one.jwk] };
    await warm.resolve(await one.sign());
    warm.state.failing = true;
    warm.state.now = 60_000;
    await expect(warm.resolve(await one.sign())).resolves.toBeDefined();
    expect(warm.state.loads).toBe(2);
  });

  it('drops a retired key once the cached set is too old', async () => {
    const [one, two] = [await signingKey('k1'), await signingKey('k2')];
    const { state, resolve } = fixture({ maxAgeMs: 60_000 });
    state.jwks = { keys: [one.jwk, two.jwk] };
    const old = await one.sign();
    await resolve(old);
    state.jwks = { keys: [two.jwk] };
    state.now = 61_000;
    await expect(resolve(old)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
  });
});
