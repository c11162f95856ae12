import { randomUUID } from 'node:crypto';
import { type ConfigTree, mergeConfig, type Service, type ServiceOptions } from '@sagamart/kit';
import { asUser, type JsonClient, jsonClient, startTestService } from '@sagamart/testkit';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll } from 'vitest';
import authService from '../src/index.ts';

/** Cheap scrypt for tests (the production parameters are covered by the hasher test). */
export const fastHashing: ConfigTree = { auth: { password: { scrypt: { logN: 10, r: 8, p: 1 } } } };

export function mergeTrees(...trees: ConfigTree[]): ConfigTree {
  return trees.reduce<ConfigTree>((out, tree) => mergeConfig(out, tree), {});
}

export async function startAuth(config: ConfigTree = {}, options: Omit<ServiceOptions, 'config'> = {}) {
  return startTestService(authService, { ...options, config: mergeTrees(fastHashing, config) });
}

/**
 * One auth-service for a describe block, started before its tests and stopped after them. It calls
 * like `client` (inside tests only, as the service starts in `beforeAll`); `service` is the service.
 */
export function useAuthService(config: ConfigTree = {}) {
  let service: Service<unknown> | undefined;
  let api: JsonClient | undefined;
  beforeAll(async () => {
    service = await startAuth(config);
    api = jsonClient(service);
  });
  afterAll(async () => {
    await service?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('auth-service runs only inside the tests of its suite');
    return value;
  };
  const suite: JsonClient & { readonly service: Service<unknown> } = {
    get service() {
      return started(service);
    },
    get: (path, headers) => started(api).get(path, headers),
    post: (path, body, headers) => started(api).post(path, body, headers),
    put: (path, body, headers) => started(api).put(path, body, headers),
    patch: (path, body, headers) => started(api).patch(path, body, headers),
    delete: (path, headers) => started(api).delete(path, headers),
  };
  return suite;
}

export const PASSWORD = 'Secret12!';

/** Creates a credential the way user-service does at signup, and returns the user id. */
export async function createCredential(auth: JsonClient, email: string, extra: Record<string, unknown> = {}) {
  const userId = randomUUID();
  const res = await auth.put(`/internal/credentials/${userId}`, {
    email,
    password: PASSWORD,
    role: 'USER',
    status: 'ACTIVE',
    ...extra,
  });
  if (res.status !== 204) throw new Error(`credential: ${res.status} ${JSON.stringify(res.body)}`);
  return userId;
}

/** Test response bodies are read loosely; each assertion states the shape it expects. */
// biome-ignore lint/suspicious/noExplicitAny: asserted field by field in the tests
export type Json = any;

export { asUser, jsonClient as client } from '@sagamart/testkit';

export const asAdmin = () => asUser(randomUUID(), 'ADMIN');

export function claimsOf(token: string) {
  return { header: decodeProtectedHeader(token), claims: decodeJwt(token) as Record<string, unknown> };
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

/** A user-service snapshot as `user.updated` carries it. */
export function snapshot(
  userId: string,
  email: string,
  version: number,
  overrides: Record<string, unknown> = {},
) {
  return {
    userId,
    version,
    email,
    name: 'Test User',
    phone: null,
    role: 'USER',
    status: 'ACTIVE',
    grade: 'NORMAL',
    changes: ['status'],
    updatedAt: new Date().toISOString(),
    ...overrides,
  };
}
