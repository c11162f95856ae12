// Test-only: a shopper signed in or out the way another tab does it (their tokens appear in or leave
// localStorage, and the app's session follows), so a page under test runs as that shopper.
import { act } from 'react';
import { TOKEN_STORAGE_KEY } from '../auth/token-store.ts';

/** Signs the shopper in with an access token good for an hour. */
export async function signInAsShopper(): Promise<void> {
  const claims = {
    sub: 'a1b2c3d4-0000-4000-8000-000000000001',
    email: 'jiwoo@example.com',
    role: 'USER',
    exp: Math.floor(Date.now() / 1000) + 3600,
  };
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
