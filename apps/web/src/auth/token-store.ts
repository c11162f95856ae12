/** localStorage key of the signed-in session; other tabs watch it to stay in sync. */
export const TOKEN_STORAGE_KEY = 'sagamart.session';

export interface StoredTokens {
  accessToken: string;
  refreshToken: string;
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
        return parseTokens(localStorage.getItem(key));
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
      typeof value.refreshToken === 'string' &&
      typeof value.expiresAt === 'number' &&
      typeof value.refreshAt === 'number'
    ) {
      return value as StoredTokens;
    }
  } catch {
    // fall through: corrupt entries count as signed out
  }
  return null;
}
