import { sendRequest } from '../api/http.ts';

/** What login and refresh return. `expiresIn` is the access token's lifetime in seconds. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export function isTokenPair(value: unknown): value is TokenPair {
  if (typeof value !== 'object' || value === null) return false;
  const pair = value as Record<string, unknown>;
  return (
    typeof pair.accessToken === 'string' &&
    typeof pair.refreshToken === 'string' &&
    typeof pair.expiresIn === 'number'
  );
}

export interface AuthApi {
  login(email: string, password: string): Promise<TokenPair>;
  /** Rotates the pair: the refresh token sent is dead afterwards. */
  refresh(refreshToken: string): Promise<TokenPair>;
  logout(refreshToken: string, accessToken: string): Promise<void>;
}

// A hung refresh would stall every API call queued behind it (and other tabs waiting for the lock).
const AUTH_TIMEOUT_MS = 10_000;

export const httpAuthApi: AuthApi = {
  login: (email, password) =>
    sendRequest<TokenPair>('/api/auth/login', {
      method: 'POST',
      body: { email, password },
      signal: AbortSignal.timeout(AUTH_TIMEOUT_MS),
    }),
  refresh: (refreshToken) =>
    sendRequest<TokenPair>('/api/auth/refresh', {
      method: 'POST',
      body: { refreshToken },
      signal: AbortSignal.timeout(AUTH_TIMEOUT_MS),
    }),
  logout: (refreshToken, accessToken) =>
    sendRequest<void>(
      '/api/auth/logout',
      { method: 'POST', body: { refreshToken }, signal: AbortSignal.timeout(AUTH_TIMEOUT_MS) },
      accessToken,
    ),
};
