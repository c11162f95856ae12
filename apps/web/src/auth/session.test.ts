import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, networkError } from '../api/api-error.ts';
import type { AuthApi, TokenPair } from './auth-api.ts';
import { createSession } from './session.ts';
import { memoryTokenStore, type StoredTokens, type TokenStore } from './token-store.ts';

// The browser session: the access token in storage (shared by tabs), the refresh token only in the
// server's HttpOnly cookie, so refresh() takes no argument and nothing here ever holds one.

function accessToken(n: number, email = 'buyer@example.test'): string {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${b64({ alg: 'ES256' })}.${b64({ sub: `user-${n}`, email, role: 'USER', exp: 9_999_999_999 })}.sig`;
}

const pair = (n: number, expiresIn = 1_800): TokenPair => ({
  accessToken: accessToken(n),
  tokenType: 'Bearer',
  expiresIn,
});

/** A server whose refresh answers are queued by the test; counts calls. */
function fakeApi() {
  let issued = 1;
  const state = {
    refreshCalls: 0,
    logoutCalls: 0,
    refreshAnswer: undefined as (() => Promise<TokenPair>) | undefined,
  };
  const api = {
    login: vi.fn(async () => pair(issued++)),
    refresh: vi.fn(async (): Promise<TokenPair> => {
      state.refreshCalls++;
      return state.refreshAnswer ? state.refreshAnswer() : pair(issued++);
    }),
    logout: vi.fn(async () => {
      state.logoutCalls++;
    }),
  } satisfies AuthApi;
  return Object.assign(state, api);
}

/** A store shared by "tabs" (sessions) in one test, like localStorage. */
function sharedStore(): TokenStore & { value: StoredTokens | null } {
  const store = memoryTokenStore();
  return {
    get value() {
      return store.read();
    },
    ...store,
  };
}

describe('session', () => {
  let clock = 1_000_000;
  const now = () => clock;
  beforeEach(() => {
    vi.useFakeTimers();
    clock = 1_000_000;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps only the access token and its timing, never a refresh token', async () => {
    const store = sharedStore();
    const session = createSession({ api: fakeApi(), store, now });
    const user = await session.login('buyer@example.test', 'Secret12!');
    expect(user).toEqual({ id: 'user-1', email: 'buyer@example.test', role: 'USER' });
    expect(Object.keys(store.value ?? {}).sort()).toEqual(['accessToken', 'expiresAt', 'refreshAt']);
    expect(JSON.stringify(store.value)).not.toMatch(/refresh[Tt]oken/);
  });

  it('refreshes with the cookie shortly before expiry, once for concurrent callers', async () => {
    const api = fakeApi();
    const session = createSession({ api, store: sharedStore(), now });
    await session.login('buyer@example.test', 'Secret12!');
    expect(await session.getAccessToken()).toBe(accessToken(1));
    expect(api.refreshCalls).toBe(0);

    clock += 1_800_000 - 30_000; // inside the last minute
    const tokens = await Promise.all([session.getAccessToken(), session.getAccessToken()]);
    expect(tokens).toEqual([accessToken(2), accessToken(2)]);
    expect(api.refreshCalls).toBe(1);
    expect(api.refresh).toHaveBeenCalledWith();
  });

  it('ends the session as expired when the server rejects the refresh cookie', async () => {
    const api = fakeApi();
    const session = createSession({ api, store: sharedStore(), now });
    await session.login('buyer@example.test', 'Secret12!');
    const expired = vi.fn();
    session.onExpired(expired);
    api.refreshAnswer = () => Promise.reject(new ApiError(401, { title: 'invalid refresh token' }));
    await expect(session.recoverFromUnauthorized(accessToken(1))).rejects.toThrow();
    expect(session.getSnapshot()).toEqual({ user: null, signOutReason: 'expired' });
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('keeps a still-valid token when a refresh fails for a transient reason', async () => {
    const api = fakeApi();
    const session = createSession({ api, store: sharedStore(), now });
    await session.login('buyer@example.test', 'Secret12!');
    clock += 1_800_000 - 30_000;
    api.refreshAnswer = () => Promise.reject(networkError(new TypeError('offline')));
    expect(await session.getAccessToken()).toBe(accessToken(1));
    expect(session.getSnapshot().user?.id).toBe('user-1');
  });

  it("uses another tab's fresh access token instead of refreshing again", async () => {
    const api = fakeApi();
    const store = sharedStore();
    const tabA = createSession({ api, store, now });
    await tabA.login('buyer@example.test', 'Secret12!');
    const tabB = createSession({ api, store, now });
    expect(tabB.getSnapshot().user?.id).toBe('user-1');

    clock += 1_800_000 - 30_000;
    expect(await tabA.getAccessToken()).toBe(accessToken(2));
    // Tab B was sent a 401 for its old token: the store already holds tab A's new one.
    expect(await tabB.recoverFromUnauthorized(accessToken(1))).toBe(accessToken(2));
    expect(api.refreshCalls).toBe(1);
  });

  it('drops a refresh answer that arrives after logout', async () => {
    const api = fakeApi();
    const store = sharedStore();
    const session = createSession({ api, store, now });
    await session.login('buyer@example.test', 'Secret12!');
    let answer!: (p: TokenPair) => void;
    api.refreshAnswer = () => new Promise<TokenPair>((resolve) => (answer = resolve));
    const refreshing = session.recoverFromUnauthorized(accessToken(1));
    await vi.waitFor(() => expect(api.refreshCalls).toBe(1));
    await session.logout();
    answer(pair(9));
    await expect(refreshing).rejects.toThrow(/session has ended/);
    expect(session.getSnapshot().user).toBeNull();
    expect(store.value).toBeNull();
    expect(api.logoutCalls).toBe(1);
  });

  it('refreshes by itself before the token expires', async () => {
    const api = fakeApi();
    const session = createSession({ api, store: sharedStore(), now });
    await session.login('buyer@example.test', 'Secret12!');
    clock += 1_800_000 - 60_000;
    await vi.advanceTimersByTimeAsync(1_800_000 - 60_000);
    expect(api.refreshCalls).toBe(1);
    expect(await session.getAccessToken()).toBe(accessToken(2));
  });
});
