import { sendRequest } from '../api/http.ts';

/** What login and refresh return. `expiresIn` is the access token's lifetime in seconds. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface AuthApi {
  login(email: string, password: string): Promise<TokenPair>;
  /** Rotates the pair: the refresh token sent is dead afterwards. */
  refresh(refreshToken: string): Promise<TokenPair>;
  logout(refreshToken: string, accessToken: string): Promise<void>;
}

export const httpAuthApi: AuthApi = {
  login: (email, password) =>
    sendRequest<TokenPair>('/api/auth/login', { method: 'POST', body: { email, password } }),
  refresh: (refreshToken) =>
    sendRequest<TokenPair>('/api/auth/refresh', { method: 'POST', body: { refreshToken } }),
  logout: (refreshToken, accessToken) =>
    sendRequest<void>('/api/auth/logout', { method: 'POST', body: { refreshToken } }, accessToken),
};
