import { context, createContextKey } from '@opentelemetry/api';

export type Role = 'USER' | 'ADMIN';

/** The caller as the gateway verified it; services trust only these headers. */
export interface Identity {
  userId: string;
  email: string;
  role: Role;
}

export const IDENTITY_HEADERS = { userId: 'x-user-id', email: 'x-user-email', role: 'x-user-role' } as const;

const IDENTITY_KEY = createContextKey('sagamart.identity');

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

/** The identity of the request being served, carried in the async context for outgoing calls. */
export function currentIdentity(): Identity | undefined {
  return context.active().getValue(IDENTITY_KEY) as Identity | undefined;
}

export function withIdentity<T>(identity: Identity | undefined, fn: () => T): T {
  return identity ? context.with(context.active().setValue(IDENTITY_KEY, identity), fn) : fn();
}
