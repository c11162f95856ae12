import type { SignOutReason } from './session.ts';

const AUTH_PAGES = ['/login', '/signup'];

/**
 * Only same-origin paths are followed after login, so `?returnTo=https://evil.example` or
 * `//evil.example` cannot turn the login page into an open redirect.
 */
export function safeReturnTo(raw: string | null | undefined, fallback = '/'): string {
  if (!raw?.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return fallback;
  if (AUTH_PAGES.some((page) => raw === page || raw.startsWith(`${page}?`))) return fallback;
  return raw;
}

/** The login page URL that brings the user back to `returnTo` afterwards. */
export function loginPath(returnTo?: string, reason?: SignOutReason | null): string {
  const params = new URLSearchParams();
  const target = safeReturnTo(returnTo, '');
  if (target && target !== '/') params.set('returnTo', target);
  if (reason === 'expired') params.set('reason', 'expired');
  const search = params.toString();
  return search ? `/login?${search}` : '/login';
}
