import { session as browserSession, type Session } from '../auth/session.ts';
import { isApiError } from './api-error.ts';
import { type RequestOptions, sendRequest } from './http.ts';

export interface ApiClient {
  request<T>(path: string, options?: RequestOptions): Promise<T>;
  get<T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>;
  post<T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>;
  put<T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>;
  patch<T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>;
  delete<T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>;
}

/**
 * Calls the platform as the signed-in user. A 401 gets exactly one refresh-and-retry: the server
 * rejects unauthorised requests before acting on them, so resending even a POST is safe.
 */
export function createApiClient(session: Session): ApiClient {
  async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const token = await session.getAccessToken();
    try {
      return await sendRequest<T>(path, options, token);
    } catch (error) {
      if (!token || !isApiError(error) || error.status !== 401) throw error;
      const retryToken = await session.recoverFromUnauthorized(token).catch(() => null);
      if (!retryToken) throw error;
      return sendRequest<T>(path, options, retryToken);
    }
  }

  return {
    request,
    get: (path, options) => request(path, { ...options, method: 'GET' }),
    post: (path, body, options) => request(path, { ...options, method: 'POST', body }),
    put: (path, body, options) => request(path, { ...options, method: 'PUT', body }),
    patch: (path, body, options) => request(path, { ...options, method: 'PATCH', body }),
    delete: (path, options) => request(path, { ...options, method: 'DELETE' }),
  };
}

export const api = createApiClient(browserSession);
