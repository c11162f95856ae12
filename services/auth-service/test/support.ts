import { randomUUID } from 'node:crypto';
import { type ConfigTree, mergeConfig, type ServiceOptions } from '@sagamart/kit';
import { asUser, startTestService } from '@sagamart/testkit';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import authService from '../src/index.ts';

/** Cheap scrypt for tests (the production parameters are covered by the hasher test). */
export const fastHashing: ConfigTree = { auth: { password: { scrypt: { logN: 10, r: 8, p: 1 } } } };

export function mergeTrees(...trees: ConfigTree[]): ConfigTree {
  return trees.reduce<ConfigTree>((out, tree) => mergeConfig(out, tree), {});
}

export async function startAuth(config: ConfigTree = {}, options: Omit<ServiceOptions, 'config'> = {}) {
  return startTestService(authService, { ...options, config: mergeTrees(fastHashing, config) });
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
