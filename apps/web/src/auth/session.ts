import { ApiError, isApiError } from '../api/api-error.ts';
import { decodeAccessToken, type Role } from './access-token.ts';
import { type AuthApi, httpAuthApi, type TokenPair } from './auth-api.ts';
import { localStorageTokenStore, type StoredTokens, type TokenStore } from './token-store.ts';

export interface SessionUser {
  id: string;
  email: string;
  role: Role;
}

/** Why the user is signed out: they asked to (`logged-out`) or the server stopped honouring the session. */
export type SignOutReason = 'logged-out' | 'expired';

export interface SessionSnapshot {
  user: SessionUser | null;
  signOutReason: SignOutReason | null;
}

export interface Session {
  getSnapshot(): SessionSnapshot;
  subscribe(listener: () => void): () => void;
  /** Called once each time the session ends because a refresh was rejected. */
  onExpired(listener: () => void): () => void;
  login(email: string, password: string): Promise<SessionUser | null>;
  logout(): Promise<void>;
  /** A usable access token, refreshed first if it is about to expire; null when signed out. */
  getAccessToken(): Promise<string | null>;
  /** After the server rejected `rejectedToken` with 401: a fresh token to retry with, or null when signed out. */
  recoverFromUnauthorized(rejectedToken: string): Promise<string | null>;
}

export interface SessionOptions {
  api?: AuthApi;
  store?: TokenStore;
  now?: () => number;
}

/** Refresh this long before expiry, or a fifth of the lifetime for short-lived tokens. */
const MAX_REFRESH_LEAD_MS = 60_000;
/** After a refresh failed for a transient reason (network, 5xx), try again after this delay. */
const REFRESH_RETRY_MS = 15_000;
/** setTimeout overflows above 2^31-1 ms. */
const MAX_TIMER_MS = 2_147_483_647;
const REFRESH_LOCK_NAME = 'sagamart.session.refresh';

export function createSession(options: SessionOptions = {}): Session {
  const api = options.api ?? httpAuthApi;
  const store = options.store ?? localStorageTokenStore();
  const now = options.now ?? Date.now;

  let tokens = store.read();
  let snapshot = toSnapshot(tokens, null);
  let inflightRefresh: Promise<string> | null = null;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  const listeners = new Set<() => void>();
  const expiredListeners = new Set<() => void>();

  function update(next: StoredTokens | null, signOutReason: SignOutReason | null, persist = true): void {
    tokens = next;
    if (persist) store.write(next);
    snapshot = toSnapshot(next, signOutReason);
    scheduleProactiveRefresh();
    for (const listener of listeners) listener();
  }

  function endSession(reason: SignOutReason): void {
    update(null, reason);
    if (reason === 'expired') for (const listener of expiredListeners) listener();
  }

  function fromPair(pair: TokenPair): StoredTokens {
    const issuedAt = now();
    const lifetimeMs = Math.max(0, pair.expiresIn * 1000);
    const leadMs = Math.min(MAX_REFRESH_LEAD_MS, lifetimeMs / 5);
    return {
      accessToken: pair.accessToken,
      expiresAt: issuedAt + lifetimeMs,
      refreshAt: issuedAt + lifetimeMs - leadMs,
    };
  }

  function scheduleProactiveRefresh(delayMs?: number): void {
    clearTimeout(refreshTimer);
    refreshTimer = undefined;
    if (!tokens) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, delayMs ?? tokens.refreshAt - now()));
    refreshTimer = setTimeout(() => {
      // A rejected refresh has already ended the session; only transient failures are retried.
      refresh().catch(() => {
        if (tokens) scheduleProactiveRefresh(REFRESH_RETRY_MS);
      });
    }, delay);
  }

  /** Single flight: every caller during a refresh awaits the same promise. */
  function refresh(): Promise<string> {
    inflightRefresh ??= withCrossTabLock(rotateTokens).finally(() => {
      inflightRefresh = null;
    });
    return inflightRefresh;
  }

  async function rotateTokens(): Promise<string> {
    // Another tab may have refreshed while we waited for the lock (the cookie it got is the live one,
    // shared by every tab): its access token is good to use.
    const stored = store.read();
    if (stored && stored.accessToken !== tokens?.accessToken) {
      update(stored, null, false);
      if (now() < stored.refreshAt) return stored.accessToken;
    }
    if (!tokens) throw sessionEndedError();

    // Each session's access token identifies it here; the refresh token is the browser's cookie.
    const used = tokens.accessToken;
    let pair: TokenPair;
    try {
      pair = await api.refresh();
    } catch (error) {
      if (isRejection(error) && tokens?.accessToken === used) endSession('expired');
      throw error;
    }
    // The user logged out (or in as someone else) while the request was in flight: drop the result.
    if (tokens?.accessToken !== used) throw sessionEndedError();
    update(fromPair(pair), null);
    return pair.accessToken;
  }

  store.watch((next) => {
    if (next?.accessToken === tokens?.accessToken) return;
    update(next, next ? null : 'logged-out', false);
  });
  scheduleProactiveRefresh();

  return {
    getSnapshot: () => snapshot,

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    onExpired(listener) {
      expiredListeners.add(listener);
      return () => expiredListeners.delete(listener);
    },

    async login(email, password) {
      const pair = await api.login(email, password);
      update(fromPair(pair), null);
      return snapshot.user;
    },

    async logout() {
      const ending = tokens;
      // Sign out locally first so the UI reacts at once; revoking server-side is best effort.
      endSession('logged-out');
      if (ending) await api.logout().catch(() => {});
    },

    async getAccessToken() {
      if (!tokens) return null;
      if (now() < tokens.refreshAt) return tokens.accessToken;
      try {
        return await refresh();
      } catch (error) {
        // A transient refresh failure need not fail the call while the current token is still valid.
        if (tokens && now() < tokens.expiresAt) return tokens.accessToken;
        throw error;
      }
    },

    async recoverFromUnauthorized(rejectedToken) {
      if (!tokens) return null;
      // Someone else refreshed since this request was sent: just retry with the newer token.
      if (tokens.accessToken !== rejectedToken) return tokens.accessToken;
      return refresh();
    },
  };
}

/** The browser's session. */
export const session = createSession();

function toSnapshot(tokens: StoredTokens | null, signOutReason: SignOutReason | null): SessionSnapshot {
  const claims = tokens ? decodeAccessToken(tokens.accessToken) : null;
  const user = claims ? { id: claims.sub, email: claims.email, role: claims.role } : null;
  return { user, signOutReason: user ? null : signOutReason };
}

/** 4xx (other than timeouts and rate limits) means the refresh token is no good; anything else may pass. */
function isRejection(error: unknown): boolean {
  return isApiError(error) && error.status >= 400 && error.status < 500 && ![408, 429].includes(error.status);
}

function sessionEndedError(): ApiError {
  return new ApiError(401, { title: 'Your session has ended. Please log in again.' });
}

// Two tabs refreshing with the same (single-use) refresh cookie at once would sign each other out, so
// tabs take turns where the Web Locks API exists; each then re-reads storage before refreshing.
function withCrossTabLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks ? locks.request(REFRESH_LOCK_NAME, task) : task();
}
