export type Role = 'USER' | 'AGENT' | 'ADMIN';

/** Claims the identity service puts in access tokens. */
export interface AccessTokenClaims {
  sub: string;
  email: string;
  role: Role;
  exp: number;
  token_type?: string;
}

/**
 * Reads an access token's payload WITHOUT verifying it: only for showing who is signed in and for
 * picking which screens to offer. Every authorisation decision is the server's.
 */
export function decodeAccessToken(token: string): AccessTokenClaims | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(decodeBase64Url(payload));
    return isClaims(claims) ? claims : null;
  } catch {
    return null;
  }
}

function decodeBase64Url(segment: string): string {
  const base64 = segment.replaceAll('-', '+').replaceAll('_', '/');
  const padded = base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '=');
  const bytes = Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
  // Names and e-mails may be non-ASCII (Hangul), so decode the bytes as UTF-8, not Latin-1.
  return new TextDecoder().decode(bytes);
}

function isClaims(value: unknown): value is AccessTokenClaims {
  if (typeof value !== 'object' || value === null) return false;
  const claims = value as Record<string, unknown>;
  return (
    typeof claims.sub === 'string' &&
    typeof claims.email === 'string' &&
    (claims.role === 'USER' || claims.role === 'AGENT' || claims.role === 'ADMIN') &&
    typeof claims.exp === 'number'
  );
}
