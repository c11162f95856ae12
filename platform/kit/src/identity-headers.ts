/** The caller's identity as headers: pure, no I/O (safe for domain code). */
export type Role = 'USER' | 'ADMIN';

/** The caller as the gateway verified it; services trust only these headers. */
export interface Identity {
  userId: string;
  email: string;
  role: Role;
}

export const IDENTITY_HEADERS = { userId: 'x-user-id', email: 'x-user-email', role: 'x-user-role' } as const;

export function identityFromHeaders(
  headers: Record<string, string | string[] | undefined>,
): Identity | undefined {
  const userId = headers[IDENTITY_HEADERS.userId];
  const role = headers[IDENTITY_HEADERS.role];
  if (typeof userId !== 'string' || !userId || (role !== 'USER' && role !== 'ADMIN')) return undefined;
  const email = headers[IDENTITY_HEADERS.email];
  return { userId, email: typeof email === 'string' ? email : '', role };
}

export function identityHeaders(identity: Identity): Record<string, string> {
  return {
    [IDENTITY_HEADERS.userId]: identity.userId,
    [IDENTITY_HEADERS.email]: identity.email,
    [IDENTITY_HEADERS.role]: identity.role,
  };
}
