/** localStorage key of the signed-in session; other tabs watch it to stay in sync. */
export const TOKEN_STORAGE_KEY = 'sagamart.session';

/**
 * The short-lived access token and when to renew it. The refresh token is never here: the server
 * keeps it in an HttpOnly cookie that no script (ours or an injected one) can read.
 */
export interface StoredTokens {
  accessToken: string;
  /** When the access token expires, epoch ms on this device's clock. */
  expiresAt: number;
  /** When to refresh proactively (a little before `expiresAt`), epoch ms on this device's clock. */
  refreshAt: number;
}

export interface TokenStore {
  read(): StoredTokens | null;
  write(tokens: StoredTokens | null): void;
  /** Calls back when ANOTHER tab changes the stored tokens. Returns an unsubscribe function. */
  watch(listener: (tokens: StoredTokens | null) => void): () => void;
}

export function localStorageTokenStore(key = TOKEN_STORAGE_KEY): TokenStore {
  return {
    read() {
      try {
        const raw = localStorage.getItem(key);
        // A session stored before refresh tokens moved to a cookie: drop its refresh token.
        if (raw?.includes('"refreshToken"')) {
          localStorage.removeItem(key);
          return null;
        }
        return parseTokens(raw);
      } catch {
        return null; // storage disabled (privacy mode): behave as signed out
      }
    },
    write(tokens) {
      try {
        if (tokens) localStorage.setItem(key, JSON.stringify(tokens));
        else localStorage.removeItem(key);
      } catch {
        // Storage full or disabled: the session still works in this tab, it just won't survive a reload.
      }
    },
    watch(listener) {
      if (typeof window === 'undefined') return () => {};
      const onStorage = (event: StorageEvent) => {
        if (event.key === key || event.key === null) listener(parseTokens(event.newValue));
      };
      window.addEventListener('storage', onStorage);
      return () => window.removeEventListener('storage', onStorage);
    },
  };
}

export function memoryTokenStore(initial: StoredTokens | null = null): TokenStore {
  let tokens = initial;
  return {
    read: () => tokens,
    write: (next) => {
      tokens = next;
    },
    watch: () => () => {},
  };
}

function parseTokens(raw: string | null): StoredTokens | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<StoredTokens>;
    if (
      typeof value.accessToken === 'string' &&
      typeof value.expiresAt === 'number' &&
      typeof value.refreshAt === 'number'
    ) {
      return { accessToken: value.accessToken, expiresAt: value.expiresAt, refreshAt: value.refreshAt };
    }
  } catch {
    // fall through: corrupt entries count as signed out
  }
  return null;
}
