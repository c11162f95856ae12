import { context, createContextKey } from '@opentelemetry/api';
import type { Identity } from './identity-types.ts';

export type { Identity, Role } from './identity-types.ts';

const IDENTITY_KEY = createContextKey('sagamart.identity');

/** The identity of the request being served, carried in the async context for outgoing calls. */
export function currentIdentity(): Identity | undefined {
  return context.active().getValue(IDENTITY_KEY) as Identity | undefined;
}

export function withIdentity<T>(identity: Identity | undefined, fn: () => T): T {
  return identity ? context.with(context.active().setValue(IDENTITY_KEY, identity), fn) : fn();
}
