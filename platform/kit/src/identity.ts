import { context, createContextKey } from '@opentelemetry/api';

export type Role = 'USER' | 'ADMIN';

/** The signed-in user a request is made for, as the gateway verified it (carried in a service token). */
export interface Identity {
  userId: string;
  email: string;
  role: Role;
}

const IDENTITY_KEY = createContextKey('sagamart.identity');

/** The identity of the request being served, carried in the async context for outgoing calls. */
export function currentIdentity(): Identity | undefined {
  return context.active().getValue(IDENTITY_KEY) as Identity | undefined;
}

export function withIdentity<T>(identity: Identity | undefined, fn: () => T): T {
  return identity ? context.with(context.active().setValue(IDENTITY_KEY, identity), fn) : fn();
}
