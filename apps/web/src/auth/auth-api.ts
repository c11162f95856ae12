import type * as auth from '@sagamart/contracts/http/auth';
import type { Static } from 'typebox';
import { sendRequest } from '../api/http.ts';

/**
 * What the browser reads of login and refresh answers. `expiresIn` is the access token's lifetime in
 * seconds. The refresh token is not read: the server sets it as an HttpOnly cookie on /api/auth,
 * which the browser sends with refresh and logout by itself.
 */
export type TokenPair = Pick<Static<typeof auth.TokenPairSchema>, 'accessToken' | 'tokenType' | 'expiresIn'>;

export interface AuthApi {
  login(email: string, password: string): Promise<TokenPair>;
  /** Rotates the pair with the refresh cookie: the cookie sent is dead afterwards. */
  refresh(): Promise<TokenPair>;
  /**
   * Ends the cookie's session and clears the cookie. It sends no access token: by then it may have
   * expired or been revoked, and the gateway refuses a bad bearer even on a public route, which
   * would leave the session alive.
   */
  logout(): Promise<void>;
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
  // An empty JSON body: the token is the cookie, and JSON (not a form) is what keeps other sites out.
  refresh: () =>
    sendRequest<TokenPair>('/api/auth/refresh', {
      method: 'POST',
      body: {},
      signal: AbortSignal.timeout(AUTH_TIMEOUT_MS),
    }),
  logout: () =>
    sendRequest<void>('/api/auth/logout', {
      method: 'POST',
      body: {},
      signal: AbortSignal.timeout(AUTH_TIMEOUT_MS),
    }),
};
