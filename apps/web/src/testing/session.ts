// Test-only: a shopper or agent signed in or out the way another tab does it (their tokens appear in
// or leave localStorage, and the app's session follows), so a page under test runs as that user.
import { act } from 'react';
import type { AccessTokenClaims } from '../auth/access-token.ts';
import { TOKEN_STORAGE_KEY } from '../auth/token-store.ts';

/** The shopper signInAsShopper signs in. */
export const SHOPPER = { sub: 'a1b2c3d4-0000-4000-8000-000000000001', email: 'jiwoo@example.com' } as const;
/** The 상담원 signInAsAgent signs in (a conversation's assigneeId when it is theirs). */
export const AGENT = { sub: 'e7d6c5b4-0000-4000-8000-000000000002', email: 'agent@example.com' } as const;
/** The admin signInAsAdmin signs in (an admin may read any customer's orders). */
export const ADMIN = { sub: 'e7d6c5b4-0000-4000-8000-000000000009', email: 'admin@sagamart.dev' } as const;

/** Signs the shopper in with an access token good for an hour. */
export function signInAsShopper(): Promise<void> {
  return signIn({ ...SHOPPER, role: 'USER' });
}

/** Signs the agent (role AGENT) in with an access token good for an hour. */
export function signInAsAgent(): Promise<void> {
  return signIn({ ...AGENT, role: 'AGENT' });
}

/** Signs the admin (role ADMIN) in with an access token good for an hour. */
export function signInAsAdmin(): Promise<void> {
  return signIn({ ...ADMIN, role: 'ADMIN' });
}

async function signIn(who: Omit<AccessTokenClaims, 'exp'>): Promise<void> {
  const claims: AccessTokenClaims = { ...who, exp: Math.floor(Date.now() / 1000) + 3600 };
  const payload = btoa(JSON.stringify(claims)).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '');
  const tokens = {
    accessToken: `e30.${payload}.signature`,
    expiresAt: Date.now() + 3_600_000,
    refreshAt: Date.now() + 3_000_000,
  };
  await act(async () => {
    window.dispatchEvent(
      new StorageEvent('storage', { key: TOKEN_STORAGE_KEY, newValue: JSON.stringify(tokens) }),
    );
  });
}

export async function signOut(): Promise<void> {
  await act(async () => {
    window.dispatchEvent(new StorageEvent('storage', { key: TOKEN_STORAGE_KEY, newValue: null }));
  });
}
